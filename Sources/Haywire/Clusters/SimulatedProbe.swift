import Simulator
import VCSConfig
import VCSSemantics

/// Observes the simulator once per instant in which something changed, on
/// virtual time: after every event due at that instant.
public struct SimulatedProbe: ClusterProbe {
    let simulator: Simulator

    public var resolution: Duration { .zero }

    public func now() async -> Duration { await simulator.now }

    public func state() async throws -> ClusterState { await simulator.state() }

    public func watch(until deadline: Duration, _ observe: (Observation) -> Bool) async throws -> Observation {
        var last = await look()
        if observe(last) { return last }
        while let seen = await simulator.advanceAndLook(until: deadline) {
            let next = observation(seen)
            guard next.changedGroups?.isEmpty == false || next.state.systems != last.state.systems || !next.events.isEmpty
            else { continue }
            last = next
            if observe(next) { return next }
        }
        return Observation(time: await simulator.now, state: last.state, events: [], changedGroups: [])
    }

    private func look() async -> Observation { observation(await simulator.look()) }

    private func observation(_ look: Simulator.Look) -> Observation {
        let events = look.log.map { TimelineEntry(time: $0.time, kind: .cluster, text: $0.text) }
        return Observation(time: look.time, state: look.state, events: events, changedGroups: look.changedGroups)
    }
}
