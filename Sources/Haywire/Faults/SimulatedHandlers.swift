import Libvirt
import Simulator

/// What the simulator can break, one handler per kind.
extension SimulatedInjector {
    public static let standard: FaultHandlers<SimulatedInjector> = {
        var table = FaultHandlers<SimulatedInjector>(backend: "the simulator")
        table.register(.killGuest, .pauseGuest, handler: FaultHandler(
            inject: { try await $0.injectGuest($1) }, heal: { try await $0.healGuest($1.fault) },
            plan: { try await $0.planGuest($1) }, verify: { try await $0.verifyGuest($1.fault) }))
        // A shutdown or a reboot takes its time: there is nothing to see at once.
        table.register(.shutdownGuest, .rebootGuest, handler: FaultHandler(
            inject: { try await $0.injectGuest($1) }, heal: { try await $0.healGuest($1.fault) },
            plan: { try await $0.planGuest($1) }))
        table.register(.crashGuest, handler: FaultHandler(
            inject: { sim, fault in
                guard case .crashGuest(let guest) = fault else { throw fault.mismatch("crash-guest") }
                return try await throughSimulator { () async throws(SimulatorError) in try await sim.simulator.crashGuest(guest) }
            },
            heal: { try await $0.healGuest($1.fault) }))
        table.register(.partition, handler: FaultHandler(
            inject: { sim, fault in
                guard case .partition(let sides) = fault else { throw fault.mismatch("partition") }
                try await throughSimulator { () async throws(SimulatorError) in try await sim.simulator.partition(sides) }
                return "heartbeats cut between " + sides.map { $0.joined(separator: ", ") }.joined(separator: " | ")
            },
            heal: { sim, injected in
                await sim.simulator.joinPartitions()
                guard case .partition(let sides) = injected.fault else { return "heartbeats restored" }
                return "heartbeats restored between " + sides.map { $0.joined(separator: ", ") }.joined(separator: " | ")
            }))
        table.register(.killProcess, handler: FaultHandler(
            inject: { try await $0.killProcess($1) },
            heal: { _, injected in
                guard case .killProcess(_, let process) = injected.fault else { throw injected.fault.mismatch("kill-process") }
                return "nothing to undo: the cluster's agent restarts \(process)"
            }))
        table.register(.detachDisk, handler: FaultHandler(
            inject: { try await $0.setStorage(of: $1, attached: false) },
            heal: { try await $0.setStorage(of: $1.fault, attached: true) }))
        table.register(.killHost, .pauseHost, handler: FaultHandler(
            inject: { try await $0.injectHost($1) }, heal: { try await $0.healHost($1.fault) },
            verify: { try await $0.verifyHost($1.fault) }))
        table.register(.linkDown, handler: FaultHandler(
            inject: { try await $0.setLinks(of: $1, up: false) }, heal: { try await $0.setLinks(of: $1.fault, up: true) },
            verify: { sim, injected in
                // A guest's NICs are the guest's business: nothing to see from the hosts yet.
                guard case .linkDown(let host, let links) = injected.fault else { return nil }
                var up: [String] = []
                for link in links where await !sim.simulator.isLinkDown(link, on: host) { up.append(link) }
                guard up.isEmpty else { throw HarnessError("\(up.joined(separator: ", ")) still up on \(host)") }
                return "\(links.joined(separator: ", ")) down on \(host)"
            }))
        table.register(.unmount, handler: FaultHandler(
            inject: { try await $0.unmount($1) }, heal: { try await $0.remount($1.fault) },
            verify: { sim, injected in
                guard case .unmount(let host, let mount) = injected.fault else { throw injected.fault.mismatch("unmount") }
                guard await !sim.simulator.isMounted(mount, on: host) else { throw HarnessError("\(mount) is still mounted on \(host)") }
                return "\(mount) is not mounted on \(host)"
            }))
        return table
    }()

    private func injectGuest(_ fault: Fault) async throws -> String {
        guard let guest = fault.guest else { throw fault.mismatch("guest") }
        if await isSystem(guest) {
            switch fault {
            case .killGuest:
                try await throughSimulator { () async throws(SimulatorError) in try await simulator.powerOff(guest) }
                return "destroyed guest \(guest), a cluster system"
            case .pauseGuest:
                // A paused node's guest stops everything in it, heartbeats too: a frozen system.
                try await throughSimulator { () async throws(SimulatorError) in try await simulator.freeze(guest) }
                return "paused guest \(guest), a cluster system"
            case .shutdownGuest, .rebootGuest:
                throw HarnessError("the simulator cannot \(fault.kind.rawValue) a cluster node gracefully (hastop) yet; use kill-guest")
            default:
                break
            }
        }
        let (host, domain) = try await runningGuest(guest)
        return try await GuestFault.inject(fault, guest, on: host, domain)
    }

    /// What a guest fault would act on, or why it would be refused: the
    /// same checks as `injectGuest`, without touching a hypervisor.
    private func planGuest(_ fault: Fault) async throws -> String {
        guard let guest = fault.guest else { throw fault.mismatch("guest") }
        if await isSystem(guest) {
            guard await simulator.isPowered(guest) else { throw HarnessError("cluster system \(guest) is powered off") }
            if case .killGuest = fault { return "power off guest \(guest), a cluster system" }
            if case .pauseGuest = fault { return "pause guest \(guest), a cluster system" }
            if fault.kind == .shutdownGuest || fault.kind == .rebootGuest {
                throw HarnessError("the simulator cannot \(fault.kind.rawValue) a cluster node gracefully (hastop) yet; use kill-guest")
            }
        }
        guard let host = await simulator.systems(where: guest, is: [.running, .blocked]).first else {
            throw HarnessError("guest \(guest) is not running on any host (no resource of the cluster starts it there)")
        }
        return "\(try GuestFault.call(for: fault)) \(guest) on \(host)"
    }

    private func healGuest(_ fault: Fault) async throws -> String {
        guard let guest = fault.guest else { throw fault.mismatch("guest") }
        switch fault {
        case .pauseGuest where await isSystem(guest):
            await simulator.thaw(guest)
            return "resumed guest \(guest), a cluster system"
        case .pauseGuest:
            var candidates: [(host: String, domain: Domain)] = []
            for host in await simulator.systems(where: guest, is: [.paused]) {
                if let domain = try? await simulator.connection(of: host)?.lookupDomain(name: guest) { candidates.append((host, domain)) }
            }
            return try await GuestFault.resume(guest, among: candidates) ?? "\(guest) is not paused anywhere"
        case .killGuest, .crashGuest:
            guard await isSystem(guest) else { return "nothing to undo: the cluster owns \(guest)" }
            guard await !simulator.isPowered(guest) else { return "\(guest) already runs" }
            try await throughSimulator { () async throws(SimulatorError) in try await simulator.powerOn(guest) }
            // A panicked node comes back when it is reset.
            return fault.kind == .crashGuest ? "reset \(guest)" : "started guest \(guest) again"
        default:
            // The cluster owns the guest: it restarts it where it decides.
            return "nothing to undo: the cluster owns \(guest)"
        }
    }

    /// What the guest's hypervisors report after a guest fault.
    private func verifyGuest(_ fault: Fault) async throws -> String {
        guard let guest = fault.guest else { throw fault.mismatch("guest") }
        if await isSystem(guest), case .killGuest = fault {
            guard await !simulator.isPowered(guest) else { throw HarnessError("\(guest) still runs") }
            return "\(guest) is powered off"
        }
        if await isSystem(guest), case .pauseGuest = fault {
            guard await simulator.isFrozen(guest) else { throw HarnessError("\(guest) is not paused") }
            return "\(guest) is paused"
        }
        switch fault {
        case .killGuest:
            let running = await simulator.systems(where: guest, is: [.running, .blocked, .paused])
            guard running.isEmpty else { throw HarnessError("\(guest) still runs on \(running.joined(separator: ", "))") }
            return "\(guest) runs on no host"
        case .pauseGuest:
            let paused = await simulator.systems(where: guest, is: [.paused])
            guard !paused.isEmpty else { throw HarnessError("\(guest) is paused on no host") }
            return "\(guest) is paused on \(paused.joined(separator: ", "))"
        default:
            throw fault.mismatch("kill-guest or pause-guest")
        }
    }

    private func verifyHost(_ fault: Fault) async throws -> String {
        guard let host = fault.host else { throw fault.mismatch("host") }
        let systems = systems(on: host)
        if fault.kind == .pauseHost {
            var running: [String] = []
            for system in systems where await !simulator.isFrozen(system) { running.append(system) }
            guard running.isEmpty else { throw HarnessError("\(running.joined(separator: ", ")) not frozen") }
            return "\(systems.joined(separator: ", ")) frozen"
        }
        var powered: [String] = []
        for system in systems where await simulator.isPowered(system) { powered.append(system) }
        guard powered.isEmpty else { throw HarnessError("\(powered.joined(separator: ", ")) still powered") }
        return "\(systems.joined(separator: ", ")) powered off"
    }

    private func killProcess(_ fault: Fault) async throws -> String {
        guard case .killProcess(let home, let process) = fault else { throw fault.mismatch("kill-process") }
        let killed: Bool, place: String
        switch home {
        case .guest(let guest):
            place = "guest \(guest)"
            killed = try await throughSimulator { () async throws(SimulatorError) in try await simulator.killProcess(process, inGuest: guest) }
        case .host(let host):
            place = host
            killed = try await throughSimulator { () async throws(SimulatorError) in try await simulator.killProcess(process, on: host) }
        }
        guard killed else { throw HarnessError("no agent runs a process \(process) on \(place)") }
        return "SIGKILL to \(process) on \(place)"
    }

    private func setStorage(of fault: Fault, attached: Bool) async throws -> String {
        guard case .detachDisk(let guest, _) = fault else { throw fault.mismatch("detach-disk") }
        return try await throughSimulator { () async throws(SimulatorError) in try await simulator.setGuestStorage(guest, attached: attached) }
    }

    private func injectHost(_ fault: Fault) async throws -> String {
        guard let host = fault.host else { throw fault.mismatch("host") }
        let carries = carried[host]?.isEmpty == false
        let also = carries ? " and with it \(systems(on: host).joined(separator: ", "))" : ""
        for system in systems(on: host) {
            if fault.kind == .pauseHost {
                try await throughSimulator { () async throws(SimulatorError) in try await simulator.freeze(system) }
            } else {
                try await throughSimulator { () async throws(SimulatorError) in try await simulator.powerOff(system) }
            }
        }
        return fault.kind == .pauseHost ? "froze \(host)\(also)" : "powered off \(host)\(also)"
    }

    private func healHost(_ fault: Fault) async throws -> String {
        guard let host = fault.host else { throw fault.mismatch("host") }
        if fault.kind == .pauseHost {
            for system in systems(on: host) { await simulator.thaw(system) }
            return "thawed \(host)"
        }
        var started: [String] = []
        for system in systems(on: host) where await !simulator.isPowered(system) {
            try await throughSimulator { () async throws(SimulatorError) in try await simulator.powerOn(system) }
            started.append(system)
        }
        return started.isEmpty ? "\(host) already powered" : "powered on \(host) (\(started.joined(separator: ", ")))"
    }

    private func setLinks(of fault: Fault, up: Bool) async throws -> String {
        switch fault {
        case .guestLinksDown(let guest, _):
            return try await throughSimulator { () async throws(SimulatorError) in try await simulator.setGuestLinks(guest, up: up) }
        case .linkDown(let host, let links):
            for link in links {
                try await throughSimulator { () async throws(SimulatorError) in try await simulator.setLink(link, on: host, up: up) }
            }
            return "links \(links.joined(separator: ", ")) of \(host) \(up ? "up" : "down")"
        default:
            throw fault.mismatch("link-down")
        }
    }

    private func unmount(_ fault: Fault) async throws -> String {
        guard case .unmount(let host, let mount) = fault else { throw fault.mismatch("unmount") }
        let unmounted = try await throughSimulator { () async throws(SimulatorError) in try await simulator.unmount(mount, on: host) }
        guard unmounted else { throw HarnessError("\(mount) is not mounted on \(host)") }
        return "unmounted \(mount) on \(host)"
    }

    private func remount(_ fault: Fault) async throws -> String {
        guard case .unmount(let host, let mount) = fault else { throw fault.mismatch("unmount") }
        await simulator.restoreMount(mount, on: host)
        return await simulator.isMounted(mount, on: host) ? "\(mount) mounted on \(host)" : "\(mount) left to the cluster on \(host)"
    }
}
