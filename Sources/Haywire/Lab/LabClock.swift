import Foundation

/// Wall-clock time since a scenario's backend was made.
public struct LabClock: Sendable {
    let start = ContinuousClock.now
    /// The same instant on the calendar, to place what hosts stamp (alerts).
    let startDate = Date()
    public var now: Duration { ContinuousClock.now - start }

    /// A host's wall-clock instant on this clock.
    func time(of date: Date) -> Duration {
        .nanoseconds(Int64((date.timeIntervalSince(startDate) * 1e9).rounded()))
    }
}
