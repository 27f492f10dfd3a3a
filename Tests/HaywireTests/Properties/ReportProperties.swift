import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Haywire

/// The reports of planned runs over generated configs, with the budget of a
/// large run forced on: every scenario is still in them, a passing one
/// keeps its fault, heal, verdict and expected groups' lines, and no
/// scenario's text outgrows its share.
@Suite struct ReportProperties {
    @Test(arguments: PropertyBudget.fewSeeds)
    func summarizedReportsKeepWhatAPersonReadsFirst(_ seed: UInt64) async throws {
        print("property seed \(seed)")
        let planned = try PlannedConfig(seed: seed)
        defer { planned.remove() }
        guard let suite = planned.suite else { return }
        let record = RunRecord(await Runner(factory: SimulatedBackendFactory(seed: seed)).run(suite), sources: false)
        let budget = ReportBudget(record.scenarios, fullLimit: 0, failingShare: 1, passingShare: 1 << 40)
        #expect(budget.summarizePassing)
        #expect(budget.failingLimit == ReportBudget.minPerScenario)
        let tight = ReportBudget(record.scenarios, fullLimit: 0, failingShare: 1, passingShare: 1)
        for scenario in record.scenarios where scenario.verdict == "passed" {
            #expect(tight.text(of: scenario).utf8.count <= ReportBudget.minSummary)
        }
        for scenario in record.scenarios {
            let text = budget.text(of: scenario)
            if scenario.verdict == Verdict.passed.rawValue {
                let groups = Set(scenario.expectations.compactMap(\.group))
                let kept = scenario.timeline.filter { ["fault", "heal", "verdict"].contains($0.kind) || ($0.kind == "state" && $0.group.map(groups.contains) == true) }
                let lines = Set(text.split(separator: "\n").map(String.init))
                #expect(kept.allSatisfy { lines.contains($0.line) }, "seed \(seed): \(scenario.name) lost a line a person reads first")
                #expect(!scenario.timeline.contains { $0.kind == "cluster" && lines.contains($0.line) })
            } else {
                #expect(text.utf8.count <= budget.failingLimit, "seed \(seed): \(scenario.name) carries \(text.utf8.count) bytes")
            }
        }
        let junit = JUnitWriter.render(records: [record])
        let document = try XMLDocument(data: Data(junit.utf8))
        #expect(try document.nodes(forXPath: "//testcase").count == record.scenarios.count)
        let html = HTMLReport.render(record)
        for scenario in record.scenarios { #expect(html.contains(XMLText.escape(scenario.name))) }
    }

    /// Failures come first on the page, before any passing scenario's detail.
    @Test func failuresAreDetailedBeforePassingScenarios() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/split-brain-without-fencing.yaml")
        let record = RunRecord(await Runner(factory: SimulatedBackendFactory()).run(suite), sources: false)
        let html = HTMLReport.render(record)
        let failing = record.scenarios.indices.filter { record.scenarios[$0].verdict != "passed" }
        let passing = record.scenarios.indices.filter { record.scenarios[$0].verdict == "passed" }
        try #require(!failing.isEmpty)
        let firstPassing = passing.compactMap { html.range(of: "<section id=\"s\($0)\"")?.lowerBound }.min()
        let lastFailing = failing.compactMap { html.range(of: "<section id=\"s\($0)\"")?.lowerBound }.max()
        #expect(lastFailing != nil)
        if let firstPassing, let lastFailing { #expect(lastFailing < firstPassing) }
        #expect(html.range(of: "<h2>Failures</h2>")!.lowerBound < html.range(of: "<h2>Scenarios</h2>")!.lowerBound)
    }
}
