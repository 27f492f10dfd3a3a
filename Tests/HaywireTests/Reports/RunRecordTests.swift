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
            let data = try record.json()
            #expect(try JSONDecoder().decode(RunRecord.self, from: data) == record)
            #expect(record.scenarios.allSatisfy { $0.faultSpans.allSatisfy { $0.resolved != nil } })
            #expect(String(decoding: data, as: UTF8.self).components(separatedBy: #""scenarios":["#).count == 2)
        }
    }

    @Test func scenariosAreWrittenByteForByteAsJSONEncoderWouldWriteThem() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm-timelines.yaml")
        let run = RunRecord(await Runner(factory: SimulatedBackendFactory()).run(suite))
        let odd = RunRecord.ScenarioRecord(
            name: "quotes \" and \\ and / and \n\t\u{1} and ünïcode ✓", fault: "", verdict: "error", message: "\r\u{8}\u{c}",
            duration: 0.1, resolution: 1e-7, recovery: nil, healErrors: [],
            expectations: [RunRecord.ExpectationRecord(expectation: "e", system: nil, within: 123456.789, deadline: 1e15,
                                                       satisfiedAt: nil, recovery: -2.5, leftAt: 3, windowed: true, passed: false,
                                                       decided: false, message: "")],
            timeline: [RunRecord.Event(t: 2.175292079, kind: "note", text: "x")], faultSpans: [RunRecord.Span(fault: "f", from: 0, to: nil)]
                + FaultTests.every.map { RunRecord.Span(fault: $0.description, from: 1, to: 2, resolved: $0) }
                + [RunRecord.Span(fault: "odd", from: 0, to: nil, resolved: .unmount(host: "h\"/\\", mount: "/m\u{1}ü"))])
        for record in [run, RunRecord(suite: "s", file: "f", manager: "m", configPath: "", seed: 1, startedAt: "", hostname: "",
                                      selected: [], order: [], sources: [], scenarios: [odd])] {
            let mine = String(decoding: try record.json(), as: UTF8.self)
            let theirs = String(decoding: try RunRecord.encoder().encode(record), as: UTF8.self)
            if mine != theirs {
                let at = zip(mine, theirs).prefix { $0 == $1 }.count
                Issue.record("differs at \(at): mine \(mine.dropFirst(max(0, at - 60)).prefix(140)) | theirs \(theirs.dropFirst(max(0, at - 60)).prefix(140))")
            }
        }
    }
}

@Suite struct RunRecordHistoryTests {
    /// Written by haywire at aa18e4e (2026-12-01), before faults were typed:
    /// `haywire run Suites/pm-pm.yaml --seed 7`.
    @Test func aRecordWrittenBeforeTypedFaultsReadsBack() throws {
        let path = "\(suitesFolder)/../Tests/HaywireTests/Fixtures/records/written-before-typed-faults.run.json"
        let record = try RunRecord.read(path)
        #expect(record.seed == 7)
        #expect(record.scenarios.map { $0.verdict } == ["passed", "passed", "passed", "passed"])
        #expect(record.scenarios[0].faultSpans == [RunRecord.Span(fault: "kill-guest guest vm1", from: 13, to: 94)])
        #expect(record.scenarios.allSatisfy { $0.faultSpans.allSatisfy { $0.resolved == nil } })
        #expect(try JSONDecoder().decode(RunRecord.self, from: try record.json()) == record)
    }
}
