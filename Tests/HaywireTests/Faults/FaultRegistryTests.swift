import Foundation
import Testing
import VCSConfig
@testable import Haywire

/// The fault registry is open: a kind defined here, in a test target, with
/// one handler on the simulated backend, is resolved, injected, healed and
/// journalled like haywire's own.
@Suite struct FaultRegistryTests {
    static let yankPower = FaultKind("yank-power")

    /// Cuts a host's power through the simulator; its heal powers it on.
    static func handlers(healFails: Bool = false) -> FaultHandlers<SimulatedInjector> {
        var handlers = SimulatedInjector.standard
        handlers.register(yankPower, handler: FaultHandler(
            inject: { injector, fault in
                guard let host = fault.host else { throw HarnessError("yank-power needs a host") }
                try await injector.simulator.powerOff(host)
                return "yanked the power cord of \(host)"
            },
            heal: { injector, injected in
                guard !healFails else { throw HarnessError("the cord is stuck") }
                try await injector.simulator.powerOn(injected.fault.host ?? "")
                return "plugged \(injected.fault.host ?? "") in again"
            }))
        return handlers
    }

    /// The fixture suite with one scenario whose fault is `yank-power`
    /// where vmgrp runs, for 60 s.
    static func suite() throws -> Suite {
        let loaded = try loadFixture("""
              - name: yank
                fault: { kill-host: active(vmgrp), for: 60s }
                expect:
                  - { group: vmgrp, online: hostb, within: 2m }
            """)
        let written = loaded.scenarios[0]
        let spec = FaultSpec(kind: yankPower, target: .host(.active(group: "vmgrp")), duration: .seconds(60),
                             location: written.fault.location)
        let scenario = Scenario(name: written.name, faults: [spec], expectations: written.expectations, location: written.location)
        return Suite(name: loaded.name, file: loaded.file, cluster: loaded.cluster, lab: loaded.lab, scenarios: [scenario],
                     steadyWithin: loaded.steadyWithin)
    }

    @Test func aKindDefinedInATestRunsOnTheSimulatedBackend() async throws {
        var factory = SimulatedBackendFactory()
        factory.faultHandlers = Self.handlers()
        let result = try #require(await Runner(factory: factory).run(try Self.suite()).scenarios.first)
        #expect(result.verdict == .passed, "\(result.message)")
        // A power loss: 21 s heartbeat timeout, then 13 s online on hostb.
        #expect(result.expectations.map(\.recovery) == [.seconds(34)])
        let texts = result.timeline.map(\.text)
        #expect(texts.contains("inject yank-power host hosta for 1m"))
        #expect(texts.contains("yanked the power cord of hosta"))
        #expect(texts.contains("plugged hosta in again"))
    }

    @Test func withoutItsHandlerTheBackendRefusesItByName() async throws {
        let result = try #require(await Runner(factory: SimulatedBackendFactory()).run(try Self.suite()).scenarios.first)
        #expect(result.verdict == .error)
        #expect(result.message.contains("the simulator cannot make yank-power faults (it makes: crash-guest,"), "\(result.message)")
        // Refused before anything was made.
        #expect(!result.timeline.contains { $0.kind == .fault }, "\(result.timeline.map(\.line))")
    }

    @Test func itIsJournalledWithItsKindAndTargets() async throws {
        // A heal that fails leaves the fault outstanding, for `haywire restore`.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var factory = SimulatedBackendFactory()
        factory.faultHandlers = Self.handlers(healFails: true)
        var runner = Runner(factory: factory)
        let journal = Journal(path: folder.appendingPathComponent("journal").path)
        runner.journal = journal
        let result = try #require(await runner.run(try Self.suite()).scenarios.first)
        #expect(result.healErrors.contains { $0.contains("the cord is stuck") }, "\(result.healErrors)")
        let outstanding = try journal.outstanding()
        #expect(outstanding.map(\.fault) == [.other(kind: Self.yankPower, targets: FaultTargets(host: "hosta"))])
    }
}
