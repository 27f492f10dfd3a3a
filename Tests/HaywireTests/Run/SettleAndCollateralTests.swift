import Testing
import VCSSemantics
@testable import Haywire

/// The settles and no-collateral-damage audits, run in the simulator.
@Suite struct SettleAndCollateralTests {
    /// `watch` on hostb mirrors the uplink NIC of hosta through a Proxy:
    /// cutting hosta's public link faults a group on hostb that no fault
    /// names and no group dependency ties to what was cut.
    static let proxied = """
        include "types.cf"
        cluster c ( UseFence = NONE )
        system hosta ( )
        system hostb ( )
        group web ( SystemList = { hosta = 0 } AutoStartList = { hosta } )
            NIC uplink ( Device = eth0 )
            Process httpd ( PathName = "/usr/sbin/httpd" )
            httpd requires uplink
        group watch ( SystemList = { hostb = 0 } AutoStartList = { hostb } )
            Proxy far ( TargetResName = uplink TargetSysName = hosta )
            Process probe ( PathName = "/usr/bin/probe" )
            probe requires far
        """

    /// A suite of `scenario` on the config above, or on the shipped PM-PM one.
    private func suite(_ scenario: String, settle: String? = nil, proxied: Bool = true) throws -> Suite {
        let dir = try fixtureFolder(["main.cf": Self.proxied, "suite.yaml": """
            suite: audits
            cluster: { manager: simulated, config: \(proxied ? "main.cf" : "pm-pm.main.cf") }
            lab: { hosts: { hosta: {}, hostb: {} }\(proxied ? "" : ", guests: { vm1: { on: [hosta, hostb] } }") }
            \(settle.map { "defaults: { settle: \($0) }" } ?? "")
            scenarios:
            \(scenario)
            """])
        return try SuiteLoader.load(path: "\(dir)/suite.yaml")
    }

    @Test func aGroupTheFaultDidNotTouchThatChangesIsCollateralDamage() async throws {
        let cut = """
              - name: uplink of hosta cut
                fault: { link-down: { host: hosta, link: [eth0] }, for: 1m }
                expect: [ { group: web, faulted: hosta, within: 5m } ]
            """
        let result = await Runner(factory: SimulatedBackendFactory()).run(try suite(cut)).scenarios[0]
        #expect(result.verdict == .failed, "\(result.message)")
        #expect(result.message.hasPrefix("audit no collateral damage: watch on hostb: ONLINE -> "), "\(result.message)")
        #expect(result.timeline.contains { $0.kind == .verdict && $0.text.hasPrefix("failed: audit no collateral damage: watch on hostb") })

        // Named by an expectation, the same change is what the scenario expects.
        let named = await Runner(factory: SimulatedBackendFactory()).run(try suite("""
              - name: uplink of hosta cut, watch expected to fault
                fault: { link-down: { host: hosta, link: [eth0] }, for: 1m }
                expect: [ { group: web, faulted: hosta, within: 5m }, { group: watch, faulted: hostb, within: 5m } ]
            """)).scenarios[0]
        #expect(named.verdict == .passed, "\(named.message)")

        // Waived with a reason: a note, not a failure.
        let waived = await Runner(factory: SimulatedBackendFactory()).run(try suite(cut + "\n    allow: { collateral: \"watch proxies the uplink\" }"))
            .scenarios[0]
        #expect(waived.verdict == .passed, "\(waived.message)")
        #expect(waived.timeline.contains { $0.kind == .note && $0.text.hasSuffix("waived: watch proxies the uplink") })
    }

    @Test func whatTheFaultHitIsNotCollateral() async throws {
        // The host lost and the group that ran there change; nothing else does.
        let result = await Runner(factory: SimulatedBackendFactory()).run(try suite("""
              - name: hosta lost
                fault: { kill-host: active(vmgrp), for: 1m }
                expect: [ { group: vmgrp, online: next, within: 5m } ]
            """, proxied: false)).scenarios[0]
        #expect(result.verdict == .passed, "\(result.message)")
        #expect(result.timeline.contains { $0.text == "system hosta: RUNNING -> FAULTED" })
        // The Proxy on hostb mirrors a resource of the host lost: a real
        // consequence the scenario did not name.
        let proxied = await Runner(factory: SimulatedBackendFactory()).run(try suite("""
              - name: hosta lost
                fault: { kill-host: hosta }
                expect: [ { group: web, offline: everywhere, within: 2m } ]
            """)).scenarios[0]
        #expect(proxied.message.hasPrefix("audit no collateral damage: watch on hostb: ONLINE -> "), "\(proxied.message)")
    }

    @Test func aClusterThatIsNotAtRestAfterTheHealsBreaksTheSettlesAudit() async throws {
        // The heal of a power loss boots hosta again; a settle time shorter
        // than its boot leaves it not running.
        let lost = """
              - name: hosta lost
                fault: { kill-host: active(vmgrp), for: 1m }
                expect: [ { group: vmgrp, online: next, within: 5m } ]
            """
        let hurried = await Runner(factory: SimulatedBackendFactory()).run(try suite(lost, settle: "1s", proxied: false)).scenarios[0]
        #expect(hurried.verdict == .failed)
        #expect(hurried.message.hasPrefix("audit settles: not at rest 1s after the heals: not running: hosta "), "\(hurried.message)")
        let patient = await Runner(factory: SimulatedBackendFactory()).run(try suite(lost, settle: "5m", proxied: false)).scenarios[0]
        #expect(patient.verdict == .passed, "\(patient.message)")
        #expect(patient.timeline.last { $0.kind == .state }?.text == "system hosta: FAULTED -> RUNNING")
    }

    /// A frozen group whose system is lost stays down after the heal, as
    /// VCS leaves it: the cluster is at rest, and a note says what is down.
    @Test func whatVCSLeavesDownByDesignIsANoteNotAFailure() async throws {
        let dir = try fixtureFolder(["main.cf": """
            include "types.cf"
            cluster c ( )
            system hosta ( )
            system hostb ( )
            group web ( SystemList = { hosta = 0, hostb = 1 } AutoStartList = { hosta } )
                Process httpd ( PathName = "/usr/sbin/httpd" )
            group cold ( SystemList = { hosta = 0, hostb = 1 } AutoStartList = { hosta } Frozen = 1 )
                Process batch ( PathName = "/usr/bin/batch" )
            """, "suite.yaml": """
            suite: frozen
            cluster: { manager: simulated, config: main.cf }
            lab: { hosts: { hosta: {}, hostb: {} } }
            scenarios:
              - name: hosta lost
                fault: { kill-host: hosta, for: 1m }
                expect: [ { group: web, online: hostb, within: 5m } ]
            """])
        let result = await Runner(factory: SimulatedBackendFactory()).run(try SuiteLoader.load(path: "\(dir)/suite.yaml")).scenarios[0]
        #expect(result.verdict == .passed, "\(result.message)")
        #expect(result.timeline.contains { $0.kind == .note && $0.text == "settled with cold hosta=OFFLINE hostb=OFFLINE, online before the faults" },
                "\(result.timeline.filter { $0.kind == .note }.map(\.text))")
    }

    @Test func settleMustBeADuration() throws {
        #expect(throws: (any Error).self) { try suite("  - { name: x, fault: { kill-host: hosta }, expect: [] }", settle: "0s") }
    }
}
