import Simulator
import VCSConfig

/// Observes the simulator after every event it handles, on virtual time.
public struct SimulatedProbe: ClusterProbe {
    let simulator: Simulator

    public var resolution: Duration { .zero }

    public func now() async -> Duration { await simulator.now }

    public func state() async throws -> ClusterState { await simulator.state() }

    public func watch(until deadline: Duration, _ observe: (Observation) -> Bool) async throws -> Observation {
        var last = await look()
        if observe(last) { return last }
        var seen = await simulator.revision
        while await simulator.step(until: deadline) {
            // Most events (a monitor that finds all well) change nothing.
            let revision = await simulator.revision
            guard revision != seen else { continue }
            seen = revision
            let next = await look()
            guard next.state != last.state || !next.events.isEmpty else { continue }
            last = next
            if observe(next) { return next }
        }
        return Observation(time: await simulator.now, state: last.state, events: [])
    }

    private func look() async -> Observation {
        let events = await simulator.drainLog().map { TimelineEntry(time: $0.time, kind: .cluster, text: $0.text) }
        return Observation(time: await simulator.now, state: await simulator.state(), events: events)
    }
}
