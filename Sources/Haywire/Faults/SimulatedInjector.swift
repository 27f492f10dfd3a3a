import Libvirt
import Simulator

/// Faults on a simulated lab. Guests die through libvirt (the test driver
/// of each host); power, links and mounts go through the simulator. What it
/// can make is its handler table (`SimulatedHandlers.swift`).
public struct SimulatedInjector: HandlerTableInjector {
    let simulator: Simulator
    /// KVM-KVM: the cluster systems each physical host runs as guests.
    var carried: [String: [String]] = [:]
    public internal(set) var handlers = SimulatedInjector.standard

    public func clockNow() async -> Duration { await simulator.now }

    /// The systems a power loss of `host` stops: those it carries, or itself.
    func systems(on host: String) -> [String] {
        let guests = carried[host] ?? []
        return guests.isEmpty ? [host] : guests
    }

    /// A guest that is itself a cluster system (KVM-KVM).
    func isSystem(_ guest: String) async -> Bool { await simulator.systemNames().contains(guest) }

    /// Finds the guest without touching other hosts, so only the host
    /// whose connection the fault uses has its guests' monitors armed.
    func runningGuest(_ guest: String) async throws -> (String, Domain) {
        for host in await simulator.systems(where: guest, is: [.running, .blocked]) {
            guard let domain = try? await simulator.connection(of: host)?.lookupDomain(name: guest) else { continue }
            return (host, domain)
        }
        throw HarnessError("guest \(guest) is not running on any host")
    }
}

/// A simulator call, its error as the harness reports it.
func throughSimulator<T>(_ body: () async throws(SimulatorError) -> T) async throws(HarnessError) -> T {
    do { return try await body() } catch { throw HarnessError(error.message) }
}
