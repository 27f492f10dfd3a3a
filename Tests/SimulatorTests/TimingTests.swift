import Libvirt
import Simulator
import Testing
import VCSConfig
import VCSSemantics

/// Exact simulated recovery times against hand computations. Durations:
/// DiskGroup 5/3/1 s (online/offline/clean), Volume 1/1/1, Mount 2/2/1,
/// Application 5/5/2, NIC 0; MonitorInterval 60 s; heartbeat 16 + 5 s.
/// The group comes online child first: dg 0-5, vol 5-6, mnt 6-8 and
/// (NIC at once) app 8-13: ONLINE at t=13, first app monitor at t=73.
@Suite struct TimingTests {
    private func online(_ system: String) -> (ClusterState) -> Bool {
        { $0.flags(of: "vmgrp", on: system) == .online }
    }

    private func config(app extra: String = "", group extra2: String = "") -> String {
        pmPmConfig
            .replacingOccurrences(of: "PidFiles = { \"/var/run/libvirt/qemu/vm1.pid\" }", with: "PidFiles = { \"/var/run/libvirt/qemu/vm1.pid\" }\n\(extra)")
            .replacingOccurrences(of: "AutoStartList = { hosta }", with: "AutoStartList = { hosta }\n\(extra2)")
    }

    private func kill(_ sim: Simulator, at time: Duration) async throws {
        await sim.run(until: time)
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
    }

    @Test func aGuestKilledTenSecondsIntoAMonitorCycle() async throws {
        let sim = try await makeSimulator(config())
        try await kill(sim, at: .seconds(23))
        // Seen at 73 (50 s later), clean 2, offline mnt 2 + vol 1 + dg 3,
        // online on hostb dg 5 + vol 1 + mnt 2 + app 5: 73 + 2 + 6 + 13 = 94.
        #expect(await sim.runUntil(.seconds(900), online("hostb")) == .seconds(94))
        await sim.shutdown()
    }

    @Test func toleranceLimitLetsOneMonitorMissPass() async throws {
        let sim = try await makeSimulator(config(app: "ToleranceLimit = 1"))
        try await kill(sim, at: .seconds(23))
        // Missed at 73 (tolerated), faulted at 133: 133 + 2 + 6 + 13 = 154.
        #expect(await sim.runUntil(.seconds(900), online("hostb")) == .seconds(154))
        await sim.shutdown()
    }

    @Test func restartLimitRestartsInPlaceFirst() async throws {
        let sim = try await makeSimulator(config(app: "RestartLimit = 1"))
        try await kill(sim, at: .seconds(23))
        // Seen at 73, clean 2, online again 5: back on hosta at 80.
        await sim.run(until: .seconds(74))
        #expect(await sim.state().flags(of: "vmgrp", on: "hosta") == [.online, .partial])
        #expect(await sim.runUntil(.seconds(900), online("hosta")) == .seconds(80))
        #expect(try await sim.guestRunning("vm1", on: "hosta"))
        // The limit is spent: the next death fails over. Killed at 80, the
        // monitor (60 s from 80) sees it at 140: 140 + 2 + 6 + 13 = 161.
        try await kill(sim, at: .seconds(80))
        #expect(await sim.runUntil(.seconds(900), online("hostb")) == .seconds(161))
        await sim.shutdown()
    }

    @Test func aShorterMonitorIntervalFromTheResource() async throws {
        let sim = try await makeSimulator(config(app: "MonitorInterval = 10"))
        try await kill(sim, at: .seconds(15))
        // Monitors at 23, 33...: seen at 23: 23 + 2 + 6 + 13 = 44.
        #expect(await sim.runUntil(.seconds(900), online("hostb")) == .seconds(44))
        await sim.shutdown()
    }

    @Test func aHostPowerLossAfterTheHeartbeatTimeout() async throws {
        let sim = try await makeSimulator(config())
        await sim.run(until: .seconds(20))
        try await sim.powerOff("hosta")
        // Declared dead at 20 + 16 + 5 = 41, online on hostb 13 s later: 54.
        #expect(await sim.runUntil(.seconds(900), online("hostb")) == .seconds(54))
        await sim.shutdown()
    }

    @Test func aFrozenGroupIsLeftAlone() async throws {
        let sim = try await makeSimulator(config(group: "Frozen = 1"))
        try await kill(sim, at: .seconds(23))
        await sim.run(until: .seconds(600))
        let state = await sim.state()
        #expect(state.flags(of: "vmgrp", on: "hosta") == [.online, .partial, .faulted])
        #expect(state.flags(of: "vmgrp", on: "hostb") == .offline)
        await sim.shutdown()
    }

    @Test func roundRobinFailsOverToTheLeastBusySystem() async throws {
        let text = """
            cluster c ( )
            system a ( )
            system b ( )
            system d ( )
            group busy ( SystemList = { b = 0, a = 1 } AutoStartList = { b } )
                Process p1 ( PathName = /bin/p1 )
            group rr ( SystemList = { a = 0, b = 1, d = 2 } AutoStartList = { a } FailOverPolicy = RoundRobin )
                Process p2 ( PathName = /bin/p2 )
            """
        let sim = try await makeSimulator(text)
        await sim.run(until: .seconds(10))
        try await sim.powerOff("a")
        // b already runs 'busy', so RoundRobin picks d (Priority would pick b).
        let moved = await sim.runUntil(.seconds(900)) { $0.flags(of: "rr", on: "d") == .online }
        #expect(moved == .seconds(10 + 21 + 1))
        await sim.shutdown()
    }
}
