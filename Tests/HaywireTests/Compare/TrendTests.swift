import Foundation
import Testing
@testable import Haywire

/// Trend rings the runs that compare finds slower than every run before
/// them, over generated histories (seeded, the seed printed).
@Suite struct TrendTests {
    @Test(arguments: PropertyBudget.fewSeeds)
    func ringsWhatCompareFindsAgainstAllEarlierRuns(_ seed: UInt64) {
        print("property seed \(seed)")
        var random = SplitMix(seed: seed)
        let slowFrom = random.next(in: 3...7)
        let records = (0..<10).map { night in
            Self.record(night: night, scenarios: 12, repeats: 8, slower: night >= slowFrom ? 1.3 : 1, &random)
        }
        let trend = Trend(records.shuffled(using: &random))
        let rung = Set(trend.series.flatMap { line in line.points.filter(\.regression).map { "\(line.key) @ \($0.run)" } })
        var expected: Set<String> = []
        for night in 1..<records.count {
            // Built afresh from the earlier records each night (no intervals: the verdict does not use them).
            let compared = Comparison(before: .init(Array(records[..<night])), after: .init([records[night]]), slower: 0.10, confidence: 0.95,
                                      intervals: false)
            expected.formUnion(compared.regressions.map { "\($0.key) @ \(records[night].startedAt)" })
        }
        let differ = rung.symmetricDifference(expected).sorted()
        #expect(differ.isEmpty, "seed \(seed): trend and compare differ on \(differ.count), such as \(differ.prefix(3))")
        // The planted slowdown is found on its first night, for the fault kind.
        #expect(rung.contains("fault kill-guest @ \(records[slowFrom].startedAt)"), "seed \(seed): slower from night \(slowFrom)")
        #expect(trend.series.allSatisfy { $0.points.count == records.count })
    }

    /// A night of `scenarios` kill-guest scenarios run `repeats` times,
    /// recoveries about 20 s times `slower`.
    static func record(night: Int, scenarios: Int, repeats: Int, slower: Double, _ random: inout SplitMix) -> RunRecord {
        let runs = (0..<scenarios).flatMap { index in
            (1...repeats).map { run in
                RunRecord.ScenarioRecord(
                    name: "guest \(index) #\(run)", fault: "kill-guest guest vm\(index)", verdict: "passed", message: "",
                    duration: 60, resolution: 1, recovery: (20 + Double(random.next(in: 0...2000)) / 1000) * slower, healErrors: [],
                    expectations: [], timeline: [], faultSpans: [])
            }
        }
        return RunRecord(suite: "nightly", file: "nightly.yaml", manager: "vcs", configPath: "", seed: UInt64(night),
                         startedAt: String(format: "2026-11-%02dT01:00:00Z", night + 1), hostname: "lab", selected: [], order: [],
                         sources: [], scenarios: runs)
    }
}
