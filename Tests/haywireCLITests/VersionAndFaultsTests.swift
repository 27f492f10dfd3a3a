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
