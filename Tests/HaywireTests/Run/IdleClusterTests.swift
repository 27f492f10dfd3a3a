import Foundation
import Testing
@testable import Haywire

/// A fault waits until the cluster has nothing left to do, not only until
/// the suite's groups look right: a node that has just rejoined shows
/// running while the cluster has yet to start anything on it.
@Suite struct IdleClusterTests {
    /// Answers `pending` in turn, then idle; counts the questions.
    final class Work: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [[String]]
        private let forever: Bool
        private(set) var asked = 0
        init(_ answers: [[String]], forever: Bool = false) { self.answers = answers; self.forever = forever }
        func next() -> [String] {
            lock.withLock {
                asked += 1
                if forever { return answers[0] }
                return answers.isEmpty ? [] : answers.removeFirst()
            }
        }
    }

    private struct Busy: BackendFactory {
        let work: Work
        let simulated = SimulatedBackendFactory()
        func makeBackend(for suite: Suite, scenario: Scenario?) async throws -> Backend {
            var backend = try await simulated.makeBackend(for: suite, scenario: scenario)
            let work = self.work
            backend.pendingWork = { work.next() }
            return backend
        }
        func close() async { await simulated.close() }
    }

    private func run(_ work: Work) async throws -> ScenarioResult {
        let dir = try fixtureFolder(["c.main.cf": PolicyTargetTests.config(policy: "Priority"), "suite.yaml": """
            suite: idle
            cluster: { manager: simulated, config: c.main.cf }
            lab:
              hosts: { s1: {}, s2: {}, s3: {} }
              guests: { vm1: { on: [s1, s2, s3] }, vmb: { on: [s2, s3] } }
            defaults: { steady-within: 3s }
            scenarios:
            \(PolicyTargetTests.killGuest)
            """])
        let result = await Runner(factory: Busy(work: work)).run(try SuiteLoader.load(path: "\(dir)/suite.yaml"))
        return try #require(result.scenarios.first)
    }

    @Test func theFaultWaitsForTheClusterToFinishItsWork() async throws {
        let work = Work([["Start dummy:2 (lab3)"], ["Start dummy:2 (lab3)"]])
        let result = try await run(work)
        #expect(result.verdict == .passed, "\(result.message)")
        #expect(work.asked == 3)
        let notes = result.timeline.filter { $0.kind == .note }.map(\.text)
        #expect(notes.filter { $0.contains("still has work") } == [
            "the cluster still has work before the fault: Start dummy:2 (lab3)",
        ])
        let idle = try #require(result.timeline.firstIndex { $0.text.hasPrefix("the cluster is idle after ") })
        let fault = try #require(result.timeline.firstIndex { $0.kind == .fault })
        #expect(idle < fault)
    }

    @Test func anIdleClusterIsAskedOnceAndNothingIsNoted() async throws {
        let work = Work([])
        let result = try await run(work)
        #expect(result.verdict == .passed, "\(result.message)")
        #expect(work.asked == 1)
        #expect(!result.timeline.contains { $0.text.contains("idle") || $0.text.contains("still has work") })
    }

    @Test func aClusterThatStaysBusyIsABrokenLabNotAVerdict() async throws {
        let result = try await run(Work([["Recover app (vm3-node)"]], forever: true))
        #expect(result.verdict == .error)
        #expect(result.labBroken)
        #expect(result.message == "the cluster did not become idle within 3s; it still had to: Recover app (vm3-node)")
        #expect(!result.timeline.contains { $0.kind == .fault })
    }
}
