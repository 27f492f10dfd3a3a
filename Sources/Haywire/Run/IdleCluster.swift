import Foundation

extension ScenarioRun {
    /// Waits, up to `limit`, until the cluster has nothing left to do, with
    /// the steady state still holding: a node that has just rejoined may be
    /// counted running while the cluster has yet to start anything on it,
    /// and a fault made then races that work. The errored result when the
    /// cluster stays busy (the lab is then broken) or cannot be asked.
    mutating func reachIdle(_ steady: SteadyState, _ backend: Backend, within limit: Duration) async -> ScenarioResult? {
        guard let pendingWork = backend.pendingWork else { return nil }
        let probe = backend.probe
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        let waitedFrom = await probe.now()
        var noted: [String] = []
        while true {
            let pending: [String]
            do {
                pending = try await pendingWork()
            } catch {
                return errored(error is CancellationError ? "interrupted before the fault" : "cannot ask the cluster what it still has to do: \(error)")
            }
            if pending.isEmpty {
                if !noted.isEmpty {
                    let now = await probe.now()
                    add(.note, "the cluster is idle after \(formatDuration(now - waitedFrom)) of waiting", at: now)
                }
                return nil
            }
            if pending != noted {
                add(.note, "the cluster still has work before the fault: " + pending.joined(separator: "; "), at: await probe.now())
                noted = pending
            }
            guard clock.now < deadline else {
                var result = errored("the cluster did not become idle within \(formatDuration(limit)); it still had to: "
                                     + pending.joined(separator: "; "))
                result.labBroken = true
                return result
            }
            do {
                try await Task.sleep(for: .seconds(1))
            } catch {
                return errored("interrupted before the fault")
            }
            let remaining = deadline - clock.now
            if let lost = await reachSteady(steady, probe, within: max(remaining, .zero),
                                            missed: "steady state lost while the cluster finished its work") {
                return lost
            }
        }
    }
}
