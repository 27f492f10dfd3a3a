import Foundation
import Testing

@Suite struct ProgressTests {
    /// Runs haywire under `script`, which gives it a terminal.
    private func onATerminal(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await CLI.run(["-qec", ([CLI.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " "), "/dev/null"],
                                 program: "/usr/bin/script")
        return (result.status, result.stdout)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal"))
    func aTerminalGetsALiveStatusLine() async throws {
        let reports = try CLI.temporaryFolder()
        let (status, output) = try await onATerminal(["run", "Suites/pm-pm.yaml", "--seed", "1", "--reports", reports.path])
        #expect(status == 0)
        // Redrawn in place, with the counts and the phase, then cleared.
        #expect(output.contains("\r\u{1B}[K[0/4 · 0 passed] pm-pm-guest-availability · "))
        #expect(output.contains("\r\u{1B}[K[4/4 · 4 passed] pm-pm-guest-availability"))
        #expect(output.contains("\r\u{1B}[K  PASS  guest power loss fails over to the next host: "))
    }

    @Test func offATerminalOnlyResultLines() async throws {
        let output = try await CLI.run(["run", "Suites/pm-pm.yaml", "--seed", "1", "--reports", try CLI.temporaryFolder().path])
        #expect(!output.stdout.contains("\u{1B}"))
        #expect(!output.stdout.contains("\r"))
    }
}
