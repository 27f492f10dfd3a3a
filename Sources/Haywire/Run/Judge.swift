import VCSConfig
import VCSSemantics

/// Decides each expectation: met at the first observation that satisfies it
/// before its deadline, missed once the deadline passes.
///
/// A recovery must be seen: if what the expectation wants already holds when
/// the fault hits (the group online where it must come back, a system
/// already RUNNING), it is met only after the observed state has changed and
/// come back, so that a cluster which has not yet noticed the fault does not
/// pass at 0 s.
struct Judge {
    let start: Duration
    let expectations: [Expectation]
    let systems: [String?]
    private let baseline: [[String]]
    private var changed: [Bool]
    private var satisfiedAt: [Duration?]
    private var closedAt: [ClusterState?]
    /// When a windowed expectation saw what breaks it.
    private var leftAt: [Duration?]
    /// A point expectation missed at its deadline is still watched until it
    /// settles (twice its SLA, at most 10 minutes more), for its real time.
    private var watchingLate: [Bool]
    private var lateAt: [Duration?]
    /// A drawn schedule's end: a point expectation is met only by what is
    /// seen after it, and its recovery time runs from it.
    let notBefore: Duration?

    init(start: Duration, expectations: [Expectation], systems: [String?], baseline: ClusterState, notBefore: Duration? = nil) {
        self.start = start
        self.notBefore = notBefore
        self.expectations = expectations
        self.systems = systems
        self.baseline = expectations.map { baseline.onlineSystems(of: $0.group) }
        satisfiedAt = Array(repeating: nil, count: expectations.count)
        closedAt = Array(repeating: nil, count: expectations.count)
        leftAt = Array(repeating: nil, count: expectations.count)
        watchingLate = Array(repeating: false, count: expectations.count)
        lateAt = Array(repeating: nil, count: expectations.count)
        changed = []
        changed = expectations.indices.map { !holds($0, in: baseline) }
    }

    func deadline(_ index: Int) -> Duration { start + expectations[index].within }

    var lastDeadline: Duration { expectations.indices.map(deadline).max() ?? start }

    /// Until when a missed expectation is watched for its real recovery.
    func settleDeadline(_ index: Int) -> Duration { deadline(index) + min(expectations[index].within, .seconds(600)) }

    /// How long to keep watching: the deadlines still open, and the settle
    /// time of what is watched past its deadline.
    var horizon: Duration {
        expectations.indices.map { isOpen($0) ? deadline($0) : watchingLate[$0] ? settleDeadline($0) : start }.max() ?? start
    }

    private func isOpen(_ index: Int) -> Bool { satisfiedAt[index] == nil && closedAt[index] == nil }

    var isDone: Bool { !expectations.indices.contains { isOpen($0) || watchingLate[$0] } }

    /// A point expectation missed at its deadline: watched until it settles.
    private mutating func miss(_ index: Int, _ state: ClusterState, at time: Duration) {
        closedAt[index] = state
        watchingLate[index] = time < settleDeadline(index)
    }

    /// Whether what expectation `index` waits for shows in `state`.
    func holds(_ index: Int, in state: ClusterState) -> Bool {
        let expectation = expectations[index], group = expectation.group
        switch expectation.kind {
        case .online, .stays(partial: false):
            let online = state.onlineSystems(of: group)
            return systems[index].map(online.contains) ?? !online.isEmpty
        case .stays(partial: true):
            let active = state.activeSystems(of: group)
            return systems[index].map(active.contains) ?? !active.isEmpty
        case .onlineElsewhere(let system):
            return state.onlineSystems(of: group).contains { $0 != system }
        case .faulted(let system):
            return state.flags(of: group, on: system).contains(.faulted)
        case .promoted(let system):
            return state.flags(of: group, on: system).contains(.promoted)
        case .systemState(let system, let status):
            return state.systems[system] == status
        case .offlineEverywhere, .noConcurrencyViolation:
            return false
        }
    }

    mutating func observe(_ state: ClusterState, at time: Duration) {
        for index in expectations.indices where watchingLate[index] { lateLook(index, state, at: time) }
        for index in expectations.indices where isOpen(index) {
            let group = expectations[index].group
            switch expectations[index].kind {
            case .noConcurrencyViolation:
                if state.activeSystems(of: group).count > 1 {
                    closedAt[index] = state
                    leftAt[index] = time
                } else if time >= deadline(index) {
                    satisfiedAt[index] = deadline(index)
                }
            case .offlineEverywhere:
                let online = state.onlineSystems(of: group)
                if online.contains(where: { !baseline[index].contains($0) }) {
                    closedAt[index] = state
                    leftAt[index] = time
                } else if time >= deadline(index) {
                    if online.isEmpty { satisfiedAt[index] = deadline(index) } else { closedAt[index] = state }
                }
            case .stays:
                if time > deadline(index) {
                    satisfiedAt[index] = deadline(index)
                } else if !holds(index, in: state) {
                    closedAt[index] = state
                    leftAt[index] = time
                }
            case .online, .onlineElsewhere, .faulted, .promoted, .systemState:
                if time > deadline(index) {
                    miss(index, state, at: time)
                    if watchingLate[index] { lateLook(index, state, at: time) }
                    continue
                }
                if let notBefore {
                    // Faults came and went: what holds once they are over counts.
                    guard time >= notBefore else { continue }
                    changed[index] = true
                }
                // Moved since the fault, or seen not holding: a recovery.
                let moved = if case .systemState = expectations[index].kind { false } else {
                    state.onlineSystems(of: group) != baseline[index]
                }
                if moved || !holds(index, in: state) { changed[index] = true }
                if changed[index], holds(index, in: state) { satisfiedAt[index] = time }
            }
        }
    }

    /// Past its deadline: the first observation of the recovery, by the
    /// rule a recovery is seen by before it (moved, or seen not holding).
    private mutating func lateLook(_ index: Int, _ state: ClusterState, at time: Duration) {
        guard time <= settleDeadline(index) else {
            watchingLate[index] = false
            return
        }
        let moved = if case .systemState = expectations[index].kind { false } else {
            state.onlineSystems(of: expectations[index].group) != baseline[index]
        }
        if moved || !holds(index, in: state) { changed[index] = true }
        closedAt[index] = state
        if changed[index], holds(index, in: state) {
            lateAt[index] = time
            watchingLate[index] = false
        }
    }

    /// Closes every expectation whose deadline has passed by `time`.
    mutating func close(at time: Duration, state: ClusterState) {
        for index in expectations.indices where watchingLate[index] && time >= settleDeadline(index) { watchingLate[index] = false }
        for index in expectations.indices where isOpen(index) && time >= deadline(index) {
            switch expectations[index].kind {
            case .stays, .noConcurrencyViolation:
                satisfiedAt[index] = deadline(index)
            case .offlineEverywhere where state.onlineSystems(of: expectations[index].group).isEmpty:
                satisfiedAt[index] = deadline(index)
            case .online, .onlineElsewhere, .faulted, .promoted, .systemState:
                miss(index, state, at: time)
            default:
                closedAt[index] = state
            }
        }
    }

    func results(state: ClusterState) -> [ExpectationResult] {
        expectations.indices.map { index in
            let seen = closedAt[index] ?? state
            let last = if case .systemState(let system, _) = expectations[index].kind {
                "\(system)=\(seen.systems[system]?.rawValue ?? "UNKNOWN")"
            } else {
                seen.summary(of: expectations[index].group)
            }
            return ExpectationResult(
                expectation: expectations[index], system: systems[index], deadline: deadline(index),
                satisfiedAt: satisfiedAt[index], recovery: expectations[index].isWindowed ? nil : satisfiedAt[index].map { $0 - (notBefore ?? start) },
                lastState: last, leftAt: leftAt[index], lateRecovery: lateAt[index].map { $0 - (notBefore ?? start) },
                settle: settleDeadline(index) - deadline(index),
                decided: satisfiedAt[index] != nil || closedAt[index] != nil)
        }
    }
}
