import Foundation
import Testing

@Suite struct RunCommandTests {
    @Test func theShippedSuitePassesAndWritesJUnit() async throws {
        let reports = try CLI.temporaryFolder()
        let output = try await CLI.run(["run", "Suites/pm-pm.yaml", "--reports", reports.path])
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("  PASS ") }.count == 4)
        #expect(output.stdout.contains("PASS  guest power loss fails over to the next host: vmgrp FAULTED on hosta after 1m (SLA 2m); vmgrp online on hostb after 1m21s (SLA 3m)"))
        #expect(lines.last == "4 passed, 0 failed, 0 errors")
        let junit = try String(contentsOf: reports.appendingPathComponent("pm-pm-guest-availability.junit.xml"), encoding: .utf8)
        #expect(junit.contains("tests=\"4\" failures=\"0\" errors=\"0\""))
    }

    @Test func anImpossibleSLAExitsOneWithARealFailure() async throws {
        let reports = try CLI.temporaryFolder()
        let output = try await CLI.run(["run", "Suites/sla-too-short.yaml", "--reports", reports.path])
        #expect(output.status == 1)
        #expect(output.stdout.contains("FAIL  guest power loss recovered within 20 seconds: vmgrp online on hostb not reached within 20s"))
        let junit = try String(contentsOf: reports.appendingPathComponent("sla-too-short.junit.xml"), encoding: .utf8)
        #expect(junit.contains("<failure type=\"sla-miss\" message=\"vmgrp online on hostb not reached within 20s (deadline t=33.000s), nor in the 20s watched after it; last observed: vmgrp hosta=ONLINE hostb=OFFLINE\">"))
    }

    @Test func twoRunsWriteTheSameJUnitApartFromTimestampAndHostname() async throws {
        func junit() async throws -> String {
            let reports = try CLI.temporaryFolder()
            let output = try await CLI.run(["run", "Suites/pm-pm.yaml", "--reports", reports.path, "--seed", "7"])
            #expect(output.stdout.hasPrefix("seed 7 (repeat this run with --seed 7)\n"))
            let text = try String(contentsOf: reports.appendingPathComponent("pm-pm-guest-availability.junit.xml"), encoding: .utf8)
            return text.replacingOccurrences(of: #"timestamp="[^"]*" hostname="[^"]*""#, with: "", options: .regularExpression)
        }
        let first = try await junit()
        #expect(first.contains("<system-out>"))
        #expect(first.contains("<property name=\"seed\" value=\"7\"/>"))
        #expect(try await junit() == first)
    }

    @Test func withoutASeedOneIsDrawnAndRecorded() async throws {
        let reports = try CLI.temporaryFolder()
        let output = try await CLI.run(["run", "Suites/pm-pm.yaml", "--reports", reports.path])
        let seed = try #require(output.stdout.split(separator: "\n").first?.split(separator: " ").dropFirst().first)
        let junit = try String(contentsOf: reports.appendingPathComponent("pm-pm-guest-availability.junit.xml"), encoding: .utf8)
        #expect(junit.contains("<property name=\"seed\" value=\"\(seed)\"/>"))
    }

    @Test func onlyAndSkipPickScenariosByNameOrTag() async throws {
        let reports = try CLI.temporaryFolder()
        let picked = try await CLI.run(["run", "Suites/pm-pm-timelines.yaml", "--reports", reports.path, "--seed", "3",
                                  "--only", "guest", "--skip", "repeat", "--skip", "a guest reboot goes unnoticed"])
        #expect(picked.status == 0)
        #expect(picked.stdout.split(separator: "\n").filter { $0.hasPrefix("  PASS") }.map { $0.split(separator: ":")[0] }
            == ["  PASS  the failover target dies, then the guest", "  PASS  a graceful guest shutdown fails over"])
        let none = try await CLI.run(["run", "Suites/pm-pm-timelines.yaml", "--reports", reports.path, "--only", "nothing"])
        #expect(none.status == 2)
        #expect(none.stderr == "no scenario matches --only nothing\n")
    }

    @Test func aDryRunResolvesEveryFaultAndWritesNothing() async throws {
        let reports = try CLI.temporaryFolder().appendingPathComponent("r")
        let dry = try await CLI.run(["run", "--dry-run", "Suites/pm-pm.yaml", "--reports", reports.path])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("  scenario active host power loss fails over after the heartbeat timeout\n    at once: kill-host host hosta; heal at the end\n"))
        #expect(dry.stdout.contains("    at once: link-down host hosta links eth0; heal after 2m\n"))
        // `next` is resolved as the run would at the first fault.
        #expect(dry.stdout.contains("    expect vmgrp online on next within 3m (next: hostb)\n"))
        #expect(!FileManager.default.fileExists(atPath: reports.path))
    }

    /// `given:` is applied, and `next` resolves from there.
    @Test func aDryRunShowsGivenAndResolvesNextFromIt() async throws {
        let folder = try CLI.temporaryFolder()
        let suite = folder.appendingPathComponent("given.yaml").path
        try """
            suite: given
            cluster: { manager: simulated, config: \(CLI.packageRoot.path)/Suites/configs/pm-pm.main.cf }
            lab: { hosts: { hosta: {}, hostb: {} }, guests: { vm1: { on: [hosta, hostb] } } }
            scenarios:
              - name: from hostb
                given: [ { group: vmgrp, online: hostb } ]
                fault: { kill-host: active(vmgrp) }
                expect: [ { group: vmgrp, online: next, within: 3m } ]
            """.write(toFile: suite, atomically: true, encoding: .utf8)
        let dry = try await CLI.run(["run", "--dry-run", suite])
        #expect(dry.status == 0, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("  scenario from hostb\n    given: vmgrp online on hostb\n    at once: kill-host host hostb; heal at the end\n"
            + "    expect vmgrp online on next within 3m (next: hosta)\n"), "\(dry.stdout)")
    }

    /// The dry run refuses what the run would: a guest nothing of the
    /// cluster starts is running nowhere, so it cannot be killed.
    @Test func aDryRunCatchesAGuestNoResourceManages() async throws {
        let folder = try CLI.temporaryFolder()
        let suite = folder.appendingPathComponent("unmanaged.yaml").path
        try """
            suite: unmanaged
            cluster: { manager: simulated, config: \(CLI.packageRoot.path)/Suites/configs/pm-pm.main.cf }
            lab:
              hosts: { hosta: {}, hostb: {} }
              guests: { vm1: { on: [hosta, hostb] }, vm9: { on: [hosta, hostb] } }
            scenarios:
              - name: kill the guest nobody manages
                fault: { kill-guest: vm9 }
                expect: [ { group: vmgrp, online: any, within: 1m } ]
              - name: kill the managed one
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: next, within: 3m } ]
            """.write(toFile: suite, atomically: true, encoding: .utf8)
        let dry = try await CLI.run(["run", "--dry-run", suite])
        #expect(dry.status == 3, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.contains("    at once: cannot make kill-guest vm9: guest vm9 is not running on any host (no resource of the cluster starts it there)"), "\(dry.stdout)")
        #expect(dry.stdout.contains("    at once: virDomainDestroy vm1 on hosta; heal at the end"), "\(dry.stdout)")
        #expect(dry.stderr == "the dry run found 1 problem: the run would refuse it\n")
    }

    @Test func aClosedOutputPipeDoesNotKillARun() async throws {
        // `haywire run ... | head -1`: the reader goes away after one line.
        let script = "set -o pipefail 2>/dev/null; '\(CLI.binary.path)' run Suites/pm-pm.yaml --seed 1 --reports '\(try CLI.temporaryFolder().path)' | head -n 1 >/dev/null"
        let result = try await CLI.run(["-c", script], program: "/bin/bash")
        // Without SIGPIPE ignored, haywire would die of it (exit 141).
        #expect(result.status == 0)
    }

    @Test func aMalformedSuiteIsOneLineAndExitsTwo() async throws {
        let dir = try CLI.temporaryFolder()
        try "suite: broken\ncluster: { manager: simulated, config: nowhere.cf }\nlab: { hosts: { a: {} } }\n"
            .write(to: dir.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let output = try await CLI.run(["run", "broken.yaml"], in: dir)
        #expect(output.status == 2)
        #expect(output.stderr == "broken.yaml:2:40: error: no such file: nowhere.cf\n")
        #expect(output.stdout.isEmpty)
    }

    @Test func nothingRunsWhenAnySuiteIsInvalid() async throws {
        let dir = try CLI.temporaryFolder()
        try "suite: [\n".write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let output = try await CLI.run(["run", "\(CLI.packageRoot.path)/Suites/pm-pm.yaml", "bad.yaml", "--reports", dir.path], in: dir)
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("bad.yaml:"))
        #expect(output.stderr.split(separator: "\n").count == 1)
    }

    @Test func usageErrorsAreInvalidInput() async throws {
        #expect(try await CLI.run(["run"]).status == 2)
        #expect(try await CLI.run(["run", "x.yaml", "--no-such-flag"]).status == 2)
        #expect(try await CLI.run(["frobnicate"]).status == 2)
        let help = try await CLI.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exit codes"))
    }
}

/// What would spoil a run's reports is refused before anything runs.
@Suite struct RunPreconditionTests {
    @Test func twoSuitesOfOneNameAreRefused() async throws {
        let reports = try CLI.temporaryFolder()
        let copy = reports.appendingPathComponent("copy.yaml").path
        try String(contentsOfFile: "Suites/pm-pm.yaml", encoding: .utf8)
            .replacingOccurrences(of: "config: configs/", with: "config: \(FileManager.default.currentDirectoryPath)/Suites/configs/")
            .write(toFile: copy, atomically: true, encoding: .utf8)
        let run = try await CLI.run(["run", "Suites/pm-pm.yaml", copy, "--reports", reports.path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("suite name 'pm-pm-guest-availability' is used by Suites/pm-pm.yaml and \(copy): their reports would overwrite each other"))
        #expect(!run.stdout.contains("PASS"))
    }

    @Test func reportsMustBeAWritableFolder() async throws {
        let folder = try CLI.temporaryFolder()
        let file = folder.appendingPathComponent("a-file").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let run = try await CLI.run(["run", "Suites/pm-pm.yaml", "--reports", file])
        #expect(run.status == 2)
        #expect(run.stderr == "--reports \(file): is a file, not a folder\n")
        let under = try await CLI.run(["run", "Suites/pm-pm.yaml", "--reports", "\(file)/sub"])
        #expect(under.status == 2)
        #expect(under.stderr == "--reports \(file)/sub: \(file) is a file, not a folder\n")
    }
}

extension RunCommandTests {
    /// A run's failures, together before its last line.
    @Test func aRunEndsWithItsFailuresTogether() async throws {
        let reports = try CLI.temporaryFolder()
        let out = try await CLI.run(["run", "Suites/pm-pm.yaml", "Suites/sla-too-short.yaml", "Suites/split-brain-without-fencing.yaml",
                                     "--seed", "1", "--reports", reports.path])
        #expect(out.status == 1)
        let tail = out.stdout.split(separator: "\n").suffix(4).map(String.init)
        #expect(tail[0] == "failures and errors:")
        #expect(tail[1].hasPrefix("  sla-too-short: FAIL  guest power loss recovered within 20 seconds: "))
        #expect(tail[2].hasPrefix("  split-brain-without-fencing: FAIL  heartbeats of the active host fail without fencing: concurrency violation"))
        #expect(tail[3] == "4 passed, 2 failed, 0 errors")
    }
}
