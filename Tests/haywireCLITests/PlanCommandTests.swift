import Foundation
import Testing

@Suite struct PlanCommandTests {
    @Test func aPlannedSuiteRunsAndPasses() async throws {
        let dir = try CLI.temporaryFolder()
        let suite = dir.appendingPathComponent("plans/pm-pm.yaml").path
        let plan = try await CLI.run(["plan", "Suites/configs/pm-pm.main.cf", "--out", suite])
        #expect(plan.status == 0)
        #expect(plan.stdout == "wrote \(suite)\n")
        let text = try String(contentsOfFile: suite, encoding: .utf8)
        #expect(text.contains("config: "))
        // No I/O fencing in this config: the link cuts split the brain, as
        // the plan says above them, and fail on it.
        #expect(text.contains("# no I/O fencing (UseFence is not SCSI3): a cut of every heartbeat link of hosta lets both sides run vmgrp: expected to fail"))
        let run = try await CLI.run(["run", suite, "--reports", dir.path])
        #expect(run.status == 1)
        #expect(run.stdout.hasSuffix("6 passed, 2 failed, 0 errors\n"), "\(run.stdout)")
        #expect(run.stdout.contains("FAIL  vmgrp on hosta: every link of hosta cut for 2m: concurrency violation: vmgrp active on two systems"), "\(run.stdout)")
    }

    /// With I/O fencing the loser of the race panics: the planned link cut
    /// has no split brain, and the whole plan passes.
    @Test func withFencingThePlannedLinkCutPasses() async throws {
        let dir = try CLI.temporaryFolder()
        let suite = dir.appendingPathComponent("fenced.yaml").path
        #expect(try await CLI.run(["plan", "Suites/configs/pm-pm-fenced.main.cf", "--out", suite]).status == 0)
        let text = try String(contentsOfFile: suite, encoding: .utf8)
        #expect(!text.contains("split-brain"))
        let run = try await CLI.run(["run", suite, "--reports", dir.path])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("PASS  vmgrp on hostb: every link of hostb cut for 2m: vmgrp online on hosta after 34s"))
        #expect(run.stdout.hasSuffix("7 passed, 0 failed, 0 errors\n"))
    }

    /// The seed's PM-PM sample as printed: no AutoStartList, no fencing.
    /// The plan brings the group online itself (`given:`), the link cuts
    /// split the brain and fail on it; with `UseFence = SCSI3` added, all
    /// that is planned passes.
    @Test func theSeedsOwnSampleIsPlannedAndItsSplitBrainFails() async throws {
        let dir = try CLI.temporaryFolder()
        let sample = CLI.packageRoot.appendingPathComponent("Tests/HaywireTests/Fixtures/seed/pm-pm.main.cf")
        let text = try String(contentsOf: sample, encoding: .utf8)
        try text.write(to: dir.appendingPathComponent("main.cf"), atomically: true, encoding: .utf8)
        let fenced = text.replacingOccurrences(of: "cluster kvmtest (\n", with: "cluster kvmtest (\n    UseFence = SCSI3\n")
        #expect(fenced != text)
        try fenced.write(to: dir.appendingPathComponent("fenced.cf"), atomically: true, encoding: .utf8)

        #expect(try await CLI.run(["plan", "main.cf", "--out", "plan.yaml"], in: dir).status == 0)
        let plan = try String(contentsOf: dir.appendingPathComponent("plan.yaml"), encoding: .utf8)
        #expect(plan.contains("# virtgrp: no AutoStartList, so VCS does not start it; each scenario brings it online first (given:, what it requires first)"))
        let run = try await CLI.run(["run", "plan.yaml", "--reports", "r"], in: dir)
        #expect(run.status == 1, "\(run.stdout)")
        #expect(run.stdout.contains("FAIL  virtgrp on sysa: every link of sysa cut for 2m: concurrency violation: virtgrp active on two systems"), "\(run.stdout)")
        #expect(run.stdout.hasSuffix("6 passed, 2 failed, 0 errors\n"), "\(run.stdout)")

        #expect(try await CLI.run(["plan", "fenced.cf", "--out", "fenced.yaml"], in: dir).status == 0)
        let fencedRun = try await CLI.run(["run", "fenced.yaml", "--reports", "f"], in: dir)
        #expect(fencedRun.status == 0, "\(fencedRun.stdout)")
        #expect(fencedRun.stdout.hasSuffix("7 passed, 0 failed, 0 errors\n"), "\(fencedRun.stdout)")
    }

    /// The seed's RemoteGroup sample as printed: no AutoStartList, rsg bound
    /// to vmgrp online local hard. Without the guest's cluster the plan is
    /// refused, naming what it needs; with it, given: brings vmgrp online
    /// first, and what fails is what the plan says is expected to.
    @Test func theSeedsRemoteGroupSamplePlansWithItsGuestCluster() async throws {
        let dir = try CLI.temporaryFolder()
        for name in ["pm-pm-remote.main.cf", "appclus.main.cf"] {
            try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("Tests/HaywireTests/Fixtures/seed/\(name)"),
                                             to: dir.appendingPathComponent(name))
        }
        let refused = try await CLI.run(["plan", "pm-pm-remote.main.cf"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.hasSuffix("pm-pm-remote.main.cf: RemoteGroup rvg1 (group rsg) reaches group appsg at 192.203.47.61: give the main.cf of the cluster there with --guest-config 192.203.47.61=FILE\n"), "\(refused.stderr)")
        let wrong = try await CLI.run(["plan", "pm-pm-remote.main.cf", "--guest-config", "192.203.47.61=appclus.main.cf", "--guest-config", "10.0.0.9=appclus.main.cf"], in: dir)
        #expect(wrong.stderr.hasSuffix("--guest-config 10.0.0.9: no RemoteGroup's IpAddress is 10.0.0.9\n"), "\(wrong.stderr)")

        let plan = try await CLI.run(["plan", "pm-pm-remote.main.cf", "--guest-config", "192.203.47.61=appclus.main.cf", "--out", "plan.yaml"], in: dir)
        #expect(plan.status == 0, "\(plan.stderr)")
        let text = try String(contentsOf: dir.appendingPathComponent("plan.yaml"), encoding: .utf8)
        #expect(text.contains("    - { guest: PMLvxfsvM1, address: 192.203.47.61, config: appclus.main.cf }"))
        #expect(text.contains("    given: [ { group: vmgrp, online: sysA }, { group: rsg, online: sysA } ]"))
        let run = try await CLI.run(["run", "plan.yaml", "--reports", "r"], in: dir)
        #expect(run.status == 1)
        #expect(run.stdout.hasSuffix("6 passed, 4 failed, 0 errors\n"), "\(run.stdout)")
        // Only the link cuts, which the plan tags split-brain, fail.
        let failed = run.stdout.split(separator: "\n").filter { $0.hasPrefix("  FAIL") }
        #expect(failed.count == 4 && failed.allSatisfy { $0.contains("every link of") }, "\(failed)")
    }

    @Test func faultsCanBeChosen() async throws {
        let plan = try await CLI.run(["plan", "Suites/configs/pm-pm.main.cf", "--faults", "kill-host"])
        #expect(plan.status == 0)
        #expect(plan.stdout.contains("kill-host: hosta"))
        #expect(!plan.stdout.contains("kill-guest"))
        let bad = try await CLI.run(["plan", "Suites/configs/pm-pm.main.cf", "--faults", "kill-host,meteor"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--faults: unknown fault kind 'meteor'"))
    }

    @Test func nothingToPlanIsInvalidInput() async throws {
        let dir = try CLI.temporaryFolder()
        try "cluster c ( )\nsystem a ( )\ngroup g ( SystemList = { a = 0 } )\n"
            .write(to: dir.appendingPathComponent("main.cf"), atomically: true, encoding: .utf8)
        let plan = try await CLI.run(["plan", "main.cf"], in: dir)
        #expect(plan.status == 2)
        // Each group with the reason it gives nothing to break.
        #expect(plan.stderr == "main.cf: nothing to plan:\n  g: no resource to bring online, so it is never ONLINE: nothing to break\n")
    }
}
