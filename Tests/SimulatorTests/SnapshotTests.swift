import Libvirt
@testable import Simulator
import Testing
import VCSConfig

@Suite struct SnapshotTests {
    private func steady(_ text: String = pmPmConfig) async throws -> (Simulator, SimulatorSnapshot) {
        let sim = try await makeSimulator(text)
        _ = await sim.runUntil(.seconds(600)) { $0.flags(of: "vmgrp", on: "hosta") == .online }
        return (sim, await sim.snapshot())
    }

    @Test func restoringUndoesAFailoverGuestsIncluded() async throws {
        let (sim, snapshot) = try await steady()
        let before = await sim.state()
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
        _ = await sim.runUntil(.seconds(900)) { $0.flags(of: "vmgrp", on: "hostb") == .online }
        #expect(try await sim.guestRunning("vm1", on: "hostb"))

        await sim.restore(snapshot)
        #expect(await sim.now == snapshot.time)
        #expect(await sim.state() == before)
        #expect(try await sim.guestRunning("vm1", on: "hosta"))
        #expect(try await !sim.guestRunning("vm1", on: "hostb"))
        #expect(await sim.isMounted("/vmstore", on: "hosta"))
    }

    @Test func aRestoredRunRepeatsTheFreshRunEventForEvent() async throws {
        func killAndRecover(_ sim: Simulator) async throws -> [SimulatorLogEntry] {
            await sim.run(until: .seconds(23))
            try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").suspend()
            try await sim.powerOff("hostb")
            await sim.run(until: .seconds(400))
            return await sim.drainLog()
        }
        let (sim, snapshot) = try await steady()
        _ = await sim.drainLog()
        let first = try await killAndRecover(sim)
        await sim.restore(snapshot)
        let second = try await killAndRecover(sim)
        #expect(first == second)
        // A paused guest keeps its pid file, so the monitor saw nothing.
        #expect(try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").state().state == .paused)
        await sim.restore(snapshot)
        // The paused guest was resumed, the powered-off host is back.
        #expect(try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").state().state == .running)
        #expect(await sim.isPowered("hostb"))
    }

    @Test func switchingTakesTheGroupOfflineThenOnlineThere() async throws {
        let (sim, _) = try await steady()
        try await sim.switchGroup("vmgrp", to: "hostb")
        // Offline parent first: app 5, mnt 2, vol 1, dg 3 = 11; online 13.
        let moved = await sim.runUntil(.seconds(900)) { $0.flags(of: "vmgrp", on: "hostb") == .online }
        #expect(moved == .seconds(13 + 11 + 13))
        #expect(await sim.state().flags(of: "vmgrp", on: "hosta") == .offline)
        #expect(try await sim.guestRunning("vm1", on: "hostb"))
        #expect(try await !sim.guestRunning("vm1", on: "hosta"))
        await #expect(throws: SimulatorError("nowhere is not in vmgrp's SystemList")) {
            try await sim.switchGroup("vmgrp", to: "nowhere")
        }
    }

    @Test func monitorsRunEveryIntervalFromTheirBase() {
        let clock = MonitorClock(base: .seconds(13), interval: .seconds(60))
        #expect(clock.next(from: .seconds(23), inclusive: true) == .seconds(73))
        #expect(clock.next(from: .seconds(73), inclusive: true) == .seconds(73))
        #expect(clock.next(from: .seconds(73), inclusive: false) == .seconds(133))
        #expect(clock.next(from: .seconds(13), inclusive: true) == .seconds(73))
        #expect(clock.next(from: .seconds(5), inclusive: true) == .seconds(73))
        #expect(clock.next(from: .milliseconds(73_001), inclusive: true) == .seconds(133))
    }
}
