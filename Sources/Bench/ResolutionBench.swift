import Foundation
import Haywire
import Libvirt

/// Figures 3 and 5 on the local lab: the kill-guest scenario of
/// Suites/lab/pacemaker.yaml, run `runs` times.
/// 3: haywire's recovery time against the cluster's own record of it: from
///    libvirt's "destroyed" event for vm1 to Pacemaker's log line "Result of
///    start operation for vm1 on <host>: ok" (both to the millisecond).
///    haywire times it from Pacemaker's alerts; the poll's time, which the
///    timeline also gives, is printed beside it.
/// 5: each scenario's wall time from the fault to its verdict and heal,
///    against its inherent wait (libvirt making the fault, then the time
///    to recover).
enum ResolutionBench {
    static let scenario = "guest power loss moves the group to the next host"

    static func run(_ lab: Lab, runs: Int) async throws -> [Figure] {
        let suite = try SuiteLoader.load(path: "Suites/lab/pacemaker.yaml").selecting(only: [scenario], skip: [])
        guard suite.scenarios.count == 1 else { throw BenchError("Suites/lab/pacemaker.yaml has no scenario '\(scenario)'") }
        let destroyed = DestroyedEvents()
        var streams: [Task<Void, Never>] = []
        var connections: [Connection] = []
        for host in 1...3 {
            let connection = try await Connection.open(lab.uri(host))
            let events = try await connection.lifecycleEvents()
            connections.append(connection)
            streams.append(Task {
                for await event in events where event.domainName == "vm1" && event.isDestroyed { destroyed.add(Date()) }
            })
        }
        defer { streams.forEach { $0.cancel() } }

        var errors: [Double] = [], pollErrors: [Double] = [], ratios: [Double] = []
        for round in 1...runs {
            let result = await Runner(factory: LabBackendFactory()).run(suite).scenarios[0]
            guard result.verdict == .passed, let recovery = result.recovery,
                  let faultAt = result.timeline.first(where: { $0.kind == .fault })?.time else {
                throw BenchError("round \(round): \(result.verdict): \(result.message)")
            }
            guard let killed = destroyed.last(), let started = pacemakerStart(after: killed, lab) else {
                throw BenchError("round \(round): no destroyed event or no Pacemaker start of vm1 after it")
            }
            let truth = started.timeIntervalSince(killed)
            let error = seconds(recovery) - truth
            errors.append(error * 1000)
            // "…: vmgrp online on lab2 at t=A s (the probe saw it at t=B s)": the poll's recovery is B - A later.
            let polled = result.timeline.first { $0.kind == .cluster && $0.text.contains("(the probe saw it at t=") }.flatMap { entry -> Double? in
                let numbers = entry.text.components(separatedBy: "t=").dropFirst().compactMap { Double($0.prefix { $0.isNumber || $0 == "." }) }
                // An alert later than the poll is not taken: the recovery is then the poll's.
                return numbers.count == 2 ? seconds(recovery) + max(0, numbers[1] - numbers[0]) : nil
            }
            guard let polled else { throw BenchError("round \(round): no alert timed the recovery (is the lab's alert agent configured?)") }
            pollErrors.append((polled - truth) * 1000)
            // The inherent wait: libvirt making the fault (its destroy
            // returns once qemu is gone), then the cluster recovering.
            let effect = result.faultSpans.first?.from ?? faultAt
            let waited = seconds(result.duration - faultAt), inherent = seconds(effect - faultAt + recovery)
            ratios.append(waited / inherent)
            print("resolution: round \(round): haywire \(fixed(seconds(recovery), 3)) s (\(fixed(polled, 3)) s by the poll alone), cluster's record \(fixed(truth, 3)) s, "
                  + "error \(fixed(error * 1000, 1)) ms (\(fixed((polled - truth) * 1000, 0)) ms by the poll); "
                  + "from the fault to the verdict and heal \(fixed(waited, 3)) s, of which libvirt's destroy and the recovery \(fixed(inherent, 3)) s")
        }
        let worst = errors.map(abs).max() ?? .nan
        let overhead = median(ratios)
        return [
            Figure(3, "recovery-time error, local lab", measured: "worst \(fixed(worst, 1)) ms of \(runs) (\(errors.map { fixed($0, 1) }.joined(separator: ", ")) ms)",
                   baseline: "Pacemaker log and libvirt events",
                   ratio: "alerts; by the \(fixed(millis(suite.cluster.probeInterval), 0)) ms poll alone worst \(fixed(pollErrors.map(abs).max() ?? .nan, 0)) ms",
                   goal: "≤ 20 ms", met: worst <= 20),
            Figure(5, "harness overhead, local lab", measured: "fault to verdict and heal",
                   baseline: "libvirt's destroy + time to recover", ratio: fixed(overhead, 3), goal: "≤ 1.05", met: overhead <= 1.05),
        ]
    }

    /// The first "Result of start operation for vm1 on <host>: ok" logged on
    /// any host after `instant`.
    static func pacemakerStart(after instant: Date, _ lab: Lab) -> Date? {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.dateFormat = "yyyy MMM dd HH:mm:ss.SSS"
        let year = Calendar.current.component(.year, from: instant)
        var first: Date?
        for host in 1...3 {
            guard let text = try? String(contentsOfFile: lab.pacemakerLog(host), encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where line.contains("Result of start operation for vm1 on") && line.contains(": ok") {
                guard let stamp = format.date(from: "\(year) \(line.prefix(19))"), stamp > instant else { continue }
                if first.map({ stamp < $0 }) ?? true { first = stamp }
            }
        }
        return first
    }
}

/// Wall-clock instants of vm1's "destroyed" events, from every host.
final class DestroyedEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var instants: [Date] = []
    func add(_ instant: Date) { lock.withLock { instants.append(instant) } }
    func last() -> Date? { lock.withLock { instants.last } }
}
