import VCSConfig

/// A suite's runs in order: each scenario once, or `repeat: N` times
/// ("name #1" ... "name #N") followed by the judgment of its percentile
/// bounds over those runs.
enum RunSlot {
    case run(Scenario)
    case percentiles(Scenario, runs: Int)

    static func plan(_ scenarios: [Scenario]) -> [RunSlot] {
        scenarios.flatMap { scenario -> [RunSlot] in
            guard scenario.repeats > 1 else { return [.run(scenario)] }
            let runs = (1...scenario.repeats).map { RunSlot.run(scenario.repetition($0)) }
            let bounded = scenario.expectations.contains { !$0.percentiles.isEmpty }
            return bounded ? runs + [.percentiles(scenario, runs: scenario.repeats)] : runs
        }
    }
}

extension Scenario {
    /// Run `number` of a repeated scenario: its own name, so CI tracks each.
    func repetition(_ number: Int) -> Scenario {
        var copy = with(name: "\(name) #\(number)", faults: faults)
        copy.repeats = 1
        return copy
    }

    /// The same scenario under another name or with other faults.
    func with(name: String, faults: [FaultSpec]) -> Scenario {
        var copy = Scenario(name: name, faults: faults, expectations: expectations, location: location)
        copy.tags = tags
        copy.given = given
        copy.random = random
        copy.repeats = repeats
        copy.drawnFaults = drawnFaults
        copy.waived = waived
        return copy
    }
}

/// Recovery-time percentiles over a repeated scenario's runs (nearest rank:
/// the value below which `p` % of the runs fall). A run that missed the
/// expectation counts with its real time when it was seen late, and as
/// slower than any bound when it never recovered.
enum Percentiles {
    static func value(_ percentile: Int, of samples: [Duration?]) -> Duration? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted { a, b in
            switch (a, b) {
            case (let x?, let y?): x < y
            case (.some, nil): true
            default: false
            }
        }
        let rank = max(1, Int((Double(percentile) / 100 * Double(sorted.count)).rounded(.up)))
        return sorted[rank - 1]
    }

    /// The verdict on `scenario`'s percentile bounds over `runs`.
    static func judge(_ scenario: Scenario, runs: [ScenarioResult]) -> ScenarioResult {
        var lines: [String] = [], missed: [String] = []
        for (index, expectation) in scenario.expectations.enumerated() where !expectation.percentiles.isEmpty {
            let samples = runs.map { run in
                run.expectations.indices.contains(index) ? run.expectations[index].recovery ?? run.expectations[index].lateRecovery : nil
            }
            for bound in expectation.percentiles {
                let value = Self.value(bound.percentile, of: samples)
                let shown = value.map(formatDuration) ?? "missed"
                let line = "\(expectation.description): p\(bound.percentile) \(shown) over \(runs.count) runs (bound \(formatDuration(bound.bound)))"
                lines.append(line)
                if value.map({ $0 > bound.bound }) ?? true { missed.append(line) }
            }
        }
        let timeline = lines.map { TimelineEntry(time: .zero, kind: .verdict, text: $0) }
        return ScenarioResult(name: "\(scenario.name) (percentiles)", fault: runs.first?.fault ?? scenario.faults.first?.description ?? "random",
                              verdict: missed.isEmpty ? .passed : .failed, message: missed.joined(separator: "; "),
                              expectations: [], timeline: timeline, duration: .zero,
                              resolution: runs.map(\.resolution).max() ?? .zero, healErrors: [])
    }
}
