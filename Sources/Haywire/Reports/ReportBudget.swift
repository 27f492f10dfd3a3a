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
        let total = scenarios.reduce(0) { sum, scenario in
            scenario.timeline.reduce(sum) { $0 + $1.text.utf8.count + 22 }
        }
        summarizePassing = total > fullLimit
        let failing = scenarios.filter { $0.verdict != Verdict.passed.rawValue }.count
        failingLimit = summarizePassing
            ? min(Self.maxPerScenario, max(floor, failingShare / max(1, failing)))
            : Self.maxPerScenario
        passingLimit = min(Self.maxPerScenario, max(Self.minSummary, passingShare / max(1, scenarios.count - failing)))
    }

    /// What a report shows of `scenario`'s timeline, saying what it leaves out.
    func text(of scenario: RunRecord.ScenarioRecord) -> String {
        if summarizePassing, scenario.verdict == Verdict.passed.rawValue {
            let summary = Self.summary(of: scenario)
            let left = scenario.timeline.count - summary.count
            let note = left > 0 ? ["[\(left) more lines in the run record]"] : []
            return JUnitWriter.capped(summary.map(\.line) + note, limit: passingLimit)
        }
        return JUnitWriter.capped(scenario.timeline.lazy.map(\.line), limit: failingLimit)
    }

    /// The fault, heal, verdict and note lines, and the state changes of the
    /// groups the scenario's expectations name.
    static func summary(of scenario: RunRecord.ScenarioRecord) -> [RunRecord.Event] {
        let groups = Set(scenario.expectations.compactMap(\.group))
        return scenario.timeline.filter { event in
            switch event.kind {
            case "state": event.group.map(groups.contains) ?? false
            case "cluster", "log": false
            default: true
            }
        }
    }
}
