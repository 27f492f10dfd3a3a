import Foundation
import Testing
@testable import Haywire

/// `haywire compare` on real run records of the simulator: two runs of the
/// same seed are the same; a planted 20 % slowdown is a regression, 5 % is
/// not (the threshold is 10 %); too few samples say so instead of guessing.
@Suite struct CompareCommandTests {
    /// A copy of `record` with every recovery time multiplied by `factor`.
    private func slowed(_ record: URL, by factor: Double, into dir: URL) throws -> URL {
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: record)) as! [String: Any]
        json["scenarios"] = (json["scenarios"] as! [[String: Any]]).map { scenario in
            var scenario = scenario
            if let recovery = scenario["recovery"] as? Double { scenario["recovery"] = recovery * factor }
            return scenario
        }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent(record.lastPathComponent)
        try JSONSerialization.data(withJSONObject: json).write(to: out)
        return out
    }

    @Test func aPlantedSlowdownIsFlaggedAndTheSameSeedIsQuiet() async throws {
        let root = try CLI.temporaryFolder()
        let a = root.appendingPathComponent("a"), b = root.appendingPathComponent("b")
        for dir in [a, b] {
            #expect(try await CLI.run(["run", "Suites/pm-pm-timelines.yaml", "--seed", "5", "--reports", dir.path]).status == 0)
        }
        let junit = root.appendingPathComponent("compare.junit.xml").path
        let same = try await CLI.run(["compare", a.path, "--", b.path, "--junit", junit])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdout.contains("0 regressions, 0 verdicts flipped"))
        #expect(same.stdout.contains("not enough samples (n=1; need ≥ 8 for a verdict)"))

        let record = b.appendingPathComponent("pm-pm-timelines.run.json")
        let slower = try slowed(record, by: 1.2, into: root.appendingPathComponent("c"))
        let flagged = try await CLI.run(["compare", a.path, "--", slower.path, "--junit", junit])
        #expect(flagged.status == 1)
        #expect(flagged.stdout.contains("pm-pm-timelines / guest power loss, twenty times  n=20/20"))
        #expect(flagged.stdout.contains("(+20 %)"))
        #expect(flagged.stdout.contains("2 regressions"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.components(separatedBy: "type=\"regression\"").count == 3)

        let alittle = try slowed(record, by: 1.05, into: root.appendingPathComponent("d"))
        #expect(try await CLI.run(["compare", a.path, "--", alittle.path, "--junit", junit]).status == 0)
        #expect(try await CLI.run(["compare", "--slower", "3%", a.path, "--", alittle.path, "--junit", junit]).status == 1)
    }

    @Test func badInputIsRefused() async throws {
        let help = try await CLI.run(["compare", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: haywire compare"))
        #expect(try await CLI.run(["compare", "Suites"]).status == 2)
        let missing = try await CLI.run(["compare", "/nonexistent.run.json", "--", "/nonexistent.run.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent.run.json: no such file or folder"))
    }
}

extension CompareCommandTests {
    @Test func aFlippedVerdictFailsTheComparison() async throws {
        let root = try CLI.temporaryFolder()
        let a = root.appendingPathComponent("a")
        #expect(try await CLI.run(["run", "Suites/pm-pm.yaml", "--seed", "3", "--reports", a.path]).status == 0)
        let record = a.appendingPathComponent("pm-pm-guest-availability.run.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: record)) as! [String: Any]
        var scenarios = json["scenarios"] as! [[String: Any]]
        scenarios[0]["verdict"] = "failed"
        json["scenarios"] = scenarios
        let b = root.appendingPathComponent("b.run.json")
        try JSONSerialization.data(withJSONObject: json).write(to: b)
        let name = scenarios[0]["name"] as! String
        let out = try await CLI.run(["compare", record.path, "--", b.path, "--junit", root.appendingPathComponent("c.xml").path])
        #expect(out.status == 1)
        #expect(out.stdout.contains("FLIPPED  pm-pm-guest-availability / \(name): passed before, failed now"))
    }
}

/// `haywire trend`: a sparkline per scenario and fault kind, the slowed
/// run ringed, an SLA miss in red.
@Suite struct TrendCommandTests {
    @Test func thePageShowsEachSeriesTheSlowerRunAndTheMisses() async throws {
        let root = try CLI.temporaryFolder()
        let a = root.appendingPathComponent("a")
        #expect(try await CLI.run(["run", "Suites/pm-pm-timelines.yaml", "--seed", "5", "--reports", a.path]).status == 0)
        #expect(try await CLI.run(["run", "Suites/sla-too-short.yaml", "--seed", "5", "--reports", a.path]).status == 1)
        // A later night, 20 % slower.
        let record = a.appendingPathComponent("pm-pm-timelines.run.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: record)) as! [String: Any]
        json["startedAt"] = "2099-01-01T00:00:00Z"
        json["scenarios"] = (json["scenarios"] as! [[String: Any]]).map { scenario in
            var scenario = scenario
            if let recovery = scenario["recovery"] as? Double { scenario["recovery"] = recovery * 1.2 }
            return scenario
        }
        let later = root.appendingPathComponent("later.run.json")
        try JSONSerialization.data(withJSONObject: json).write(to: later)
        let page = root.appendingPathComponent("trend.html")
        let out = try await CLI.run(["trend", a.path, later.path, "--out", page.path])
        #expect(out.status == 0, "\(out.stderr)")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("<td>pm-pm-timelines / guest power loss, twenty times</td>"))
        #expect(html.components(separatedBy: "class=\"slower\"").count == 3)
        #expect(html.contains("class=\"miss\""))
        #expect(html.contains("stroke-dasharray"))
    }
}

/// Coverage: each group against each fault kind, where it struck and how it went.
@Suite struct CoverageCommandTests {
    @Test func eachGroupMeetsTheFaultKindsItWasGivenAndTheRestNeverRan() async throws {
        let reports = try CLI.temporaryFolder()
        #expect(try await CLI.run(["run", "Suites/pm-pm.yaml", "Suites/sla-too-short.yaml", "--seed", "2", "--reports", reports.path]).status == 1)
        let out = try await CLI.run(["coverage", reports.path])
        #expect(out.status == 0)
        #expect(out.stdout.contains("vmgrp\n  kill-guest      vm1 1✓ 1✗\n"))
        #expect(out.stdout.contains("  kill-host       hosta 1✓\n"))
        #expect(out.stdout.contains("  unmount         hosta 1✓\n"))
        let html = try String(contentsOf: reports.appendingPathComponent("pm-pm-guest-availability.html"), encoding: .utf8)
        #expect(html.contains("<h2>Coverage</h2>"))
        #expect(html.contains("<td>vm1 1✓</td>"))
        #expect(try await CLI.run(["coverage", "/nonexistent"]).status == 2)
    }
}
