import Foundation
import Testing

/// `haywire plan` on a Pacemaker CIB, as a user runs it.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/crm_simulate"),
                "crm_simulate is not installed (pacemaker-cli-utils); CIB plans are not tested"))
struct PlanCIBCommandTests {
    private func labCIB(in dir: URL) async throws -> String {
        let printed = try await CLI.run(["bash", "ci/lab/cib"], program: "/usr/bin/env")
        let path = dir.appendingPathComponent("cib.xml").path
        try printed.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aCIBPlansAPacemakerSuiteWithTheLabOfAnother() async throws {
        let dir = try CLI.temporaryFolder()
        let cib = try await labCIB(in: dir)
        let plan = try await CLI.run(["plan", cib, "--faults", "kill-guest"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("  manager: pacemaker\n"))
        // vm1, vm2 and vm3 (the guest node's VirtualDomain).
        #expect(plan.stdout.components(separatedBy: "  - name: ").count - 1 == 3)
        // The lab's own suite names its commands relative to its folder: the plan must be written beside it.
        let elsewhere = try await CLI.run(["plan", cib, "--lab-from", "Suites/lab/pacemaker.yaml", "--out", dir.appendingPathComponent("p.yaml").path])
        #expect(elsewhere.status == 2)
        #expect(elsewhere.stderr.hasPrefix("--lab-from: Suites/lab/pacemaker.yaml's lab runs commands relative to "), "\(elsewhere.stderr)")
    }

    @Test func badInputIsRefusedWithTheReason() async throws {
        let dir = try CLI.temporaryFolder()
        let notCIB = dir.appendingPathComponent("mon.xml").path
        try "<pacemaker-result api-version=\"2.25\"/>\n".write(toFile: notCIB, atomically: true, encoding: .utf8)
        let refused = try await CLI.run(["plan", notCIB])
        #expect(refused.status == 2)
        #expect(refused.stderr == "\(notCIB): not a CIB (no well-formed <cib> document)\n")
        let cib = try await labCIB(in: dir)
        let kinds = try await CLI.run(["plan", cib, "--faults", "pause-host"])
        #expect(kinds.status == 2)
        #expect(kinds.stderr == "--faults: a CIB plan makes kill-host, link-down, kill-process, kill-guest and unmount, not 'pause-host'\n")
        #expect(try await CLI.run(["plan", "Suites/configs/pm-pm.main.cf", "--corosync", "x"]).status == 2)
    }
}
