import Foundation
import Libvirt

/// Figure 2: from a qemu process killed (SIGKILL) to haywire learning of
/// it, through libvirt's lifecycle events (haywire's timeline) against
/// polling the domain's state at the probe interval.
enum DetectionBench {
    static func run(_ lab: Lab, kills: Int, pollInterval: Duration) async throws -> Figure {
        let connection = try await Connection.open(lab.uri(1))
        let listener = try await Connection.open(lab.uri(1))
        var eventLatencies: [Double] = [], pollLatencies: [Double] = []
        for round in 0..<kills {
            let domain = try await lab.startBenchDomain(connection)
            guard let pid = Lab.benchQemuPID() else { throw BenchError("cannot find the bench domain's qemu") }
            let events = try await listener.lifecycleEvents()
            let killedAt = Killed()
            let eventTask = Task { () -> Duration? in
                for await event in events where event.domainName == Lab.benchDomain && event.kind == .stopped {
                    return benchClock.now - killedAt.instant
                }
                return nil
            }
            let pollTask = Task { () -> Duration in
                let poller = try await connection.lookupDomain(name: Lab.benchDomain)
                while true {
                    let started = benchClock.now
                    if try await poller.state().state != .running { return benchClock.now - killedAt.instant }
                    try await Task.sleep(until: started + pollInterval, clock: benchClock)
                }
            }
            // The kills land evenly across a poll interval, as real faults would.
            try await Task.sleep(for: pollInterval * ((Double(round) + 0.5) / Double(kills)))
            killedAt.instant = benchClock.now
            kill(pid, SIGKILL)
            let pollLatency = try await pollTask.value
            let eventLatency = try await withThrowingTaskGroup(of: Duration?.self) { group in
                group.addTask { await eventTask.value }
                group.addTask { try await Task.sleep(for: .seconds(10)); eventTask.cancel(); return nil }
                let first = try await group.next()!
                group.cancelAll()
                return first
            }
            guard let eventLatency else { throw BenchError("no lifecycle event within 10 s of killing qemu") }
            eventLatencies.append(millis(eventLatency))
            pollLatencies.append(millis(pollLatency))
            await lab.removeBenchDomain(domain)
        }
        let events = median(eventLatencies), polling = median(pollLatencies)
        print("detection: \(kills) qemu kills; events \(eventLatencies.map { fixed($0) }.joined(separator: ", ")) ms; polling every \(fixed(millis(pollInterval), 0)) ms \(pollLatencies.map { fixed($0) }.joined(separator: ", ")) ms")
        let range = "min \(fixed(eventLatencies.min() ?? .nan)), max \(fixed(eventLatencies.max() ?? .nan))"
        return Figure(2, "detection latency, local lab", measured: "events: median \(fixed(events)) ms (\(range))",
                      baseline: "polling every \(fixed(millis(pollInterval), 0)) ms: median \(fixed(polling)) ms",
                      ratio: "\(fixed(polling / events))× sooner", goal: "events, < 50 ms", met: events < 50)
    }
}

/// When the kill was sent, shared with the watchers.
final class Killed: @unchecked Sendable {
    var instant = benchClock.now
}
