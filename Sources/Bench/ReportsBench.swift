import Foundation
import Haywire

/// Figure 7: 10,000 scenario results written as JUnit, the run record
/// (JSON) and the HTML report. The results are the shipped PM-PM suite's,
/// run on the simulator and repeated under new names.
enum ReportsBench {
    static func run(count: Int) async throws -> Figure {
        let suite = try SuiteLoader.load(path: "Suites/pm-pm.yaml")
        let real = await Runner(factory: SimulatedBackendFactory()).run(suite)
        let scenarios = (0..<count).map { index in
            let source = real.scenarios[index % real.scenarios.count]
            return source.renamed("\(source.name) #\(index)")
        }
        let result = real.replacing(scenarios: scenarios)
        let dir = try scratchFolder("reports").path
        var paths: [String] = []
        let wall = try await timed {
            let written = try await ReportFiles.write(result, to: dir)
            paths = [written.junit, written.json, written.html]
        }
        // Each alone, for where the time goes.
        let record = RunRecord(result)
        let alone = [("record", try await timed { _ = RunRecord(result) }),
                     ("JUnit", try await timed { _ = try JUnitWriter.write(record, to: dir) }),
                     ("JSON", try await timed { _ = try RunRecord.write(record, to: dir) }),
                     ("HTML", try await timed { _ = try HTMLReport.write(record, to: dir) })]
        print("reports: each alone: " + alone.map { "\($0.0) \(fixed(seconds($0.1), 2)) s" }.joined(separator: ", "))
        let sizes = paths.map { path in
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return "\((path as NSString).lastPathComponent.split(separator: ".").dropFirst().joined(separator: ".")) \(bytes / 1_000_000) MB"
        }
        print("reports: \(count) results in \(fixed(seconds(wall), 2)) s: \(sizes.joined(separator: ", ")), peak RSS \(peakRSSMegabytes()) MB")
        return Figure(7, "report writing, \(count) results", measured: "\(fixed(seconds(wall), 2)) s", baseline: sizes.joined(separator: ", "),
                      ratio: "\(fixed(millis(wall) * 1000 / Double(count), 0)) µs per result", goal: "< 2 s", met: wall < .seconds(2))
    }
}
