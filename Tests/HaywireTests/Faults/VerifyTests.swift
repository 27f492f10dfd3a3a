import Testing
@testable import Haywire

/// A backend that can look says, right after a fault, what it saw of it.
@Suite struct VerifyTests {
    @Test func theSimulatorShowsEvidenceOfWhatItCanSee() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm.yaml")
        let scenarios = await Runner(factory: SimulatedBackendFactory()).run(suite).scenarios
        let evidence = scenarios.map { $0.timeline.filter { $0.text.hasPrefix("evidence: ") }.map(\.text) }
        // kill-guest, kill-host, link-down, unmount.
        #expect(evidence == [["evidence: vm1 runs on no host"], ["evidence: hosta powered off"], ["evidence: eth0 down on hosta"],
                             ["evidence: /vmstore is not mounted on hosta"]])
    }

    @Test func aFaultThatLeftNoTraceIsNoted() async throws {
        var handlers = FaultRegistryTests.handlers()
        handlers.register(FaultRegistryTests.yankPower, handler: FaultHandler(
            inject: { _, fault in "pretended to yank \(fault.host ?? "")" },
            heal: { _, _ in "nothing to plug in" },
            verify: { injector, injected in
                let host = injected.fault.host ?? ""
                guard await !injector.simulator.isPowered(host) else { throw HarnessError("\(host) is still powered") }
                return "\(host) is dark"
            }))
        var factory = SimulatedBackendFactory()
        factory.faultHandlers = handlers
        let result = try #require(await Runner(factory: factory).run(try FaultRegistryTests.suite()).scenarios.first)
        #expect(result.timeline.contains { $0.kind == .note && $0.text == "no evidence that yank-power host hosta took effect: hosta is still powered" },
                "\(result.timeline.map(\.line))")
        // No trace: the expectations' verdict would say nothing of the fault.
        #expect(result.verdict == .error)
        #expect(result.message == "fault had no observable effect: yank-power host hosta: hosta is still powered")
        // Waived by name: judged on its expectations, the waiver on the timeline.
        let written = try FaultRegistryTests.suite()
        var scenario = written.scenarios[0]
        scenario.waived[.effect] = "the cord is a prop"
        let waived = Suite(name: written.name, file: written.file, cluster: written.cluster, lab: written.lab, scenarios: [scenario],
                           steadyWithin: written.steadyWithin)
        let judged = try #require(await Runner(factory: factory).run(waived).scenarios.first)
        #expect(judged.verdict == .failed)
        #expect(judged.timeline.contains { $0.text == "audit the fault took effect waived: the cord is a prop" })
    }
}
