import Libvirt
@testable import Simulator
import Testing
import VCSConfig
import VCSSemantics

/// vmgrp (the PM-PM group, ONLINE at 13) and a parent group app that
/// requires it; app's Process takes 1 s to start.
@Suite struct GroupDependencyTests {
    private func config(_ strength: String, locality: String = "local") -> String {
        pmPmConfig + """

            group appgrp (
                SystemList = { hosta = 0, hostb = 1 }
                AutoStartList = { hosta }
            )
                Process proc ( PathName = "/opt/app/bin/server -d" )
                requires group vmgrp online \(locality) \(strength)
            """
    }

    private func online(_ group: String, _ system: String) -> (ClusterState) -> Bool {
        { $0.flags(of: group, on: system) == .online }
    }

    private func kill(_ sim: Simulator, at time: Duration) async throws {
        await sim.run(until: time)
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
    }

    @Test func theParentStartsOnceItsChildIsOnline() async throws {
        let sim = try await makeSimulator(config("firm"))
        #expect(await sim.runUntil(.seconds(600), online("appgrp", "hosta")) == .seconds(14))
        await sim.shutdown()
    }

    @Test func aFirmParentGoesOfflineFirstAndFollowsItsChild() async throws {
        let sim = try await makeSimulator(config("firm"))
        try await kill(sim, at: .seconds(23))
        // Seen at 73: clean 2 s while app goes offline (1 s); then the
        // offline chain 6 s, vmgrp online on hostb at 73 + 2 + 6 + 13 = 94,
        // appgrp 1 s later.
        #expect(await sim.runUntil(.seconds(900), online("vmgrp", "hostb")) == .seconds(94))
        #expect(await sim.runUntil(.seconds(900), online("appgrp", "hostb")) == .seconds(95))
        let log = await sim.drainLog().map(\.text)
        let parentDown = try #require(log.firstIndex(of: "hosta: appgrp is OFFLINE"))
        let childDown = try #require(log.firstIndex(of: "hosta: vmgrp is OFFLINE"))
        #expect(parentDown < childDown)
        await sim.shutdown()
    }

    @Test func aSoftParentStaysUpWhileItsChildMoves() async throws {
        let sim = try await makeSimulator(config("soft"))
        try await kill(sim, at: .seconds(23))
        #expect(await sim.runUntil(.seconds(900), online("vmgrp", "hostb")) == .seconds(94))
        #expect(await sim.state().flags(of: "appgrp", on: "hosta") == .online)
        await sim.shutdown()
    }

    @Test func aHardParentThatFaultsTakesItsChildAlong() async throws {
        let sim = try await makeSimulator(config("hard"))
        await sim.run(until: .seconds(23))
        #expect(try await sim.killProcess("server", on: "hosta"))
        // Process monitors every 60 s from 14: seen at 74. Clean 1 s while
        // appgrp is offline at once (its only resource faulted); vmgrp goes
        // offline 11 s (app 5, mnt 2, vol 1, dg 3) to 85, online on hostb
        // 13 s to 98, appgrp follows 1 s later.
        #expect(await sim.runUntil(.seconds(900), online("vmgrp", "hostb")) == .seconds(98))
        #expect(await sim.runUntil(.seconds(900), online("appgrp", "hostb")) == .seconds(99))
        await sim.shutdown()
    }

    @Test func aFirmParentThatFaultsStaysDownWithItsChildInPlace() async throws {
        let sim = try await makeSimulator(config("firm"))
        await sim.run(until: .seconds(23))
        #expect(try await sim.killProcess("server", on: "hosta"))
        await sim.run(until: .seconds(600))
        let state = await sim.state()
        #expect(state.flags(of: "vmgrp", on: "hosta") == .online)
        #expect(state.activeSystems(of: "appgrp").isEmpty)
        await sim.shutdown()
    }

    @Test func aHostLossMovesChildThenParent() async throws {
        let sim = try await makeSimulator(config("hard"))
        await sim.run(until: .seconds(20))
        try await sim.powerOff("hosta")
        // Declared dead at 41: vmgrp online on hostb at 54, appgrp at 55.
        #expect(await sim.runUntil(.seconds(900), online("appgrp", "hostb")) == .seconds(55))
        await sim.shutdown()
    }

    @Test func aGlobalParentMayRunElsewhere() async throws {
        let text = config("firm", locality: "global").replacingOccurrences(
            of: "SystemList = { hosta = 0, hostb = 1 }\n    AutoStartList = { hosta }\n)\n    Process",
            with: "SystemList = { hostb = 0, hosta = 1 }\n    AutoStartList = { hostb }\n)\n    Process")
        let sim = try await makeSimulator(text)
        #expect(await sim.runUntil(.seconds(600), online("appgrp", "hostb")) == .seconds(14))
        await sim.shutdown()
    }
}
