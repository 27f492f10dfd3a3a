import Simulator

/// `random:`: faults drawn from a mix at drawn intervals for a while, from
/// the run's seed and the scenario's name, so that a seed repeats the same
/// schedule (and a run record's seed replays it).
public struct RandomSchedule: Sendable {
    public let mix: [FaultSpec]
    public let interval: ClosedRange<Duration>
    public let length: Duration

    /// The schedule for `scenario` under `seed`: the first fault at once,
    /// each next one an interval later, while inside `length`.
    public func draw(seed: UInt64, scenario: String) -> [FaultSpec] {
        var faults: [FaultSpec] = []
        var at = Duration.zero, number = 0
        while at <= length {
            var draw = SeededDraw(seed: seed)
            draw.mix(scenario)
            draw.mix(UInt64(number))
            var fault = mix[Int(draw.value() % UInt64(mix.count))]
            fault.at = at
            faults.append(fault)
            draw.mix("interval")
            let low = secondsValue(interval.lowerBound), high = secondsValue(interval.upperBound)
            at += duration(seconds: low + (high - low) * draw.unit())
            number += 1
        }
        return faults
    }
}

extension Scenario {
    /// The scenario with its random schedule drawn; as it is without one.
    func drawn(seed: UInt64) -> Scenario {
        guard let random else { return self }
        let faults = random.draw(seed: seed, scenario: name)
        var copy = with(name: name, faults: faults)
        // Judged over the whole schedule: each window and deadline runs
        // from the last heal the schedule sets, not from its first fault.
        let end = faults.map { $0.at + ($0.duration ?? .zero) }.max() ?? .zero
        copy.expectations = expectations.map { $0.extended(by: end) }
        copy.scheduleEnd = end
        copy.random = nil
        copy.drawnFaults = true
        return copy
    }
}

extension Expectation {
    /// The same expectation with `extra` more time.
    func extended(by extra: Duration) -> Expectation {
        var copy = Expectation(group: group, kind: kind, within: within + extra, location: location)
        copy.percentiles = percentiles
        return copy
    }
}
