/// Wall-clock time since a scenario's backend was made.
public struct LabClock: Sendable {
    let start = ContinuousClock.now
    public var now: Duration { ContinuousClock.now - start }
}
