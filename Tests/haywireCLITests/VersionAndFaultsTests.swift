import Foundation
import Testing
@testable import Haywire

/// What a newcomer asks first: the version, and the faults there are.
@Suite struct VersionAndFaultsTests {
    @Test func versionIsPrintedAndRecordedInTheReports() async throws {
        let version = try await CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == HaywireVersion.current + "\n")
        let reports = try CLI.temporaryFolder()
        _ = try await CLI.run(["run", "Suites/pm-pm.yaml", "--seed", "1", "--reports", reports.path])
        let junit = try String(contentsOf: reports.appendingPathComponent("pm-pm-guest-availability.junit.xml"), encoding: .utf8)
        #expect(junit.contains("<property name=\"haywire-version\" value=\"\(HaywireVersion.current)\"/>"))
        let record = try RunRecord.read(reports.appendingPathComponent("pm-pm-guest-availability.run.json").path)
        #expect(record.haywireVersion == HaywireVersion.current)
        let html = try String(contentsOf: reports.appendingPathComponent("pm-pm-guest-availability.html"), encoding: .utf8)
        #expect(html.contains("haywire \(HaywireVersion.current)</p>"))
    }

    @Test func faultsListsEveryKind() async throws {
        let faults = try await CLI.run(["faults"])
        #expect(faults.status == 0)
        for kind in FaultKind.builtIn { #expect(faults.stdout.contains("\n\(kind.rawValue)\n  form ") || faults.stdout.hasPrefix("\(kind.rawValue)\n")) }
    }
}

@Suite struct CompletionsTests {
    @Test func eachShellGetsAScriptThatNamesTheSubcommands() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try await CLI.run(["completions", shell])
            #expect(script.status == 0)
            for subcommand in ["run", "validate", "plan", "doctor", "faults", "status"] { #expect(script.stdout.contains(subcommand)) }
        }
        let dir = try CLI.temporaryFolder()
        let bash = dir.appendingPathComponent("haywire.bash")
        try (try await CLI.run(["completions", "bash"])).stdout.write(to: bash, atomically: true, encoding: .utf8)
        #expect(try await CLI.run(["-n", bash.path], program: "/bin/bash").status == 0)
        let unknown = try await CLI.run(["completions", "tcsh"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown shell 'tcsh' (bash, zsh or fish)"))
    }
}
