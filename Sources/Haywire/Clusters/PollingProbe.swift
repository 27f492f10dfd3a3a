import Foundation
import VCSConfig

/// Reads a real cluster's state through one host's shell.
protocol StatusReader: Sendable {
    /// The state as that host sees it, and whether its view counts (a
    /// Pacemaker partition without quorum does not).
    func read(on shell: Shell) async throws -> (state: ClusterState, authoritative: Bool)
}

/// `crm_mon --output-as=xml`.
struct PacemakerReader: StatusReader {
    let groups: [String]

    func read(on shell: Shell) async throws -> (state: ClusterState, authoritative: Bool) {
        let result = try await shell.run(["/usr/sbin/crm_mon", "-1", "--output-as=xml"], timeout: .seconds(5))
        guard result.succeeded || result.stdout.contains("<summary>") else {
            throw HarnessError("crm_mon exited \(result.status): \(result.stderr.prefix(200))")
        }
        let status = try PacemakerStatus.parse(result.stdout, groups: groups)
        return (status.state, status.quorate)
    }
}

/// `hastatus -sum`.
struct VCSReader: StatusReader {
    let groups: [String]

    func read(on shell: Shell) async throws -> (state: ClusterState, authoritative: Bool) {
        let result = try await shell.run(["/opt/VRTSvcs/bin/hastatus", "-sum"], timeout: .seconds(10))
        return (try VCSStatus.summary(result.stdout + result.stderr, groups: groups), true)
    }
}

/// Polls a real cluster on the wall clock. It asks the hosts in order and
/// takes the first authoritative answer (or the first answer at all when
/// none is), so a dead node is skipped.
public struct PollingProbe: ClusterProbe {
    let hosts: [(name: String, shell: Shell)]
    let reader: any StatusReader
    let interval: Duration
    let clock: LabClock
    var guestEvents: GuestEvents? = nil
    var outers: OuterHypervisors? = nil

    public var resolution: Duration { interval }

    public func now() async -> Duration { clock.now }

    public func state() async throws -> ClusterState {
        var fallback: ClusterState?
        var problems: [String] = []
        for host in hosts {
            if let outers, await !outers.isReachable(host.name) {
                problems.append("\(host.name): unreachable, its outer domain is not running")
                continue
            }
            do {
                let (state, authoritative) = try await reader.read(on: host.shell)
                if authoritative { return state }
                fallback = fallback ?? state
            } catch {
                problems.append("\(host.name): \(error)")
            }
        }
        if let fallback { return fallback }
        throw HarnessError("no host answered: \(problems.joined(separator: "; "))")
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
