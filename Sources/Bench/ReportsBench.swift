import Foundation
import Haywire

/// Figure 7: the reports of a planned run. A generated 32-system, 320-group
/// main.cf plans 5,120 scenarios; they run on the simulator (real planned
/// timelines: every state change, monitor and fault of each scenario), and
/// the JUnit, HTML and run record are written at once, as `haywire run`
/// writes them. Goals: HTML ≤ 15 MB, JUnit ≤ 30 MB, all written in ≤ 2 s.
enum ReportsBench {
    static let groups = 320
    static let htmlGoal = 15_000_000, junitGoal = 30_000_000

    static func run(jobs: Int, limit: Int?) async throws -> Figure {
        let suite = try SimulatedBench.plannedSuite(groups: groups, in: "reports-plan", limit: limit)
        let result = await Runner(factory: SimulatedBackendFactory(parallelism: jobs)).run(suite)
        let failed = result.scenarios.filter { $0.verdict != .passed }.count
        let timeline = result.scenarios.map(\.timeline.count).reduce(0, +)
        print("reports: \(result.scenarios.count) planned scenarios (\(failed) not passed), \(timeline) timeline entries")
        let dir = try scratchFolder("reports").path
        var paths: ReportFiles.Paths?
        let cpuBefore = cpuSeconds()
        let wall = try await timed { paths = try await ReportFiles.write(result, to: dir) }
        let cpu = cpuSeconds() - cpuBefore
        guard let paths else { throw BenchError("no reports written") }
        // Each alone, for where the time goes.
        let record = RunRecord(result)
        let alone = [("record", try await timed { _ = RunRecord(result) }),
                     ("JUnit", try await timed { _ = try JUnitWriter.write(record, to: dir) }),
                     ("record JSON", try await timed { _ = try record.json() }),
                     ("run record", try await timed { _ = try RunRecord.write(record, to: dir) }),
                     ("HTML", try await timed { _ = try HTMLReport.write(record, to: dir) })]
        print("reports: each alone: " + alone.map { "\($0.0) \(fixed(seconds($0.1), 2)) s" }.joined(separator: ", "))
        let html = size(paths.html), junit = size(paths.junit), json = size(paths.json)
        let sizes = "HTML \(megabytes(html)), JUnit \(megabytes(junit)), \((paths.json as NSString).lastPathComponent) \(megabytes(json))"
        print("reports: written in \(fixed(seconds(wall), 2)) s (\(fixed(cpu, 2)) CPU s): \(sizes), peak RSS \(peakRSSMegabytes()) MB")
        let met = wall <= .seconds(2) && html <= htmlGoal && junit <= junitGoal
        return Figure(7, "reports of \(result.scenarios.count) planned scenarios", measured: "\(fixed(seconds(wall), 2)) s",
                      baseline: sizes, ratio: "\(fixed(millis(wall) * 1000 / Double(max(1, result.scenarios.count)), 0)) µs per scenario",
                      goal: "≤ 2 s, HTML ≤ 15 MB, JUnit ≤ 30 MB", met: met)
    }

    static func size(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    static func megabytes(_ bytes: Int) -> String { "\(fixed(Double(bytes) / 1_000_000, 1)) MB" }
}
