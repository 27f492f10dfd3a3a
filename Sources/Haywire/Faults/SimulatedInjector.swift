import Libvirt
import Simulator

/// Faults on a simulated lab. Guests die through libvirt (the test driver
/// of each host); power, links and mounts go through the simulator.
public struct SimulatedInjector: FaultInjector {
    let simulator: Simulator
    /// KVM-KVM: the cluster systems each physical host runs as guests.
    var carried: [String: [String]] = [:]

    /// The systems a power loss of `host` stops: those it carries, or itself.
    private func systems(on host: String) -> [String] {
        let guests = carried[host] ?? []
        return guests.isEmpty ? [host] : guests
    }

    /// A guest that is itself a cluster system (KVM-KVM).
    private func isSystem(_ guest: String) async -> Bool { await simulator.systemNames().contains(guest) }

    public var supportedFaults: Set<FaultKind> { Set(FaultKind.allCases).subtracting(Self.unsupported.keys) }

    /// Faults the simulator cannot model honestly, and why.
    static let unsupported: [FaultKind: String] = [:]

    public func inject(_ fault: ResolvedFault) async throws -> Injected {
        let detail: String
        switch fault.kind {
        case .killGuest where await isSystem(fault.guest ?? ""):
            let guest = try fault.required(fault.guest, "guest")
            do { try await simulator.powerOff(guest) } catch { throw HarnessError(error.message) }
            detail = "destroyed guest \(guest), a cluster system"
        case .shutdownGuest where await isSystem(fault.guest ?? ""), .rebootGuest where await isSystem(fault.guest ?? ""):
            throw HarnessError("the simulator cannot \(fault.kind.rawValue) a cluster node gracefully (hastop) yet; use kill-guest")
        case .killGuest, .pauseGuest, .shutdownGuest, .rebootGuest:
            let guest = try fault.required(fault.guest, "guest")
            let (host, domain) = try await runningGuest(guest)
            detail = try await GuestFault.inject(fault.kind, guest, on: host, domain)
        case .partition:
            do { try await simulator.partition(fault.sides) } catch { throw HarnessError(error.message) }
            detail = "heartbeats cut between " + fault.sides.map { $0.joined(separator: ", ") }.joined(separator: " | ")
        case .killProcess:
            let process = try fault.required(fault.process, "process")
            let place = fault.guest.map { "guest \($0)" } ?? fault.host ?? "?"
            let host = fault.guest == nil ? try fault.required(fault.host, "host") : ""
            let killed: Bool
            do {
                if let guest = fault.guest {
                    killed = try await simulator.killProcess(process, inGuest: guest)
                } else {
                    killed = try await simulator.killProcess(process, on: host)
                }
            } catch { throw HarnessError(error.message) }
            guard killed else { throw HarnessError("no agent runs a process \(process) on \(place)") }
            detail = "SIGKILL to \(process) on \(place)"
        case .crashGuest:
            let guest = try fault.required(fault.guest, "guest")
            do { detail = try await simulator.crashGuest(guest) } catch { throw HarnessError(error.message) }
        case .detachDisk:
            let guest = try fault.required(fault.guest, "guest")
            do { detail = try await simulator.setGuestStorage(guest, attached: false) } catch { throw HarnessError(error.message) }
        case .pauseHost:
            let host = try fault.required(fault.host, "host")
            for system in systems(on: host) {
                do { try await simulator.freeze(system) } catch { throw HarnessError(error.message) }
            }
            detail = "froze \(host)" + (carried[host]?.isEmpty == false ? " and with it \(systems(on: host).joined(separator: ", "))" : "")
        case .killHost:
            let host = try fault.required(fault.host, "host")
            for system in systems(on: host) {
                do { try await simulator.powerOff(system) } catch { throw HarnessError(error.message) }
            }
            detail = carried[host]?.isEmpty == false
                ? "powered off \(host) and with it \(systems(on: host).joined(separator: ", "))" : "powered off \(host)"
        case .linkDown where fault.guest != nil:
            let guest = try fault.required(fault.guest, "guest")
            do { detail = try await simulator.setGuestLinks(guest, up: false) } catch { throw HarnessError(error.message) }
        case .linkDown:
            let host = try fault.required(fault.host, "host")
            for link in fault.links {
                do { try await simulator.setLink(link, on: host, up: false) } catch { throw HarnessError(error.message) }
            }
            detail = "links \(fault.links.joined(separator: ", ")) of \(host) down"
        case .unmount:
            let host = try fault.required(fault.host, "host"), mount = try fault.required(fault.mount, "mount")
            let unmounted: Bool
            do { unmounted = try await simulator.unmount(mount, on: host) } catch { throw HarnessError(error.message) }
            guard unmounted else { throw HarnessError("\(mount) is not mounted on \(host)") }
            detail = "unmounted \(mount) on \(host)"
        }
        return Injected(fault: fault, effectiveAt: await simulator.now, detail: detail)
    }

    public func heal(_ injected: Injected) async throws -> String {
        let fault = injected.fault
        switch fault.kind {
        case .pauseGuest:
            let guest = try fault.required(fault.guest, "guest")
            var candidates: [(host: String, domain: Domain)] = []
            for host in await simulator.systems(where: guest, is: [.paused]) {
                if let domain = try? await simulator.connection(of: host)?.lookupDomain(name: guest) { candidates.append((host, domain)) }
            }
            return try await GuestFault.resume(guest, among: candidates) ?? "\(guest) is not paused anywhere"
        case .killGuest where await isSystem(fault.guest ?? ""):
            let guest = try fault.required(fault.guest, "guest")
            guard await !simulator.isPowered(guest) else { return "\(guest) already runs" }
            do { try await simulator.powerOn(guest) } catch { throw HarnessError(error.message) }
            return "started guest \(guest) again"
        case .killProcess:
            return "nothing to undo: the cluster's agent restarts \(fault.process ?? "the process")"
        case .partition:
            await simulator.joinPartitions()
            return "heartbeats restored between " + fault.sides.map { $0.joined(separator: ", ") }.joined(separator: " | ")
        case .crashGuest where await isSystem(fault.guest ?? ""):
            // A panicked node comes back when it is reset.
            let guest = try fault.required(fault.guest, "guest")
            guard await !simulator.isPowered(guest) else { return "\(guest) already runs" }
            do { try await simulator.powerOn(guest) } catch { throw HarnessError(error.message) }
            return "reset \(guest)"
        case .detachDisk:
            let guest = try fault.required(fault.guest, "guest")
            do { return try await simulator.setGuestStorage(guest, attached: true) } catch { throw HarnessError(error.message) }
        case .pauseHost:
            let host = try fault.required(fault.host, "host")
            for system in systems(on: host) { await simulator.thaw(system) }
            return "thawed \(host)"
        case .linkDown where fault.guest != nil:
            let guest = try fault.required(fault.guest, "guest")
            do { return try await simulator.setGuestLinks(guest, up: true) } catch { throw HarnessError(error.message) }
        case .killGuest, .crashGuest, .shutdownGuest, .rebootGuest:
            // The cluster owns the guest: it restarts it where it decides.
            return "nothing to undo: the cluster owns \(fault.guest ?? "the guest")"
        case .killHost:
            let host = try fault.required(fault.host, "host")
            var started: [String] = []
            for system in systems(on: host) where await !simulator.isPowered(system) {
                do { try await simulator.powerOn(system) } catch { throw HarnessError(error.message) }
                started.append(system)
            }
            return started.isEmpty ? "\(host) already powered" : "powered on \(host) (\(started.joined(separator: ", ")))"
        case .linkDown:
            let host = try fault.required(fault.host, "host")
            for link in fault.links {
                do { try await simulator.setLink(link, on: host, up: true) } catch { throw HarnessError(error.message) }
            }
            return "links \(fault.links.joined(separator: ", ")) of \(host) up"
        case .unmount:
            let host = try fault.required(fault.host, "host"), mount = try fault.required(fault.mount, "mount")
            await simulator.restoreMount(mount, on: host)
            return await simulator.isMounted(mount, on: host)
                ? "\(mount) mounted on \(host)" : "\(mount) left to the cluster on \(host)"
        }
    }

    /// Finds the guest without touching other hosts, so only the host
    /// whose connection the fault uses has its guests' monitors armed.
    private func runningGuest(_ guest: String) async throws -> (String, Domain) {
        for host in await simulator.systems(where: guest, is: [.running, .blocked]) {
            guard let domain = try? await simulator.connection(of: host)?.lookupDomain(name: guest) else { continue }
            return (host, domain)
        }
        throw HarnessError("guest \(guest) is not running on any host")
    }
}
