import Foundation
import Testing
@testable import Haywire

/// Properties of the planner and the simulator over generated configs:
/// every planned scenario passes, no failover group is ever online twice
/// outside a partition without fencing, and the same seed tells the same
/// story on one thread and on all cores.
@Suite struct PlanAgreementProperties {
    @Test(arguments: PropertyBudget.seeds)
    func everyPlannedScenarioPassesAndNoGroupRunsTwice(_ seed: UInt64) async throws {
        print("property seed \(seed)")
        try await check(try PlannedConfig(seed: seed))
    }

    /// Configurations these properties once failed on, kept as they were.
    @Test(arguments: PropertyBudget.regressions)
    func regressionsStayFixed(_ file: String) async throws {
        try await check(try PlannedConfig(regression: file))
    }

    private func check(_ planned: PlannedConfig) async throws {
        let seed = planned.seed
        guard let suite = planned.suite else {
            print("property seed \(seed): nothing to plan")
            return planned.remove()
        }
        let result = await Runner(factory: SimulatedBackendFactory(seed: seed)).run(suite)
        var problems: [String] = []
        // The plan marks where it expects a split brain (no fencing): those
        // fail on it; every other scenario passes, with no group run twice.
        let splitBrains = Set(suite.scenarios.filter { $0.tags.contains("split-brain") }.map(\.name))
        for scenario in result.scenarios {
            if splitBrains.contains(scenario.name) {
                if scenario.verdict != .failed || !scenario.message.contains("concurrency violation") {
                    problems.append("\(scenario.name): expected a split brain, got \(scenario.verdict) \(scenario.message.prefix(240))")
                }
            } else if scenario.verdict != .passed {
                problems.append("\(scenario.name): \(scenario.verdict) \(scenario.message.prefix(240))")
            }
        }
        let summary = problems.isEmpty ? "" : planned.kept("\(problems.count) of \(result.scenarios.count) scenarios wrong")
        #expect(problems.isEmpty, "\(summary)\n\(problems.prefix(10).joined(separator: "\n"))")
        if problems.isEmpty { planned.remove() }
    }

    @Test(arguments: PropertyBudget.fewSeeds)
    func oneThreadAndAllCoresWriteTheSameRunRecord(_ seed: UInt64) async throws {
        let planned = try PlannedConfig(seed: seed)
        defer { planned.remove() }
        let suite = try #require(planned.suite, "seed \(seed) plans nothing")
        let one = await Runner(factory: SimulatedBackendFactory(seed: seed, parallelism: 1), seed: seed).run(suite)
        let all = await Runner(factory: SimulatedBackendFactory(seed: seed, parallelism: 4), seed: seed).run(suite)
        #expect(try comparable(one) == comparable(all), "seed \(seed)")
    }

    /// The run record without when and where it ran.
    private func comparable(_ result: SuiteResult) throws -> Data {
        var json = try JSONSerialization.jsonObject(with: RunRecord(result).json()) as! [String: Any]
        json["startedAt"] = nil
        json["hostname"] = nil
        return try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
    }
}
