import Foundation

public struct ExpectationResult: Sendable {
    public let expectation: Expectation
    /// The system `next` or a name resolved to at fault time; nil for `any`.
    public let system: String?
    public let deadline: Duration
    /// When the expectation first held, on the backend clock.
    public private(set) var satisfiedAt: Duration?
    /// From the fault taking effect to `satisfiedAt`.
    public private(set) var recovery: Duration?
    /// The group's state when the verdict was reached.
    public let lastState: String
    /// For `stays`: when the group was seen leaving.
    public var leftAt: Duration? = nil
    /// Missed, then seen after its deadline: the real recovery time.
    public var lateRecovery: Duration? = nil
    /// How long past its deadline a missed expectation was watched.
    public var settle: Duration = .zero
    /// False when the scenario stopped before the expectation was decided.
    public var decided = true

    public var passed: Bool { satisfiedAt != nil }

    /// The same, met at `instant`, what the cluster's own record of the
    /// recovery says: before the poll that saw it, or while that poll was
    /// reading (up to `latest`), but never past the deadline.
    func stamped(at instant: Duration, latest: Duration) -> ExpectationResult {
        guard let seen = satisfiedAt, instant <= max(seen, min(latest, deadline)) else { return self }
        var copy = self
        copy.satisfiedAt = instant
        copy.recovery = recovery.map { $0 + (instant - seen) }
        return copy
    }

    /// What a point expectation waits for, as a phrase.
    public var target: String {
        let group = expectation.group
        return switch expectation.kind {
        case .online: system.map { "\(group) online on \($0)" } ?? "\(group) online on any system"
        case .onlineElsewhere(let other): "\(group) online on a system other than \(other)"
        case .faulted(let on): "\(group) FAULTED on \(on)"
        case .promoted(let on): "\(group) promoted on \(on)"
        case .systemState(let on, let state): "system \(on) \(state.rawValue)"
        case .stays, .offlineEverywhere, .noConcurrencyViolation: expectation.description
        }
    }

    /// One line: the expectation, the deadline and what was last seen.
    public var message: String {
        if !decided { return "\(expectation.description): undecided, the scenario stopped first" }
        let group = expectation.group, window = formatDuration(expectation.within)
        switch expectation.kind {
        case .noConcurrencyViolation:
            guard let leftAt else { return "no concurrency violation of \(group) in \(window)" }
            return "concurrency violation: \(group) active on two systems at t=\(secondsText(leftAt))s; observed: \(lastState)"
        case .offlineEverywhere:
            if passed { return "\(group) was not failed over: offline everywhere after \(window)" }
            if let leftAt { return "\(group) came online elsewhere at t=\(secondsText(leftAt))s, though it must not fail over; last observed: \(lastState)" }
            return "\(group) still online after \(window); last observed: \(lastState)"
        case .stays(let partial):
            let up = partial ? "up" : "online"
            guard let leftAt else { return "\(group) stayed \(up) on \(system ?? "its system") for \(window)" }
            return "\(group) left \(system ?? "its system") at t=\(secondsText(leftAt))s, inside its \(window) window; last observed: \(lastState)"
        case .online, .onlineElsewhere, .faulted, .promoted, .systemState:
            if let recovery { return "\(target) after \(formatDuration(recovery)) (SLA \(window))" }
            if let lateRecovery { return "\(target) not reached within \(window): recovered after \(formatDuration(lateRecovery)) (SLA \(window))" }
            let watched = settle > .zero ? ", nor in the \(formatDuration(settle)) watched after it" : ""
            return "\(target) not reached within \(window) (deadline t=\(secondsText(deadline))s)\(watched); last observed: \(lastState)"
        }
    }
}

public struct FaultSpan: Sendable, Equatable {
    public let fault: String
    public let from: Duration
    /// Nil when it was never healed.
    public let to: Duration?
    /// The fault as made, every target resolved.
    public var resolved: Fault? = nil
}

public enum Verdict: String, Sendable {
    case passed, failed, error
    /// Not run: only a merge with `--allow-partial` writes it, for a missing shard's scenarios.
    case skipped
}

public struct ScenarioResult: Sendable {
    public let name: String
    public let fault: String
    public let verdict: Verdict
    /// Why it failed or errored; empty when it passed.
    public let message: String
    public let expectations: [ExpectationResult]
    public var timeline: [TimelineEntry]
    /// Backend-clock time the scenario took, steady state included.
    public let duration: Duration
    public let resolution: Duration
    public let healErrors: [String]
    /// Each fault's span on the backend clock: from its effect to its heal.
    public var faultSpans: [FaultSpan] = []
    /// The lab did not reach its steady state: later scenarios would inherit it.
    public var labBroken = false

    /// The slowest recovery among the expectations that held.
    public var recovery: Duration? { expectations.compactMap { $0.recovery ?? $0.lateRecovery }.max() }

    /// The same result under another name (for volume tests of the reports).
    public func renamed(_ newName: String) -> ScenarioResult {
        var copy = ScenarioResult(name: newName, fault: fault, verdict: verdict, message: message, expectations: expectations,
                                  timeline: timeline, duration: duration, resolution: resolution, healErrors: healErrors)
        copy.faultSpans = faultSpans
        copy.labBroken = labBroken
        return copy
    }
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
    /// The files the suite came from, and the scenarios selected to run.
    public var sources: [String] = []
    public var selected: [String] = []
    /// Every scenario of the suite file, in its order (before --only,
    /// --skip and --shard), so that merged shards keep the suite's order.
    public var order: [String] = []
    /// `--shard I/N` as `I/N`, and the scenarios selected before sharding.
    public var shard: String?
    public var beforeSharding: [String] = []

    public var failures: Int { scenarios.filter { $0.verdict == .failed }.count }
    public var errors: Int { scenarios.filter { $0.verdict == .error }.count }
    public var duration: Duration { scenarios.map(\.duration).reduce(.zero, +) }

    /// The same run with other scenario results.
    public func replacing(scenarios newScenarios: [ScenarioResult]) -> SuiteResult {
        var copy = SuiteResult(suite: suite, file: file, manager: manager, configPath: configPath, scenarios: newScenarios,
                               startedAt: startedAt, hostname: hostname)
        copy.seed = seed
        copy.sources = sources
        copy.selected = newScenarios.map(\.name)
        copy.order = copy.selected
        return copy
    }
}
