import Foundation
import Testing
@testable import Haywire

/// Where a backend has a scheduler (Pacemaker's crm_simulate on the live
/// CIB), `next` is its answer, not main.cf's rules; with no answer, a
/// scenario that needs one says why in its verdict.
@Suite struct SchedulerNextTests {
    private struct WithScheduler: BackendFactory {
        let answer: @Sendable (Fault) throws -> SchedulerAnswer
        let simulated = SimulatedBackendFactory()
        func makeBackend(for suite: Suite, scenario: Scenario?) async throws -> Backend {
            var backend = try await simulated.makeBackend(for: suite, scenario: scenario)
            let answer = self.answer
            backend.scheduler = { try answer($0) }
            return backend
        }
        func close() async { await simulated.close() }
    }

    private func run(_ answer: @escaping @Sendable (Fault) throws -> SchedulerAnswer) async throws -> ScenarioResult {
        let dir = try fixtureFolder(["c.main.cf": PolicyTargetTests.config(policy: "Priority"), "suite.yaml": """
            suite: scheduled
            cluster: { manager: simulated, config: c.main.cf }
            lab:
              hosts: { s1: {}, s2: {}, s3: {} }
              guests: { vm1: { on: [s1, s2, s3] }, vmb: { on: [s2, s3] } }
            scenarios:
            \(PolicyTargetTests.killGuest)
            """])
        let result = await Runner(factory: WithScheduler(answer: answer)).run(try SuiteLoader.load(path: "\(dir)/suite.yaml"))
        return try #require(result.scenarios.first)
    }

    @Test func nextIsTheSchedulersAnswerAndTheTimelineSaysWhatItWasAsked() async throws {
        // main.cf's Priority sends g to s2; the scheduler says s3, so the
        // group that goes to s2 misses the expectation.
        let asked = FaultLog()
        let result = try await run { fault in
            asked.append(fault)
            return SchedulerAnswer(placements: ["g": ["s3"]], summary: "crm_simulate: vm1's monitor on s1 returns 7: Move g")
        }
        #expect(result.verdict == .failed, "\(result.message)")
        #expect(result.message.contains("s3"), "\(result.message)")
        #expect(result.timeline.contains { $0.kind == .note && $0.text == "crm_simulate: vm1's monitor on s1 returns 7: Move g" })
        #expect(asked.faults == [.killGuest(guest: "vm1")])
    }

    @Test func aSchedulerThatAgreesPasses() async throws {
        let result = try await run { _ in SchedulerAnswer(placements: ["g": ["s2"]], summary: "crm_simulate: agrees") }
        #expect(result.verdict == .passed, "\(result.message)")
    }

    @Test func noAnswerOrNoSingleNodeIsAnErrorThatSaysWhy() async throws {
        let silent = try await run { _ in throw Unpredictable("no VirtualDomain resource in the CIB runs guest vm1") }
        #expect(silent.verdict == .error)
        #expect(silent.message.contains("next(g) cannot be predicted: no VirtualDomain resource in the CIB runs guest vm1"), "\(silent.message)")
        let nowhere = try await run { _ in SchedulerAnswer(placements: ["g": []], summary: "crm_simulate: Stop g") }
        #expect(nowhere.verdict == .error)
        #expect(nowhere.message.contains("Pacemaker's scheduler says g runs nowhere once the cluster settles after this fault"))
    }
}

/// The faults a scheduler was asked about.
final class FaultLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [Fault] = []
    func append(_ fault: Fault) { lock.withLock { log.append(fault) } }
    var faults: [Fault] { lock.withLock { log } }
}
