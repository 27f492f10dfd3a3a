import VCSConfig

/// Decides each expectation: met at the first observation that satisfies it
/// before its deadline, missed once the deadline passes.
///
/// A recovery must be seen: if the group already sits where the expectation
/// wants it when the fault hits (`any`, or a named active system), it is met
/// only after the observed placement has changed and come back, so that a
/// cluster which has not yet noticed the fault does not pass at 0 s.
struct Judge {
    let start: Duration
    let expectations: [Expectation]
    let systems: [String?]
    private let baseline: [[String]]
    private var changed: [Bool]
    private var satisfiedAt: [Duration?]
    private var closedAt: [ClusterState?]
    /// When a `stays` expectation saw the group leave.
    private var leftAt: [Duration?]

    init(start: Duration, expectations: [Expectation], systems: [String?], baseline: ClusterState) {
        self.start = start
        self.expectations = expectations
        self.systems = systems
        self.baseline = expectations.map { baseline.onlineSystems(of: $0.group) }
        satisfiedAt = Array(repeating: nil, count: expectations.count)
        closedAt = Array(repeating: nil, count: expectations.count)
        leftAt = Array(repeating: nil, count: expectations.count)
        changed = []
        changed = expectations.indices.map { !holds($0, in: baseline) }
    }

    func deadline(_ index: Int) -> Duration { start + expectations[index].within }

    var lastDeadline: Duration { expectations.indices.map(deadline).max() ?? start }

    private func isOpen(_ index: Int) -> Bool { satisfiedAt[index] == nil && closedAt[index] == nil }

    var isDone: Bool { !expectations.indices.contains(where: isOpen) }

    func holds(_ index: Int, in state: ClusterState) -> Bool {
        let online = expectations[index].acceptsPartial
            ? state.activeSystems(of: expectations[index].group) : state.onlineSystems(of: expectations[index].group)
        if let system = systems[index] { return online.contains(system) }
        return !online.isEmpty
    }

    mutating func observe(_ state: ClusterState, at time: Duration) {
        for index in expectations.indices where isOpen(index) {
            if expectations[index].noConcurrencyViolation {
                if state.activeSystems(of: expectations[index].group).count > 1 {
                    closedAt[index] = state
                    leftAt[index] = time
                } else if time >= deadline(index) {
                    satisfiedAt[index] = deadline(index)
                }
                continue
            }
            if expectations[index].offlineEverywhere {
                let online = state.onlineSystems(of: expectations[index].group)
                if online.contains(where: { !baseline[index].contains($0) }) {
                    closedAt[index] = state
                    leftAt[index] = time
                } else if time >= deadline(index) {
                    if online.isEmpty { satisfiedAt[index] = deadline(index) } else { closedAt[index] = state }
                }
                continue
            }
            if expectations[index].staysOnline {
                if time > deadline(index) {
                    satisfiedAt[index] = deadline(index)
                } else if !holds(index, in: state) {
                    closedAt[index] = state
                    leftAt[index] = time
                }
                continue
            }
            if time > deadline(index) {
                closedAt[index] = state
                continue
            }
            if state.onlineSystems(of: expectations[index].group) != baseline[index] { changed[index] = true }
            if changed[index], holds(index, in: state) { satisfiedAt[index] = time }
        }
    }

    /// Closes every expectation whose deadline has passed by `time`.
    mutating func close(at time: Duration, state: ClusterState) {
        for index in expectations.indices where isOpen(index) && time >= deadline(index) {
            if expectations[index].staysOnline || expectations[index].noConcurrencyViolation {
                satisfiedAt[index] = deadline(index)
            } else if expectations[index].offlineEverywhere, state.onlineSystems(of: expectations[index].group).isEmpty {
                satisfiedAt[index] = deadline(index)
            } else {
                closedAt[index] = state
            }
        }
    }

    func results(state: ClusterState) -> [ExpectationResult] {
        expectations.indices.map { index in
            let group = expectations[index].group
            let seen = closedAt[index] ?? state
            let stays = expectations[index].isWindowed
            return ExpectationResult(
                expectation: expectations[index], system: systems[index], deadline: deadline(index),
                satisfiedAt: satisfiedAt[index], recovery: stays ? nil : satisfiedAt[index].map { $0 - start },
                lastState: seen.summary(of: group), leftAt: leftAt[index],
                decided: satisfiedAt[index] != nil || closedAt[index] != nil)
        }
    }
}
