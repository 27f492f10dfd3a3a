import Foundation
import VCSConfig

/// Polls `crm_mon --output-as=xml` on the lab's hosts. It asks the hosts in
/// order and takes the first answer from a partition with quorum (or the
/// first answer at all when none has quorum), so a dead node is skipped.
public struct PacemakerProbe: ClusterProbe {
    let hosts: [(name: String, shell: Shell)]
    let groups: [String]
    let interval: Duration
    let clock: LabClock
    var guestEvents: GuestEvents? = nil

    public var resolution: Duration { interval }

    public func now() async -> Duration { clock.now }

    public func state() async throws -> ClusterState {
        var fallback: PacemakerStatus?
        var problems: [String] = []
        for host in hosts {
            do {
                let result = try await host.shell.run(["/usr/sbin/crm_mon", "-1", "--output-as=xml"], timeout: .seconds(5))
                guard result.succeeded || result.stdout.contains("<summary>") else {
                    problems.append("\(host.name): crm_mon exited \(result.status): \(result.stderr.prefix(200))")
                    continue
                }
                let status = try PacemakerStatus.parse(result.stdout, groups: groups)
                if status.quorate { return status.state }
                fallback = fallback ?? status
            } catch {
                problems.append("\(host.name): \(error)")
            }
        }
        if let fallback { return fallback.state }
        throw HarnessError("no host answered crm_mon: \(problems.joined(separator: "; "))")
    }

    public func watch(until deadline: Duration, _ observe: (Observation) -> Bool) async throws -> Observation {
        var last: ClusterState?
        while true {
            let started = clock.now
            let state = try await self.state()
            let events = await guestEvents?.drain() ?? []
            let observation = Observation(time: clock.now, state: state, events: events)
            if state != last || !events.isEmpty, observe(observation) { return observation }
            last = state
            if clock.now >= deadline { return observation }
            let next = min(started + interval, deadline)
            if next > clock.now { try await Task.sleep(for: next - clock.now) }
        }
    }
}

/// Wall-clock time since a scenario's backend was made.
public struct LabClock: Sendable {
    let start = ContinuousClock.now
    public var now: Duration { ContinuousClock.now - start }
}
