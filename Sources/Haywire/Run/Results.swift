import Foundation

public struct ExpectationResult: Sendable {
    public let expectation: Expectation
    /// The system `next` or a name resolved to at fault time; nil for `any`.
    public let system: String?
    public let deadline: Duration
    /// When the expectation first held, on the backend clock.
    public let satisfiedAt: Duration?
    /// From the fault taking effect to `satisfiedAt`.
    public let recovery: Duration?
    /// The group's state when the verdict was reached.
    public let lastState: String
    /// For `stays`: when the group was seen leaving.
    public var leftAt: Duration? = nil
    /// False when the scenario stopped before the expectation was decided.
    public var decided = true

    public var passed: Bool { satisfiedAt != nil }

    public var target: String { system.map { "\(expectation.group) online on \($0)" } ?? "\(expectation.group) online on any system" }

    /// One line: the expectation, the deadline and what was last seen.
    public var message: String {
        if !decided { return "\(expectation.description): undecided, the scenario stopped first" }
        if expectation.noConcurrencyViolation {
            let window = formatDuration(expectation.within)
            guard let leftAt else { return "no concurrency violation of \(expectation.group) in \(window)" }
            return "concurrency violation: \(expectation.group) active on two systems at t=\(secondsText(leftAt))s; observed: \(lastState)"
        }
        if expectation.offlineEverywhere {
            let window = formatDuration(expectation.within)
            if passed { return "\(expectation.group) was not failed over: offline everywhere after \(window)" }
            if let leftAt { return "\(expectation.group) came online elsewhere at t=\(secondsText(leftAt))s, though it must not fail over; last observed: \(lastState)" }
            return "\(expectation.group) still online after \(window); last observed: \(lastState)"
        }
        if expectation.staysOnline {
            let window = formatDuration(expectation.within)
            let up = expectation.acceptsPartial ? "up" : "online"
            guard let leftAt else { return "\(expectation.group) stayed \(up) on \(system ?? "its system") for \(window)" }
            return "\(expectation.group) left \(system ?? "its system") at t=\(secondsText(leftAt))s, inside its \(window) window; last observed: \(lastState)"
        }
        if let recovery {
            return "\(target) after \(formatDuration(recovery)) (SLA \(formatDuration(expectation.within)))"
        }
        return "\(target) not reached within \(formatDuration(expectation.within)) (deadline t=\(secondsText(deadline))s); last observed: \(lastState)"
    }
}

public enum Verdict: String, Sendable {
    case passed, failed, error
}

public struct ScenarioResult: Sendable {
    public let name: String
    public let fault: String
    public let verdict: Verdict
    /// Why it failed or errored; empty when it passed.
    public let message: String
    public let expectations: [ExpectationResult]
    public let timeline: [TimelineEntry]
    /// Backend-clock time the scenario took, steady state included.
    public let duration: Duration
    public let resolution: Duration
    public let healErrors: [String]

    /// The slowest recovery among the expectations that held.
    public var recovery: Duration? { expectations.compactMap(\.recovery).max() }
}

public struct SuiteResult: Sendable {
    public let suite: String
    public let file: String
    public let manager: ClusterManager
    public let configPath: String
    public let scenarios: [ScenarioResult]
    /// Wall-clock start of the run.
    public let startedAt: Date
    public let hostname: String
    /// The run's seed: `haywire run --seed` with it repeats the run.
    public var seed: UInt64 = 0

    public var failures: Int { scenarios.filter { $0.verdict == .failed }.count }
    public var errors: Int { scenarios.filter { $0.verdict == .error }.count }
    public var duration: Duration { scenarios.map(\.duration).reduce(.zero, +) }
}
