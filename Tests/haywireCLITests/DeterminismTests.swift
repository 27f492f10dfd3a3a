import Foundation
import Testing

/// The same config and seed give the same run record from two processes.
@Suite struct DeterminismTests {
    @Test func twoProcessesWriteTheSameRunRecord() async throws {
        let dir = try CLI.temporaryFolder()
        let mainCf = CLI.packageRoot.appendingPathComponent("Tests/HaywireTests/Properties/Regressions/seed-9.cf").path
        let plan = dir.appendingPathComponent("plan.yaml").path
        let planned = try await CLI.run(["plan", mainCf, "--out", plan])
        #expect(planned.status == 0, "\(planned.stderr)")
        var records: [Data] = []
        for run in ["one", "two"] {
            let reports = dir.appendingPathComponent(run).path
            let output = try await CLI.run(["run", plan, "--seed", "7", "--reports", reports])
            #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
            let files = try FileManager.default.contentsOfDirectory(atPath: reports).filter { $0.hasSuffix(".run.json") }
            let data = try Data(contentsOf: URL(fileURLWithPath: reports).appendingPathComponent(try #require(files.first)))
            var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            json["startedAt"] = nil
            json["hostname"] = nil
            records.append(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        }
        #expect(records[0] == records[1])
        #expect(records[0].count > 10_000)
    }
}
