import Foundation
import Testing
import VCSSemantics
@testable import Haywire

/// Where a backend has a scheduler (Pacemaker's crm_simulate on the live
/// CIB), `next` is its answer, not main.cf's rules; with no answer, a
/// scenario that needs one says why in its verdict.
@Suite struct SchedulerNextTests {
    private struct WithScheduler: BackendFactory {
        let answer: @Sendable (Fault) throws -> SchedulerAnswer
        /// What the cluster's own record says of a recovery: an instant
        /// this long before the poll that saw it, or nothing.
        var stampEarlier: Duration? = nil
        /// How long each of the probe's reads takes to come back.
        var readTime: Duration = .zero
        let simulated = SimulatedBackendFactory()
        func makeBackend(for suite: Suite, scenario: Scenario?) async throws -> Backend {
            var backend = try await simulated.makeBackend(for: suite, scenario: scenario)
            let answer = self.answer
            backend.scheduler = { try answer($0) }
            if let earlier = stampEarlier {
                backend.stampOnline = { group, system, _, before in
                    earlier == .zero ? nil : Stamp(at: before - earlier, source: "an alert: \(group) started on \(system)")
                }
            }
            if readTime > .zero { backend.probe = SlowReads(inner: backend.probe, readTime: readTime) }
            return backend
        }
        func close() async { await simulated.close() }
    }

    /// The simulator's probe, its reads answered `readTime` after they ask.
    private struct SlowReads: ClusterProbe {
        let inner: any ClusterProbe
        let readTime: Duration
        var resolution: Duration { inner.resolution }
        func now() async -> Duration { await inner.now() }
        func state() async throws -> ClusterState { try await inner.state() }
        func watch(until deadline: Duration, _ observe: (Observation) -> Bool) async throws -> Observation {
            try await inner.watch(until: deadline, observe)
        }
        func answeredAt(askedAt time: Duration) async -> Duration { time + readTime }
    }

    private func run(stampEarlier: Duration? = nil, readTime: Duration = .zero,
                     _ answer: @escaping @Sendable (Fault) throws -> SchedulerAnswer) async throws -> ScenarioResult {
        let dir = try fixtureFolder(["c.main.cf": PolicyTargetTests.config(policy: "Priority"), "suite.yaml": """
            suite: scheduled
            cluster: { manager: simulated, config: c.main.cf }
            lab:
              hosts: { s1: {}, s2: {}, s3: {} }
              guests: { vm1: { on: [s1, s2, s3] }, vmb: { on: [s2, s3] } }
            scenarios:
            \(PolicyTargetTests.killGuest)
            """])
        let factory = WithScheduler(answer: answer, stampEarlier: stampEarlier, readTime: readTime)
        let result = await Runner(factory: factory).run(try SuiteLoader.load(path: "\(dir)/suite.yaml"))
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

    /// The cluster's record of a recovery times it, not the poll: earlier
    /// by what it says, with the resolution its stamps have.
    @Test func aRecoveryTheClusterTimedIsStampedFromItsRecord() async throws {
        let agree: @Sendable (Fault) -> SchedulerAnswer = { _ in SchedulerAnswer(placements: ["g": ["s2"]], summary: "crm_simulate: agrees") }
        let polled = try await run(agree)
        let stamped = try await run(stampEarlier: .milliseconds(750), agree)
        let byPoll = try #require(polled.expectations.first?.recovery), byAlert = try #require(stamped.expectations.first?.recovery)
        #expect(byPoll - byAlert == .milliseconds(750))
        #expect(stamped.verdict == .passed && stamped.resolution == .milliseconds(1))
        #expect(stamped.timeline.contains { $0.kind == .cluster && $0.text.hasPrefix("an alert: g started on s2: g online on s2 at t=") })
        // No record: the poll's time stands, and says so.
        let unstamped = try await run(stampEarlier: .zero, agree)
        #expect(unstamped.expectations.first?.recovery == byPoll && unstamped.resolution == polled.resolution)
        #expect(unstamped.timeline.contains { $0.text == "no alert says when g came online on s2: the poll's time stands" })
    }

    /// A poll is stamped when it asked; a start that ended while it was
    /// reading (a loaded host answers late) is timed by the alert, later
    /// than the poll's stamp. The fresh-clone CI once missed one so.
    @Test func aRecoveryTheClusterTimedWhileThePollWasReadingCounts() async throws {
        let agree: @Sendable (Fault) -> SchedulerAnswer = { _ in SchedulerAnswer(placements: ["g": ["s2"]], summary: "crm_simulate: agrees") }
        let polled = try await run(agree)
        // The read came back 300 ms after it asked; the alert is 100 ms before that.
        let late = try await run(stampEarlier: .milliseconds(100), readTime: .milliseconds(300), agree)
        let byPoll = try #require(polled.expectations.first?.recovery), byAlert = try #require(late.expectations.first?.recovery)
        #expect(byAlert - byPoll == .milliseconds(200))
        #expect(late.verdict == .passed && late.resolution == .milliseconds(1))
        #expect(!late.timeline.contains { $0.text.hasPrefix("no alert says") })
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
