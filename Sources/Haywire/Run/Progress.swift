/// Where a running scenario is, for a live display.
public struct ScenarioProgress: Sendable {
    public enum Phase: Sendable, Equatable {
        /// Waiting for the steady state.
        case steady
        case injecting(String)
        /// Judging: time since the first fault, against the last deadline.
        case waiting(elapsed: Duration, sla: Duration)
        case healing
    }

    public let scenario: String
    public let phase: Phase

    public var description: String {
        switch phase {
        case .steady: "\(scenario): steady state"
        case .injecting(let fault): "\(scenario): injecting \(fault)"
        case .waiting(let elapsed, let sla): "\(scenario): waiting for recovery, \(formatDuration(elapsed)) of \(formatDuration(sla))"
        case .healing: "\(scenario): healing"
        }
    }
}
