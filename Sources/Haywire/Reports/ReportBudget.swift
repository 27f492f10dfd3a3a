/// How much timeline a report carries per scenario. Small runs carry every
/// line. When the timelines together pass `fullLimit`, a passing scenario
/// carries its summary and shares `passingShare` with the other passing
/// ones, and the scenarios that did not pass share `failingShare`, each
/// at least `floor`. The run
/// record keeps all. (A 5,120-scenario plan's timelines are 180 MB of text.)
struct ReportBudget: Sendable {
    let summarizePassing: Bool
    /// Bytes of timeline text for each scenario that did not pass, and for
    /// each passing one's summary.
    let failingLimit: Int
    let passingLimit: Int

    static let maxPerScenario = 64 * 1024, minPerScenario = 4 * 1024, minSummary = 512

    init(_ scenarios: [RunRecord.ScenarioRecord], fullLimit: Int, failingShare: Int, passingShare: Int, floor: Int = minPerScenario) {
        summarizePassing = Self.timelines(of: scenarios, exceed: fullLimit)
        let failing = scenarios.filter { $0.verdict != Verdict.passed.rawValue }.count
        failingLimit = summarizePassing
            ? min(Self.maxPerScenario, max(floor, failingShare / max(1, failing)))
            : Self.maxPerScenario
        passingLimit = min(Self.maxPerScenario, max(Self.minSummary, passingShare / max(1, scenarios.count - failing)))
    }

    /// Whether the timelines' text passes `limit` bytes; it stops counting
    /// there, since a large run's 2 million lines need not all be counted.
    static func timelines(of scenarios: [RunRecord.ScenarioRecord], exceed limit: Int) -> Bool {
        var total = 0
        for scenario in scenarios {
            for index in scenario.timeline.indices {
                total += scenario.timeline[index].text.utf8.count + 22
            }
            if total > limit { return true }
        }
        return false
    }

    /// What a report shows of `scenario`'s timeline, saying what it leaves out.
    func text(of scenario: RunRecord.ScenarioRecord) -> String {
        if summarizePassing, scenario.verdict == Verdict.passed.rawValue {
            let summary = Self.summary(of: scenario)
            let left = scenario.timeline.count - summary.count
            let note = left > 0 ? ["[\(left) more lines in the run record]"] : []
            return JUnitWriter.capped(summary + note, limit: passingLimit)
        }
        return JUnitWriter.capped(scenario.timeline.lazy.map(\.line), limit: failingLimit)
    }

    /// The lines of the fault, heal, verdict and note events, and of the
    /// state changes of the groups the scenario's expectations name.
    static func summary(of scenario: RunRecord.ScenarioRecord) -> [String] {
        let groups = Set(scenario.expectations.compactMap(\.group))
        let timeline = scenario.timeline
        return timeline.indices.compactMap { index in
            let kept = switch timeline[index].kind {
            case "state": timeline[index].group.map(groups.contains) ?? false
            case "cluster", "log": false
            default: true
            }
            return kept ? timeline[index].line : nil
        }
    }
}
