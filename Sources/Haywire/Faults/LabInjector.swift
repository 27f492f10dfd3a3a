import Foundation
import Libvirt

/// How haywire reaches one real host.
public struct HostAccess: Sendable {
    public let name: String
    public let libvirtURI: String?
    public let shell: Shell
    /// Commands (run locally, in the suite's folder) that cut and restore power.
    public let powerOff: String?
    public let powerOn: String?
    public var outer: OuterDomain? = nil
    /// How long any one libvirt call to this host (or its outer
    /// hypervisor) may go unanswered.
    public var libvirtTimeout: Duration = .seconds(60)

    /// Opens this host's libvirt connection with its timeout.
    func openLibvirt() async throws -> Connection {
        guard let libvirtURI else { throw HarnessError("host \(name) has no libvirt URI") }
        return try await Connection.open(libvirtURI, callTimeout: libvirtTimeout)
    }
}

/// Faults on a real lab: guests through each host's libvirtd, links and
/// mounts through the host's shell, power through the lab's power commands.
public actor LabInjector: FaultInjector {
    let hosts: [String: HostAccess]
    let clock: LabClock
    let workingDirectory: String
    nonisolated let outers: OuterHypervisors
    private var connections: [String: Connection] = [:]
    /// What each unmount took away, to put it back.
    private var unmounted: [String: (source: String, type: String)] = [:]
    /// Interfaces set down and disks detached, as XML, to put them back.
    private var devices: [String: [String]] = [:]

    /// The hosts each guest may run on, as the suite's lab lists them: the
    /// only ones asked for it.
    let guestHosts: [String: [String]]

    init(hosts: [HostAccess], clock: LabClock, workingDirectory: String, guestHosts: [String: [String]] = [:]) {
        self.hosts = Dictionary(uniqueKeysWithValues: hosts.map { ($0.name, $0) })
        self.guestHosts = guestHosts
        self.clock = clock
        self.workingDirectory = workingDirectory
        outers = OuterHypervisors(Dictionary(uniqueKeysWithValues: hosts.compactMap { host in host.outer.map { (host.name, $0) } }),
                                  callTimeout: hosts.map(\.libvirtTimeout).max() ?? .seconds(60))
    }

    public nonisolated var supportedFaults: Set<FaultKind> { Set(FaultKind.allCases).subtracting([.partition]) }

    public func inject(_ fault: ResolvedFault) async throws -> Injected {
        let detail: String
        switch fault.kind {
        case .killGuest, .crashGuest, .pauseGuest, .shutdownGuest, .rebootGuest:
            let guest = try fault.required(fault.guest, "guest")
            let (host, domain) = try await optedInGuest(guest)
            detail = try await GuestFault.inject(fault.kind, guest, on: host, domain)
        case .partition:
            throw HarnessError("a real lab cannot partition yet")
        case .killProcess:
            let host = try access(fault.host)
            let process = try fault.required(fault.process, "process")
            let killed = try await host.shell.run(["/usr/bin/pkill", "-KILL", "-x", process])
            guard killed.succeeded else { throw HarnessError("no process \(process) runs on \(host.name)") }
            detail = "SIGKILL to \(process) on \(host.name)"
        case .killHost:
            let host = try access(fault.host)
            connections[host.name] = nil
            if await outers.hasOuter(host.name) {
                try await outers.domain(of: host.name).destroy()
                detail = "virDomainDestroy \(host.outer?.domain ?? host.name) on \(host.outer?.libvirt ?? "the outer hypervisor")"
            } else {
                try await runLocal(host.powerOff, "power off \(host.name)")
                detail = "powered off \(host.name)"
            }
        case .pauseHost:
            let host = try access(fault.host)
            guard await outers.hasOuter(host.name) else {
                throw HarnessError("pause-host needs host \(host.name) to name its outer hypervisor (outer: { libvirt, domain })")
            }
            try await outers.domain(of: host.name).suspend()
            detail = "virDomainSuspend \(host.outer?.domain ?? host.name) on \(host.outer?.libvirt ?? "the outer hypervisor")"
        case .linkDown where fault.guest != nil:
            let guest = try fault.required(fault.guest, "guest")
            let (host, domain) = try await optedInGuest(guest)
            let nics = DeviceXML.interfaces(in: try await domain.xmlDescription())
                .filter { fault.links.isEmpty || fault.links.contains($0.mac) }
            guard !nics.isEmpty else { throw HarnessError("\(guest) has no NIC \(fault.links.joined(separator: ",")) on \(host)") }
            for nic in nics {
                try await domain.updateDevice(xml: DeviceXML.interface(nic.xml, linkUp: false))
                devices[guest, default: []].append(nic.xml)
            }
            detail = "link down on \(guest) NIC \(nics.map(\.mac).joined(separator: ",")) on \(host)"
        case .linkDown:
            let host = try access(fault.host)
            for link in fault.links { try await shell(host, ["/usr/sbin/ip", "link", "set", link, "down"]) }
            detail = "ip link set \(fault.links.joined(separator: ",")) down on \(host.name)"
        case .detachDisk:
            let guest = try fault.required(fault.guest, "guest"), device = try fault.required(fault.device, "disk")
            let (host, domain) = try await optedInGuest(guest)
            guard let disk = DeviceXML.disk(device, in: try await domain.xmlDescription()) else {
                throw HarnessError("\(guest) has no disk \(device) on \(host)")
            }
            try await domain.detachDevice(xml: disk)
            devices[guest] = [disk]
            detail = "detached \(device) from \(guest) on \(host)"
        case .unmount:
            let host = try access(fault.host)
            let mount = try fault.required(fault.mount, "mount")
            let mounts = try await shell(host, ["/bin/cat", "/proc/mounts"]).stdout
            guard let entry = mounts.split(separator: "\n").map({ $0.split(separator: " ") })
                .last(where: { $0.count > 2 && $0[1] == mount }) else {
                throw HarnessError("\(mount) is not mounted on \(host.name)")
            }
            unmounted["\(host.name):\(mount)"] = (String(entry[0]), String(entry[2]))
            try await shell(host, ["/bin/umount", "-l", mount])
            detail = "umount -l \(mount) on \(host.name) (was \(entry[0]))"
        }
        return Injected(fault: fault, effectiveAt: clock.now, detail: detail)
    }

    public func heal(_ injected: Injected) async throws -> String {
        let fault = injected.fault
        switch fault.kind {
        case .killGuest, .crashGuest, .shutdownGuest, .rebootGuest:
            return "nothing to undo: the cluster owns \(fault.guest ?? "the guest")"
        case .partition:
            return "nothing to undo: no partition was made"
        case .pauseGuest:
            let guest = try fault.required(fault.guest, "guest")
            var candidates: [(host: String, domain: Domain)] = []
            for name in hosts.keys.sorted() {
                if let domain = try? await connection(name).lookupDomain(name: guest) { candidates.append((name, domain)) }
            }
            return try await GuestFault.resume(guest, among: candidates) ?? "\(guest) is not paused anywhere: the cluster has moved on"
        case .killProcess:
            let host = try access(fault.host)
            let process = try fault.required(fault.process, "process")
            // The cluster must restart a killed daemon, or fence its host.
            if let running = try? await host.shell.run(["/usr/bin/pgrep", "-x", process]), running.succeeded {
                return "\(process) runs again on \(host.name)"
            }
            throw HarnessError("\(process) is still dead on \(host.name): nothing restarted it and nothing fenced the host")
        case .killHost:
            let host = try access(fault.host)
            connections[host.name] = nil
            if await outers.hasOuter(host.name) {
                let domain = try await outers.domain(of: host.name)
                guard try await !domain.isRunning() else { return "\(host.name) already runs" }
                try await domain.start()
                return "virDomainCreate \(host.outer?.domain ?? host.name) on \(host.outer?.libvirt ?? "the outer hypervisor")"
            }
            try await runLocal(host.powerOn, "power on \(host.name)")
            return "powered on \(host.name)"
        case .pauseHost:
            let host = try access(fault.host)
            let domain = try await outers.domain(of: host.name)
            guard try await domain.state().state == .paused else { return "\(host.name) is not paused" }
            try await domain.resume()
            return "virDomainResume \(host.outer?.domain ?? host.name) on \(host.outer?.libvirt ?? "the outer hypervisor")"
        case .linkDown where fault.guest != nil, .detachDisk:
            let guest = try fault.required(fault.guest, "guest")
            guard let saved = devices.removeValue(forKey: guest) else { return "nothing to restore on \(guest)" }
            guard let (host, domain) = try? await runningGuest(guest) else {
                return "\(guest) no longer runs: its devices come back with it"
            }
            for xml in saved {
                if fault.kind == .detachDisk {
                    try await domain.attachDevice(xml: xml)
                } else {
                    try await domain.updateDevice(xml: DeviceXML.interface(xml, linkUp: true))
                }
            }
            return fault.kind == .detachDisk ? "attached \(fault.device ?? "the disk") to \(guest) on \(host) again"
                : "link up on \(guest)'s NICs on \(host)"
        case .linkDown:
            let host = try access(fault.host)
            for link in fault.links { try await shell(host, ["/usr/sbin/ip", "link", "set", link, "up"]) }
            return "ip link set \(fault.links.joined(separator: ",")) up on \(host.name)"
        case .unmount:
            let host = try access(fault.host)
            let mount = try fault.required(fault.mount, "mount")
            guard let saved = unmounted.removeValue(forKey: "\(host.name):\(mount)") else {
                return "nothing to remount on \(host.name)"
            }
            // Remounting where the cluster has moved the storage elsewhere
            // would mount one filesystem twice: leave it to the cluster then.
            if try await isMountedAnywhere(source: saved.source) {
                return "\(mount) left to the cluster: \(saved.source) is mounted again"
            }
            try await shell(host, ["/bin/mount", "-t", saved.type, saved.source, mount])
            return "mounted \(saved.source) on \(mount) on \(host.name) again"
        }
    }

    /// Polls each guest's `ready` command on the host that runs it.
    func waitUntilReady(_ guests: [LabSpec.Guest], within: Duration) async throws {
        let deadline = clock.now + within
        for guest in guests {
            guard let ready = guest.ready else { continue }
            while true {
                if let (host, _) = try? await runningGuest(guest.name) {
                    let command = "cd \(Shell.quote(workingDirectory)) && HAYWIRE_HOST=\(Shell.quote(host)) HAYWIRE_GUEST=\(Shell.quote(guest.name)) \(ready)"
                    if (try? await Command.run(["/bin/sh", "-c", command], timeout: .seconds(10)))?.succeeded == true { break }
                }
                guard clock.now < deadline else {
                    throw HarnessError("guest \(guest.name) did not become ready within \(formatDuration(within)) ('\(ready)')")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    private func isMountedAnywhere(source: String) async throws -> Bool {
        for host in hosts.values.sorted(by: { $0.name < $1.name }) {
            guard let mounts = try? await shell(host, ["/bin/cat", "/proc/mounts"]).stdout else { continue }
            if mounts.split(separator: "\n").contains(where: { $0.hasPrefix(source + " ") }) { return true }
        }
        return false
    }

    /// Where `guest` runs, refused unless it carries the opt-in marker.
    func optedInGuest(_ guest: String) async throws -> (String, Domain) {
        let (host, domain) = try await runningGuest(guest)
        guard try await OptIn.isMarked(domain) else { throw OptIn.refusal(guest, on: host) }
        return (host, domain)
    }

    func runningGuest(_ guest: String) async throws -> (String, Domain) {
        var problems: [String] = []
        for name in guestHosts[guest] ?? hosts.keys.sorted() {
            guard await outers.isReachable(name) else {
                problems.append("\(name): unreachable, its outer domain is not running")
                continue
            }
            do {
                let domain = try await connection(name).lookupDomain(name: guest)
                if try await domain.isRunning() { return (name, domain) }
            } catch {
                problems.append("\(name): \(error)")
            }
        }
        throw HarnessError("guest \(guest) is not running on any host" + (problems.isEmpty ? "" : " (\(problems.joined(separator: "; ")))"))
    }

    /// The host's libvirt connection, opened again once if the daemon went
    /// away (restarted, or its keepalives or a call went unanswered).
    private func connection(_ host: String) async throws -> Connection {
        if let open = connections[host] {
            if await open.isAlive() { return open }
            connections[host] = nil
        }
        guard let access = hosts[host] else { throw HarnessError("host \(host) is not in the lab") }
        let connection = try await access.openLibvirt()
        connections[host] = connection
        return connection
    }

    @discardableResult
    private func shell(_ host: HostAccess, _ argv: [String]) async throws -> CommandResult {
        let result = try await host.shell.run(argv, timeout: .seconds(15))
        guard result.succeeded else {
            throw HarnessError("\(argv.joined(separator: " ")) on \(host.name) exited \(result.status): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result
    }

    private func runLocal(_ command: String?, _ what: String) async throws {
        guard let command else { throw HarnessError("cannot \(what): the lab gives no power command for it") }
        let result = try await Command.run(["/bin/sh", "-c", "cd \(Shell.quote(workingDirectory)) && \(command)"], timeout: .seconds(60))
        guard result.succeeded else {
            throw HarnessError("\(what): '\(command)' exited \(result.status): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    private func access(_ name: String?) throws -> HostAccess {
        guard let name, let host = hosts[name] else { throw HarnessError("the fault names no known host") }
        return host
    }
}
