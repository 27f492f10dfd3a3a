import Foundation
import Testing
@testable import Haywire

@Suite struct RunRecordTests {
    @Test func aLongRunEncodedInParallelChunksReadsBackAsTheSameRecord() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm.yaml")
        let run = await Runner(factory: SimulatedBackendFactory()).run(suite)
        let many = run.replacing(scenarios: (0..<1_500).map { run.scenarios[$0 % run.scenarios.count].renamed("scenario \($0)") })
        for result in [run, many] {
            let record = RunRecord(result)
            let data = try await record.json()
            #expect(try JSONDecoder().decode(RunRecord.self, from: data) == record)
            #expect(String(decoding: data, as: UTF8.self).components(separatedBy: #""scenarios":["#).count == 2)
        }
    }
}
