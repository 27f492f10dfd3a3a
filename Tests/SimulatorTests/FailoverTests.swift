import Libvirt
@testable import Simulator
import Testing
import VCSConfig
import VCSSemantics

@Suite struct FailoverTests {
    private func online(on system: String) -> (ClusterState) -> Bool {
        { $0.flags(of: "vmgrp", on: system) == .online }
    }

    private func steady() async throws -> Simulator {
        let sim = try await makeSimulator()
        let started = await sim.runUntil(.seconds(600), online(on: "hosta"))
        // DiskGroup 5 s + Volume 1 s + Mount 2 s + Application 5 s, child first.
        #expect(started == .seconds(13))
        return sim
    }

    @Test func clusterStartBringsTheGroupUpChildFirstAndBootsTheGuestOnlyThere() async throws {
        let sim = try await steady()
        #expect(try await sim.guestRunning("vm1", on: "hosta"))
        #expect(try await !sim.guestRunning("vm1", on: "hostb"))
        #expect(await sim.state().flags(of: "vmgrp", on: "hostb") == .offline)
        #expect(await sim.state().systems == ["hosta": .running, "hostb": .running])
        #expect(await sim.isMounted("/vmstore", on: "hosta"))
        await sim.shutdown()
    }

    @Test func aKilledGuestIsSeenAtTheNextMonitorAndFailsOver() async throws {
        let sim = try await steady()
        let killedAt = await sim.now
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
        let recovered = try #require(await sim.runUntil(.seconds(900), online(on: "hostb")))
        // Monitor 60 s after online (t=13 s), then clean, offline chain, online on hostb.
        #expect(recovered - killedAt > .seconds(60))
        #expect(recovered - killedAt < .seconds(120))
        #expect(await sim.state().flags(of: "vmgrp", on: "hosta") == [.offline, .faulted])
        #expect(try await sim.guestRunning("vm1", on: "hostb"))
        #expect(try await !sim.guestRunning("vm1", on: "hosta"))
        #expect(await !sim.isMounted("/vmstore", on: "hosta"))
        await sim.shutdown()
    }

    @Test func aDeadHostIsDeclaredFaultedAfterTheHeartbeatTimeout() async throws {
        let sim = try await steady()
        let killedAt = await sim.now
        try await sim.powerOff("hosta")
        #expect(try await !sim.guestRunning("vm1", on: "hosta"))
        #expect(await sim.state().systems["hosta"] == .running)  // nobody knows yet
        let faulted = try #require(await sim.runUntil(.seconds(900)) { $0.systems["hosta"] == .faulted })
        #expect(faulted - killedAt == .seconds(21))
        let recovered = try #require(await sim.runUntil(.seconds(900), online(on: "hostb")))
        #expect(recovered - killedAt == .seconds(34))
        try await sim.powerOn("hosta")
        let rejoined = try #require(await sim.runUntil(.seconds(900)) { $0.systems["hosta"] == .running })
        #expect(rejoined - killedAt == .seconds(34) + (rejoined - recovered))
        #expect(await sim.state().flags(of: "vmgrp", on: "hostb") == .online)
        await sim.shutdown()
    }

    @Test func aPublicLinkDownFaultsTheNICAndFailsOver() async throws {
        let sim = try await steady()
        try await sim.setLink("eth0", on: "hosta", up: false)
        #expect(await sim.runUntil(.seconds(900), online(on: "hostb")) != nil)
        #expect(await sim.state().flags(of: "vmgrp", on: "hosta").contains(.faulted))
        await sim.shutdown()
    }

    @Test func anUnmountFaultsTheMountAndFailsOver() async throws {
        let sim = try await steady()
        #expect(try await sim.unmount("/vmstore", on: "hosta"))
        #expect(try await !sim.unmount("/vmstore", on: "hosta"))
        #expect(await sim.runUntil(.seconds(900), online(on: "hostb")) != nil)
        #expect(try await !sim.guestRunning("vm1", on: "hosta"))
        await sim.shutdown()
    }

    @Test func losingEveryHeartbeatWithoutFencingSplitsTheBrain() async throws {
        let sim = try await steady()
        try await sim.setLink("llt0", on: "hosta", up: false)
        try await sim.setLink("llt1", on: "hosta", up: false)
        let split = await sim.runUntil(.seconds(900)) { $0.onlineSystems(of: "vmgrp") == ["hosta", "hostb"] }
        #expect(split != nil)
        #expect(try await sim.guestRunning("vm1", on: "hosta"))
        #expect(try await sim.guestRunning("vm1", on: "hostb"))
        // When the links come back, GAB halts one side: hostb (tie; hosta has node id 0).
        try await sim.setLink("llt0", on: "hosta", up: true)
        #expect(try await !sim.guestRunning("vm1", on: "hostb"))
        #expect(await sim.runUntil(.seconds(1200)) { $0.systems["hostb"] == .faulted } != nil)
        #expect(await sim.state().activeSystems(of: "vmgrp") == ["hosta"])
        #expect(await sim.runUntil(.seconds(1200)) { $0.systems["hostb"] == .running } != nil)
        await sim.shutdown()
    }

    @Test func anIsolatedSystemStartsGroupsOnlyOnItself() async throws {
        // c runs g2 (SystemList b, c). a runs g1 (a, b, c). When a loses
        // every heartbeat, it may take g2 itself only if it is in g2's
        // SystemList (it is not), and it cannot start anything on b or c.
        let text = """
            cluster c ( )
            system a ( )
            system b ( )
            system c ( )
            group g1 ( SystemList = { a = 0, b = 1, c = 2 } AutoStartList = { a } )
                Process p1 ( PathName = /bin/p1 )
            group g2 ( SystemList = { c = 0, a = 1, b = 2 } AutoStartList = { c } )
                Process p2 ( PathName = /bin/p2 )
            """
        let sim = try await makeSimulator(text)
        await sim.run(until: .seconds(10))
        try await sim.setLink("llt0", on: "a", up: false)
        try await sim.setLink("llt1", on: "a", up: false)
        await sim.run(until: .seconds(100))
        let state = await sim.state()
        // b and c take g1 (b by priority); a keeps g1 and takes g2 as well.
        #expect(state.activeSystems(of: "g1") == ["a", "b"])
        #expect(state.activeSystems(of: "g2") == ["a", "c"])
        let log = await sim.drainLog().map(\.text)
        #expect(!log.contains { $0.hasPrefix("a: failing") && !$0.hasSuffix("to a") })
        await sim.shutdown()
    }

    @Test func withFencingTheLosingSidePanicsInsteadOfSplitting() async throws {
        let sim = try await makeSimulator(pmPmConfig.replacingOccurrences(of: "cluster c ( )", with: "cluster c ( UseFence = SCSI3 )"))
        _ = await sim.runUntil(.seconds(600)) { $0.flags(of: "vmgrp", on: "hosta") == .online }
        try await sim.setLink("llt0", on: "hosta", up: false)
        try await sim.setLink("llt1", on: "hosta", up: false)
        // A tie: the side with the lowest node id (hosta) wins; hostb panics.
        let fenced = await sim.runUntil(.seconds(900)) { $0.systems["hostb"] == .faulted }
        #expect(fenced == .seconds(13 + 21))
        await sim.run(until: .seconds(400))
        #expect(await sim.state().activeSystems(of: "vmgrp") == ["hosta"])
        #expect(try await !sim.guestRunning("vm1", on: "hostb"))
        let log = await sim.drainLog().map(\.text)
        #expect(log.contains("hostb: lost the fencing race: panic"))
        await sim.shutdown()
    }

    @Test func unknownTargetsAreRefused() async throws {
        let sim = try await makeSimulator()
        await #expect(throws: SimulatorError("no system 'ghost'")) { try await sim.powerOff("ghost") }
        await #expect(throws: SimulatorError.self) { try await sim.setLink("wlan9", on: "hosta", up: false) }
        await sim.shutdown()
    }

    @Test func runsRepeatExactly() async throws {
        func trace() async throws -> [SimulatorLogEntry] {
            let sim = try await steady()
            try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
            await sim.run(until: .seconds(400))
            let log = await sim.drainLog()
            await sim.shutdown()
            return log
        }
        let first = try await trace()
        #expect(first.count > 20)
        #expect(try await trace() == first)
    }
}

@Suite struct SimulatedHostTests {
    @Test func guestsAreDefinedOnEverySystemOfTheirGroup() throws {
        let config = try ConfigLoader.parse(text: pmPmConfig)
        let guests = config.managedGuests()
        #expect(guests.map(\.guest) == ["vm1"])
        #expect(guests.first?.systems == ["hosta", "hostb"])
    }

    @Test func stableUUIDsRepeatAndDiffer() {
        #expect(SimulatedHost.stableUUID("vm1") == SimulatedHost.stableUUID("vm1"))
        #expect(SimulatedHost.stableUUID("vm1") != SimulatedHost.stableUUID("vm2"))
        #expect(SimulatedHost.stableUUID("vm1").count == 36)
    }
}
