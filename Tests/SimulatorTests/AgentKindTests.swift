import Libvirt
@testable import Simulator
import Testing
import VCSConfig

/// Phantom, Proxy and IP agents; every entry point here takes 1 s, NIC's 0.
@Suite struct AgentKindTests {
    private let text = """
        cluster c ( )
        system a ( )
        system b ( )
        group netgrp ( SystemList = { a = 0, b = 1 } AutoStartList = { a, b } Parallel = 1 )
            NIC nic ( Device = eth0 )
            Phantom ph ( )
        group app ( SystemList = { a = 0, b = 1 } AutoStartList = { a } )
            Proxy px ( TargetResName = nic )
            IP ip ( Device = eth0 Address = "192.0.2.10" )
            Process p ( PathName = /bin/server )
            ip requires px
            p requires ip
        """

    @Test func aPhantomGivesAGroupOfPersistentResourcesAState() async throws {
        let sim = try await makeSimulator(text)
        let up = await sim.runUntil(.seconds(60)) { state in ["a", "b"].allSatisfy { state.flags(of: "netgrp", on: $0) == .online } }
        #expect(up == .seconds(1))
        await sim.shutdown()
    }

    @Test func aProxyFaultsWhenTheResourceItMirrorsDoes() async throws {
        let sim = try await makeSimulator(text)
        await sim.run(until: .seconds(10))
        try await sim.setLink("eth0", on: "a", up: false)
        // nic (online at 0) is seen down at 60; px (online at 1, always
        // watched) at 61: p and ip go offline by 63, then px, ip, p on b: 66.
        let moved = await sim.runUntil(.seconds(600)) { $0.flags(of: "app", on: "b") == .online }
        #expect(moved == .seconds(66))
        let log = await sim.drainLog().map(\.text).filter { $0.contains("nic") || $0.contains("netgrp") }
        // The critical NIC faulted: netgrp (parallel) goes offline there.
        #expect(await sim.state().flags(of: "netgrp", on: "a") == [.offline, .faulted], "\(log)")
        await sim.shutdown()
    }
}
