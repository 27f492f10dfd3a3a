import Foundation
import Libvirt

/// What a real lab can break, one handler per kind. A real lab cannot
/// partition yet, so it has no partition handler.
extension LabInjector {
    public static let standard: FaultHandlers<LabInjector> = {
        var table = FaultHandlers<LabInjector>(backend: "the real lab")
        table.register(.killGuest, .crashGuest, .pauseGuest, .shutdownGuest, .rebootGuest, handler: FaultHandler(
            inject: { lab, fault in
                guard let guest = fault.guest else { throw fault.mismatch("guest") }
                let (host, domain) = try await lab.optedInGuest(guest)
                await lab.remember(guest, on: host)
                return try await GuestFault.inject(fault, guest, on: host, domain)
            },
            heal: { try await $0.healGuest($1.fault) },
            plan: { lab, fault in
                guard let guest = fault.guest else { throw fault.mismatch("guest") }
                return "\(try GuestFault.call(for: fault)) \(guest) on \(try await lab.optedInGuest(guest).0)"
            },
            verify: { try await $0.verifyGuest($1.fault) }))
        table.register(.killProcess, handler: FaultHandler(
            inject: { try await $0.killProcess($1) }, heal: { try await $0.checkRestarted($1.fault) },
            plan: { lab, fault in
                guard case .killProcess(let home, let process) = fault else { throw fault.mismatch("kill-process") }
                return "pkill -KILL -x \(process) \(try await lab.processSite(home).label)"
            },
            verify: { try await $0.verifyKilled($1.fault) }))
        table.register(.killHost, .pauseHost, handler: FaultHandler(
            inject: { try await $0.injectHost($1) }, heal: { try await $0.healHost($1.fault) }, plan: { try await $0.planHost($1) },
            verify: { try await $0.verifyHost($1.fault) }))
        table.register(.linkDown, handler: FaultHandler(
            inject: { try await $0.linksDown($1) }, heal: { try await $0.linksUp($1.fault) },
            plan: { lab, fault in
                switch fault {
                case .guestLinksDown(let guest, let macs):
                    return "virDomainUpdateDeviceFlags <link state='down'/> on \(guest)'s NIC \(macs.isEmpty ? "(all)" : macs.joined(separator: ",")) on \(try await lab.optedInGuest(guest).0)"
                case .linkDown(let host, let links):
                    return "ip link set \(links.joined(separator: ",")) down on \(host)"
                case .outerLinksDown(let host, let macs):
                    return "virDomainUpdateDeviceFlags <link state='down'/> on nested host \(host)'s NIC \(macs.isEmpty ? "(all)" : macs.joined(separator: ",")) through its outer hypervisor"
                default:
                    throw fault.mismatch("link-down")
                }
            },
            verify: { lab, injected in
                if case .guestLinksDown = injected.fault { return try await lab.verifyGuestDevices(injected.fault) }
                if case .outerLinksDown = injected.fault { return try await lab.verifyOuterDevices(injected.fault) }
                return try await lab.verifyLinks(injected.fault)
            }))
        table.register(.detachDisk, handler: FaultHandler(
            inject: { try await $0.detachDisk($1) }, heal: { try await $0.restoreDevices($1.fault) },
            plan: { lab, fault in
                if case .outerDiskDetach(let host, let disk) = fault {
                    return "virDomainDetachDeviceFlags \(disk) of nested host \(host) through its outer hypervisor"
                }
                guard case .detachDisk(let guest, let disk) = fault else { throw fault.mismatch("detach-disk") }
                return "virDomainDetachDeviceFlags \(disk) of \(guest) on \(try await lab.optedInGuest(guest).0)"
            },
            verify: { lab, injected in
                if case .outerDiskDetach = injected.fault { return try await lab.verifyOuterDevices(injected.fault) }
                return try await lab.verifyGuestDevices(injected.fault)
            }))
        table.register(.unmount, handler: FaultHandler(
            inject: { try await $0.unmount($1) }, heal: { try await $0.remount($1.fault) },
            plan: { _, fault in
                guard case .unmount(let host, let mount) = fault else { throw fault.mismatch("unmount") }
                return "umount -l \(mount) on \(host)"
            },
            verify: { lab, injected in
                guard case .unmount(let name, let mount) = injected.fault else { throw injected.fault.mismatch("unmount") }
                let host = try await lab.access(name)
                let mounts = try await lab.shell(host, ["/bin/cat", "/proc/mounts"]).stdout
                guard !mounts.split(separator: "\n").contains(where: { $0.split(separator: " ").dropFirst().first == Substring(mount) }) else {
                    throw HarnessError("\(mount) is still mounted on \(host.name)")
                }
                return "\(mount) is not mounted on \(host.name)"
            }))
        return table
    }()

    func remember(_ guest: String, on host: String) { madeOn[guest] = host }

    private func healGuest(_ fault: Fault) async throws -> String {
        guard let guest = fault.guest else { throw fault.mismatch("guest") }
        guard case .pauseGuest = fault else { return "nothing to undo: the cluster owns \(guest)" }
        var candidates: [(host: String, domain: Domain)] = []
        for name in hosts.keys.sorted() {
            if let domain = try? await connection(name).lookupDomain(name: guest) { candidates.append((name, domain)) }
        }
        return try await GuestFault.resume(guest, among: candidates) ?? "\(guest) is not paused anywhere: the cluster has moved on"
    }

    /// Where kill-process acts: a host through its shell, or a guest, on
    /// whichever host runs it now, through its qemu guest agent.
    struct ProcessSite: Sendable {
        let key: String
        /// "on lab1", or "inside vm3 on lab2 (guest agent)".
        let label: String
        let run: @Sendable ([String]) async throws -> CommandResult
    }

    func processSite(_ home: ProcessHome) async throws -> ProcessSite {
        switch home {
        case .host(let name):
            let host = try access(name)
            return ProcessSite(key: name, label: "on \(host.name)") { try await host.shell.run($0) }
        case .guest(let guest):
            let (host, domain) = try await optedInGuest(guest)
            let shell = GuestAgentShell(guest: guest, host: host, domain: domain)
            return ProcessSite(key: guest, label: "inside \(guest) on \(host) (guest agent)") { try await shell.run($0) }
        }
    }

    /// The processes of that name at the site: their pids.
    func pids(_ process: String, at site: ProcessSite) async throws -> Set<String> {
        let found = try await site.run(["/usr/bin/pgrep", "-x", process])
        return Set(found.stdout.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    private func killProcess(_ fault: Fault) async throws -> String {
        guard case .killProcess(let home, let process) = fault else { throw fault.mismatch("kill-process") }
        let site = try await processSite(home)
        killedPids["\(site.key):\(process)"] = try await pids(process, at: site)
        let killed = try await site.run(["/usr/bin/pkill", "-KILL", "-x", process])
        guard killed.succeeded else { throw HarnessError("no process \(process) runs \(site.label)") }
        return "SIGKILL to \(process) \(site.label)"
    }

    /// The cluster must restart a killed daemon, or fence its host.
    private func checkRestarted(_ fault: Fault) async throws -> String {
        guard case .killProcess(let home, let process) = fault else { throw fault.mismatch("kill-process") }
        let site = try await processSite(home)
        if let running = try? await site.run(["/usr/bin/pgrep", "-x", process]), running.succeeded {
            return "\(process) runs again \(site.label)"
        }
        throw HarnessError("\(process) is still dead \(site.label): nothing restarted it and nothing fenced the host")
    }

    private func outerName(_ host: HostAccess) -> (domain: String, libvirt: String) {
        (host.outer?.domain ?? host.name, host.outer?.libvirt ?? "the outer hypervisor")
    }

    private func injectHost(_ fault: Fault) async throws -> String {
        let host = try access(fault.host)
        let outer = outerName(host)
        if fault.kind == .pauseHost {
            guard await outers.hasOuter(host.name) else {
                throw HarnessError("pause-host needs host \(host.name) to name its outer hypervisor (outer: { libvirt, domain })")
            }
            try await outers.domain(of: host.name).suspend()
            return "virDomainSuspend \(outer.domain) on \(outer.libvirt)"
        }
        connections[host.name] = nil
        if await outers.hasOuter(host.name) {
            try await outers.domain(of: host.name).destroy()
            return "virDomainDestroy \(outer.domain) on \(outer.libvirt)"
        }
        try await runLocal(host.powerOff, "power off \(host.name)")
        return "powered off \(host.name)"
    }

    private func healHost(_ fault: Fault) async throws -> String {
        let host = try access(fault.host)
        let outer = outerName(host)
        if fault.kind == .pauseHost {
            let domain = try await outers.domain(of: host.name)
            guard try await domain.state().state == .paused else { return "\(host.name) is not paused" }
            try await domain.resume()
            return "virDomainResume \(outer.domain) on \(outer.libvirt)"
        }
        connections[host.name] = nil
        if await outers.hasOuter(host.name) {
            let domain = try await outers.domain(of: host.name)
            guard try await !domain.isRunning() else { return "\(host.name) already runs" }
            try await domain.start()
            return "virDomainCreate \(outer.domain) on \(outer.libvirt)"
        }
        try await runLocal(host.powerOn, "power on \(host.name)")
        return "powered on \(host.name)"
    }

    private func planHost(_ fault: Fault) async throws -> String {
        guard let name = fault.host else { throw fault.mismatch("host") }
        if let outer = hosts[name]?.outer {
            return "\(fault.kind == .killHost ? "virDomainDestroy" : "virDomainSuspend") \(outer.domain) on \(outer.libvirt)"
        }
        guard fault.kind == .killHost else { throw HarnessError("pause-host needs host \(name) to name its outer hypervisor") }
        return "run power off of \(name): \(hosts[name]?.powerOff ?? "(no power command)")"
    }

    private func linksDown(_ fault: Fault) async throws -> String {
        switch fault {
        case .guestLinksDown(let guest, let macs):
            let (host, domain) = try await optedInGuest(guest)
            remember(guest, on: host)
            let nics = DeviceXML.interfaces(in: try await domain.xmlDescription()).filter { macs.isEmpty || macs.contains($0.mac) }
            guard !nics.isEmpty else { throw HarnessError("\(guest) has no NIC \(macs.joined(separator: ",")) on \(host)") }
            for nic in nics {
                try await domain.updateDevice(xml: DeviceXML.interface(nic.xml, linkUp: false))
                devices[guest, default: []].append(nic.xml)
            }
            return "link down on \(guest) NIC \(nics.map(\.mac).joined(separator: ",")) on \(host)"
        case .linkDown(let name, let links):
            let host = try access(name)
            for link in links { try await shell(host, ["/usr/sbin/ip", "link", "set", link, "down"]) }
            return "ip link set \(links.joined(separator: ",")) down on \(host.name)"
        case .outerLinksDown(let host, let macs):
            return try await outerLinksDown(host, macs: macs)
        default:
            throw fault.mismatch("link-down")
        }
    }

    private func linksUp(_ fault: Fault) async throws -> String {
        switch fault {
        case .guestLinksDown, .outerLinksDown:
            return try await restoreDevices(fault)
        case .linkDown(let name, let links):
            let host = try access(name)
            for link in links { try await shell(host, ["/usr/sbin/ip", "link", "set", link, "up"]) }
            return "ip link set \(links.joined(separator: ",")) up on \(host.name)"
        default:
            throw fault.mismatch("link-down")
        }
    }

    private func detachDisk(_ fault: Fault) async throws -> String {
        if case .outerDiskDetach(let host, let device) = fault { return try await outerDiskDetach(host, disk: device) }
        guard case .detachDisk(let guest, let device) = fault else { throw fault.mismatch("detach-disk") }
        let (host, domain) = try await optedInGuest(guest)
        remember(guest, on: host)
        guard let disk = DeviceXML.disk(device, in: try await domain.xmlDescription()) else {
            throw HarnessError("\(guest) has no disk \(device) on \(host)")
        }
        try await domain.detachDevice(xml: disk)
        devices[guest] = [disk]
        return "detached \(device) from \(guest) on \(host)"
    }

    /// Puts back the NICs set down or the disk detached from a guest.
    private func restoreDevices(_ fault: Fault) async throws -> String {
        switch fault {
        case .outerLinksDown, .outerDiskDetach: return try await restoreOuterDevices(fault)
        default: break
        }
        guard let guest = fault.guest else { throw fault.mismatch("guest device") }
        guard let saved = devices[guest] else { return "nothing to restore on \(guest)" }
        guard let (host, domain) = try? await runningGuest(guest) else {
            devices[guest] = nil
            return "\(guest) no longer runs: its devices come back with it"
        }
        let done = try await DeviceRestore.restore(saved, disks: fault.kind == .detachDisk, on: domain)
        devices[guest] = nil
        return "\(guest) on \(host): \(done.joined(separator: ", "))"
    }

    private func unmount(_ fault: Fault) async throws -> String {
        guard case .unmount(let name, let mount) = fault else { throw fault.mismatch("unmount") }
        let host = try access(name)
        let mounts = try await shell(host, ["/bin/cat", "/proc/mounts"]).stdout
        guard let entry = mounts.split(separator: "\n").map({ $0.split(separator: " ") })
            .last(where: { $0.count > 2 && $0[1] == mount }) else {
            throw HarnessError("\(mount) is not mounted on \(host.name)")
        }
        unmounted["\(host.name):\(mount)"] = (String(entry[0]), String(entry[2]))
        try await shell(host, ["/bin/umount", "-l", mount])
        return "umount -l \(mount) on \(host.name) (was \(entry[0]))"
    }

    private func remount(_ fault: Fault) async throws -> String {
        guard case .unmount(let name, let mount) = fault else { throw fault.mismatch("unmount") }
        let host = try access(name)
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
