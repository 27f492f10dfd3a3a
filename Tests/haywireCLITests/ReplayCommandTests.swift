import Foundation
import Testing

@Suite struct ReplayCommandTests {
    @Test func aRecordedRunReplaysToTheSameOutcome() async throws {
        let reports = try CLI.temporaryFolder()
        let run = try await CLI.run(["run", "Suites/pm-pm-timelines.yaml", "--reports", reports.path, "--seed", "11", "--only", "repeat"])
        #expect(run.status == 0)
        let record = reports.appendingPathComponent("pm-pm-timelines.run.json").path
        let again = try await CLI.run(["replay", record, "--reports", try CLI.temporaryFolder().path])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("replaying pm-pm-timelines from \(record): seed 11, 1 scenarios"))
        #expect(again.stdout.hasSuffix("the same outcome: 21 scenarios, 21 passed\n"))
    }

    @Test func aChangedOutcomeIsNamedAndExitsOne() async throws {
        let reports = try CLI.temporaryFolder()
        _ = try await CLI.run(["run", "Suites/pm-pm.yaml", "--reports", reports.path, "--seed", "4"])
        let path = reports.appendingPathComponent("pm-pm-guest-availability.run.json")
        // As if the recorded run had failed its first scenario.
        var text = try String(contentsOf: path, encoding: .utf8)
        let verdict = try #require(text.range(of: "\"verdict\":\"passed\""))
        text.replaceSubrange(verdict, with: "\"verdict\":\"failed\"")
        try text.write(to: path, atomically: true, encoding: .utf8)
        let again = try await CLI.run(["replay", path.path, "--reports", try CLI.temporaryFolder().path])
        #expect(again.status == 1)
        #expect(again.stdout.contains("the outcome differs:\n  guest power loss fails over to the next host: passed, was failed\n"))
    }

    @Test func notARecordIsInvalidInput() async throws {
        let bad = try CLI.temporaryFolder().appendingPathComponent("x.run.json")
        try "{}".write(to: bad, atomically: true, encoding: .utf8)
        let again = try await CLI.run(["replay", bad.path])
        #expect(again.status == 2)
        #expect(again.stderr.hasPrefix("\(bad.path): not a haywire run record:"))
    }

    @Test func secretsNeverReachAnOutput() async throws {
        // A canary password in main.cf must not appear in anything a run writes.
        let dir = try CLI.temporaryFolder()
        let canary = "Canary-7f3b9e-Secret"
        let mainCf = try String(contentsOfFile: "Suites/configs/pm-pm-remote.main.cf", encoding: .utf8)
            .replacingOccurrences(of: "Password = CQIoFQf", with: "Password = \(canary)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("configs"), withIntermediateDirectories: true)
        try mainCf.write(to: dir.appendingPathComponent("configs/pm-pm-remote.main.cf"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: "Suites/configs/appclus.main.cf", toPath: dir.appendingPathComponent("configs/appclus.main.cf").path)
        try FileManager.default.copyItem(atPath: "Suites/pm-pm-remotegroup.yaml", toPath: dir.appendingPathComponent("s.yaml").path)
        let reports = dir.appendingPathComponent("reports")
        let run = try await CLI.run(["run", dir.appendingPathComponent("s.yaml").path, "--reports", reports.path, "--seed", "1"])
        #expect(run.status == 0)
        var outputs = run.stdout + run.stderr
        for file in try FileManager.default.contentsOfDirectory(atPath: reports.path) {
            outputs += try String(contentsOfFile: reports.appendingPathComponent(file).path, encoding: .utf8)
        }
        #expect(outputs.contains("Password = \\\"<redacted>\\\""))
        #expect(!outputs.contains(canary))
    }

    @Test func secretsInASuiteOrTheEnvironmentAreMaskedInErrors() async throws {
        let dir = try CLI.temporaryFolder()
        let suite = dir.appendingPathComponent("s.yaml")
        try """
            suite: s
            cluster: { manager: pacemaker, groups: { g: [n1] } }
            lab:
              hosts:
                n1:
                  libvirt: qemu+ssh://root:Url-Canary-51@n1/system
                  shell: ssh -P Cmd-Canary-52 n1 Env-Canary-53
                  power: { off: ipmitool -H n1-bmc -P Cmd-Canary-52 power off }
            scenarios:
              - { name: a, fault: { kill-host: n1 }, expect: [ { group: g, online: any, within: 1m } ] }
            """.write(to: suite, atomically: true, encoding: .utf8)
        let result = try await CLI.run(["validate", suite.path], environment: ["HAYWIRE_BMC_PASSWORD": "Env-Canary-53"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("'ssh -P <redacted> n1 <redacted>' is not a shell"), "\(result.stderr)")
        for canary in ["Url-Canary-51", "Cmd-Canary-52", "Env-Canary-53"] {
            #expect(!(result.stdout + result.stderr).contains(canary))
        }
    }
}
