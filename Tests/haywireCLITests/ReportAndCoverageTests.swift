import Foundation
import Testing

@Suite struct ReportAndCoverageTests {
    /// A suite against its runs and the plan from its own main.cf: what it
    /// aims at and never ran, and what the plan would strike besides.
    @Test func coverageSetsASuiteAndThePlanFromItsMainCfBesideTheRuns() async throws {
        let bare = try await CLI.run(["coverage", "Suites/pm-pm.yaml"])
        #expect(bare.status == 0)
        #expect(bare.stdout.contains("Suites/pm-pm.yaml aims at (4):\n  vmgrp  kill-guest  on vm1\n  vmgrp  kill-host  on hosta\n"))
        #expect(bare.stdout.contains("the plan from Suites/configs/pm-pm.main.cf would add (3 of its 7):\n  vmgrp  kill-host  on hostb\n"))
        let all = try CLI.temporaryFolder()
        _ = try await CLI.run(["run", "Suites/pm-pm.yaml", "--seed", "2", "--reports", all.path])
        let ran = try await CLI.run(["coverage", all.path, "Suites/pm-pm.yaml"])
        #expect(ran.status == 0)
        #expect(ran.stdout.contains("vmgrp\n  kill-guest      vm1 1✓\n"))
        #expect(ran.stdout.contains("aims at and no run struck (0 of 4):\n"))
        #expect(ran.stdout.contains("would add (3 of its 7):"))
        let plan = try await CLI.run(["coverage", all.path, "Suites/configs/pm-pm.main.cf"])
        #expect(plan.stdout.contains("the plan from Suites/configs/pm-pm.main.cf would add (3 of its 7):"))
        #expect(try await CLI.run(["coverage", "Suites/pm-pm.yaml", "Suites/kvm-kvm.yaml"]).status == 2)
    }

    /// `report` draws a record again; `--scenario` keeps only those, and a
    /// name that is not there is refused with the nearest one.
    @Test func reportWritesARecordsReportsAgainAndNamedScenariosInFull() async throws {
        let reports = try CLI.temporaryFolder()
        _ = try await CLI.run(["run", "Suites/pm-pm.yaml", "--seed", "2", "--reports", reports.path])
        let record = reports.appendingPathComponent("pm-pm-guest-availability.run.json").path
        let again = try CLI.temporaryFolder()
        let out = try await CLI.run(["report", record, "--reports", again.path])
        #expect(out.status == 0)
        let first = try String(contentsOf: reports.appendingPathComponent("pm-pm-guest-availability.junit.xml"), encoding: .utf8)
        let second = try String(contentsOf: again.appendingPathComponent("pm-pm-guest-availability.junit.xml"), encoding: .utf8)
        #expect(first == second)
        let names = first.components(separatedBy: "<testcase classname=\"pm-pm-guest-availability\" name=\"").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
        let one = try #require(names.first)
        let single = try CLI.temporaryFolder()
        #expect(try await CLI.run(["report", record, "--scenario", one, "--reports", single.path]).status == 0)
        let html = try String(contentsOf: single.appendingPathComponent("pm-pm-guest-availability.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<section id=").count == 2)
        let wrong = try await CLI.run(["report", record, "--scenario", String(one.dropLast()), "--reports", single.path])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("did you mean '\(one)'?"))
        #expect(try await CLI.run(["report", "/nonexistent.run.json"]).status == 2)
    }
}
