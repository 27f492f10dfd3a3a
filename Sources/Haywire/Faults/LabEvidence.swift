import Foundation
import Libvirt

/// What a real lab shows of each fault right after it is made: the
/// evidence the effect audit asks for, or why there is none.
extension LabInjector {
    /// The guest's state where the fault was made, as that host's libvirtd reports it.
    func verifyGuest(_ fault: Fault) async throws -> String? {
        guard let guest = fault.guest, let host = madeOn[guest] else { return nil }
        let state: DomainState
        do {
            state = try await connection(host).lookupDomain(name: guest).state().state
        } catch let error as LibvirtError where error.isNoDomain {
            // A transient domain (one the cluster created) is gone once destroyed.
            guard case .killGuest = fault else { throw HarnessError("\(guest) no longer exists on \(host)") }
            return "\(guest) no longer exists on \(host)"
        }
        switch fault {
        case .killGuest:
            guard state != .running, state != .paused, state != .blocked else { throw HarnessError("\(guest) is still \(state) on \(host)") }
            return "\(guest) is \(state) on \(host)"
        case .pauseGuest:
            guard state == .paused else { throw HarnessError("\(guest) is \(state) on \(host), not paused") }
            return "\(guest) is paused on \(host)"
        default:
            // A crash, a shutdown or a reboot takes its time: nothing to see at once.
            return nil
        }
    }

    /// The nested host's domain as the outer hypervisor reports it; for a
    /// host powered off by a command, its libvirtd no longer answering
    /// (polled for up to 10 s: a power controller may take its time).
    func verifyHost(_ fault: Fault) async throws -> String? {
        guard let name = fault.host else { return nil }
        guard await outers.hasOuter(name) else {
            guard fault.kind == .killHost, let access = hosts[name] else { return nil }
            connections[name] = nil
            let deadline = clock.now + .seconds(10)
            while true {
                guard let open = try? await access.openLibvirt() else { return "libvirtd on \(name) no longer answers" }
                await open.close()
                guard clock.now < deadline else { throw HarnessError("libvirtd on \(name) still answers 10 s after its power off") }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        let state = try await outers.domain(of: name).state().state
        if fault.kind == .pauseHost {
            guard state == .paused else { throw HarnessError("\(name)'s domain is \(state), not paused") }
        } else {
            guard state != .running, state != .paused, state != .blocked else { throw HarnessError("\(name)'s domain is still \(state)") }
        }
        return "\(name)'s domain is \(state)"
    }

    /// The guest's live XML on the host the fault was made on.
    func verifyGuestDevices(_ fault: Fault) async throws -> String? {
        guard let guest = fault.guest, let host = madeOn[guest] else { return nil }
        let domain = try await connection(host).lookupDomain(name: guest)
        switch fault {
        case .guestLinksDown(_, let macs): return try await deviceEvidence(.linksDown(macs), on: domain, of: guest, at: "on \(host)")
        case .detachDisk(_, let disk): return try await deviceEvidence(.detached(disk), on: domain, of: guest, at: "on \(host)")
        default: return nil
        }
    }

    enum DeviceChange { case linksDown([String]), detached(String) }

    /// A domain's live XML after a device fault: each NIC set down reads
    /// `<link state='down'/>`; a detached disk is gone (polled for up to
    /// 10 s: the guest acknowledges an unplug in its own time).
    func deviceEvidence(_ change: DeviceChange, on domain: Domain, of who: String, at place: String) async throws -> String {
        switch change {
        case .linksDown(let macs):
            let nics = DeviceXML.interfaces(in: try await domain.xmlDescription()).filter { macs.isEmpty || macs.contains($0.mac) }
            let up = nics.filter { !DeviceXML.values(in: $0.xml, element: "link", attribute: "state").contains("down") }.map(\.mac)
            guard !nics.isEmpty, up.isEmpty else { throw HarnessError("\(who)'s NIC \(up.joined(separator: ",")) still has its link up \(place)") }
            return "\(who)'s NIC \(nics.map(\.mac).joined(separator: ",")) link down \(place)"
        case .detached(let disk):
            let deadline = clock.now + .seconds(10)
            while DeviceXML.disk(disk, in: try await domain.xmlDescription()) != nil {
                guard clock.now < deadline else { throw HarnessError("\(disk) is still attached to \(who) \(place) 10 s after its detach") }
                try await Task.sleep(for: .milliseconds(200))
            }
            return "\(disk) no longer attached to \(who) \(place)"
        }
    }

    /// The host's links as its kernel reports them (`operstate`).
    func verifyLinks(_ fault: Fault) async throws -> String? {
        guard case .linkDown(let name, let links) = fault else { return nil }
        let host = try access(name)
        var up: [String] = []
        for link in links {
            let state = try await shell(host, ["/bin/cat", "/sys/class/net/\(link)/operstate"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if state != "down" { up.append("\(link) (\(state))") }
        }
        guard up.isEmpty else { throw HarnessError("still up on \(host.name): \(up.joined(separator: ", "))") }
        return "\(links.joined(separator: ", ")) down on \(host.name)"
    }

    /// None of the processes killed runs any more (a new one, restarted, may).
    func verifyKilled(_ fault: Fault) async throws -> String? {
        guard case .killProcess(let home, let process) = fault else { return nil }
        let site = try await processSite(home)
        guard let killed = killedPids["\(site.key):\(process)"] else { return nil }
        var alive: [String] = []
        for pid in killed.intersection(try await pids(process, at: site)) {
            // A zombie is dead, only not yet reaped: field 3 of its stat is Z.
            let stat = try? await site.run(["/bin/cat", "/proc/\(pid)/stat"])
            let state = stat.flatMap { $0.succeeded ? $0.stdout.split(separator: ")").last?.split(separator: " ").first : nil }
            if let state, state != "Z", state != "X" { alive.append(pid) }
        }
        guard alive.isEmpty else { throw HarnessError("\(process) pid \(alive.sorted().joined(separator: ", ")) still runs \(site.label)") }
        return "\(process) pid \(killed.sorted().joined(separator: ", ")) gone \(site.label)"
    }
}
