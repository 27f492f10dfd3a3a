import Libvirt
@testable import Simulator
import Testing
import VCSConfig
import VCSSemantics

/// Agent timeouts, retries and limits, against hand computations. Process
/// takes 1 s for every entry point; Application 5/5/2 s (online, offline,
/// clean); VCS's defaults: OnlineTimeout 300, CleanTimeout 60,
/// MonitorTimeout 60, OnlineWaitLimit 2, FaultOnMonitorTimeouts 4.
@Suite struct AgentLimitTests {
    private func faulted(_ group: String, _ system: String) -> (ClusterState) -> Bool {
        { $0.flags(of: group, on: system).contains(.faulted) }
    }

    private func online(_ group: String, _ system: String) -> (ClusterState) -> Bool {
        { $0.flags(of: group, on: system) == .online }
    }

    private let twoSystems = """
        cluster c ( )
        system a ( )
        system b ( )
        """

    private func settings(_ type: String, _ timing: AgentTiming) -> SimulatorSettings {
        var settings = SimulatorSettings()
        settings.timings[type] = timing
        return settings
    }

    @Test func loadPicksTheSystemWithTheMostAvailableCapacity() async throws {
        let sim = try await makeSimulator("""
            cluster c ( )
            system a ( )
            system b ( Capacity = 100 )
            system d ( Capacity = 200 )
            group heavy ( SystemList = { d = 0, b = 1 } AutoStartList = { d } Load = 150 )
                Process p1 ( PathName = /bin/p1 )
            group g ( SystemList = { a = 0, d = 1, b = 2 } AutoStartList = { a } FailOverPolicy = Load Load = 30 )
                Process p2 ( PathName = /bin/p2 )
            """)
        await sim.run(until: .seconds(10))
        try await sim.powerOff("a")
        // d has 200 - 150 = 50 left, b 100: Load picks b (Priority would pick d).
        // Declared dead at 10 + 21, online 1 s later.
        #expect(await sim.runUntil(.seconds(600), online("g", "b")) == .seconds(32))
        await sim.shutdown()
    }

    @Test func manageFaultsNoneLeavesTheFaultToAnAdministrator() async throws {
        let text = pmPmConfig.replacingOccurrences(of: "AutoStartList = { hosta }", with: "AutoStartList = { hosta }\nManageFaults = NONE")
        let sim = try await makeSimulator(text)
        await sim.run(until: .seconds(23))
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
        let waiting = await sim.runUntil(.seconds(600)) { $0.flags(of: "vmgrp", on: "hosta").contains(.adminWait) }
        #expect(waiting == .seconds(73))
        await sim.run(until: .seconds(600))
        #expect(await sim.state().flags(of: "vmgrp", on: "hosta") == [.online, .partial, .adminWait])
        #expect(await sim.state().flags(of: "vmgrp", on: "hostb") == .offline)
        await sim.shutdown()
    }

    @Test func anOnlineThatNeverComesUpWaitsThenRetriesThenFaults() async throws {
        // It starts vmx but watches vmy, which never runs.
        let sim = try await makeSimulator(twoSystems + """

            group g ( SystemList = { a = 0, b = 1 } AutoStartList = { a } )
                Application app (
                    StartProgram = "/usr/bin/virsh start vmx"
                    StopProgram = "/usr/bin/virsh shutdown vmx"
                    PidFiles = { "/var/run/libvirt/qemu/vmy.pid" }
                    OnlineRetryLimit = 1
                )
            """)
        // Online done at 5, then two monitor cycles (OnlineWaitLimit): 125.
        // Retry: clean 2 s, online again 127-132, two cycles: fault at 252.
        #expect(await sim.runUntil(.seconds(900), faulted("g", "a")) == .seconds(252))
        let log = await sim.drainLog().map(\.text)
        #expect(log.contains("a: app: retrying online (1 of OnlineRetryLimit 1)"))
        #expect(log.contains("a: app: not up after online; waiting a monitor cycle (2 of OnlineWaitLimit 2)"))
        await sim.shutdown()
    }

    @Test func anOnlineLongerThanOnlineTimeoutFails() async throws {
        let timing = AgentTiming(online: .seconds(400), offline: .seconds(1), clean: .seconds(1))
        let sim = try await makeSimulator(twoSystems + """

            group g ( SystemList = { a = 0, b = 1 } AutoStartList = { a } )
                Process p ( PathName = /bin/slow )
            """, settings: settings("Process", timing))
        #expect(await sim.runUntil(.seconds(900), faulted("g", "a")) == .seconds(300))
        // It fails over and times out again on b: 301 + 300.
        #expect(await sim.runUntil(.seconds(900), faulted("g", "b")) == .seconds(601))
        await sim.shutdown()
    }

    @Test func aCleanLongerThanCleanTimeoutKeepsTheGroupFromFailingOver() async throws {
        let timing = AgentTiming(online: .seconds(5), offline: .seconds(5), clean: .seconds(90))
        let sim = try await makeSimulator(settings: settings("Application", timing))
        await sim.run(until: .seconds(23))
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
        await sim.run(until: .seconds(900))
        let state = await sim.state()
        #expect(state.flags(of: "vmgrp", on: "hostb") == .offline)
        #expect(state.flags(of: "vmgrp", on: "hosta").contains(.stopping))
        let log = await sim.drainLog().map(\.text)
        #expect(log.contains("hosta: app: clean timed out after 60 s"))
        await sim.shutdown()
    }

    @Test func anOfflineLongerThanOfflineTimeoutIsFinishedByClean() async throws {
        let timing = AgentTiming(online: .seconds(5), offline: .seconds(400), clean: .seconds(2))
        let sim = try await makeSimulator(settings: settings("Application", timing))
        await sim.run(until: .seconds(13))
        try await sim.switchGroup("vmgrp", to: "hostb")
        // app offline times out at 313, clean to 315, mnt 2 + vol 1 + dg 3
        // to 321, online on hostb 13 s: 334.
        #expect(await sim.runUntil(.seconds(900), online("vmgrp", "hostb")) == .seconds(334))
        await sim.shutdown()
    }

    @Test func monitorsThatTimeOutFaultAfterFaultOnMonitorTimeouts() async throws {
        let timing = AgentTiming(online: .seconds(1), offline: .seconds(1), clean: .seconds(1), monitor: .seconds(70))
        let sim = try await makeSimulator(twoSystems + """

            group g ( SystemList = { a = 0, b = 1 } AutoStartList = { a } )
                Process p ( PathName = /bin/hung )
            """, settings: settings("Process", timing))
        // Online at 1; monitors at 61, 121, 181, 241 time out; the fourth faults.
        #expect(await sim.runUntil(.seconds(900), faulted("g", "a")) == .seconds(241))
        await sim.shutdown()
    }

    @Test func aSlowMonitorReportsWhenItIsDone() async throws {
        let timing = AgentTiming(online: .seconds(5), offline: .seconds(5), clean: .seconds(2), monitor: .seconds(10))
        let sim = try await makeSimulator(settings: settings("Application", timing))
        await sim.run(until: .seconds(23))
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
        // Seen at 73, reported at 83: 83 + 2 + 6 + 13 = 104.
        #expect(await sim.runUntil(.seconds(900), online("vmgrp", "hostb")) == .seconds(104))
        await sim.shutdown()
    }

    @Test func aGroupOnlineRetryLimitRestartsTheGroupInPlaceFirst() async throws {
        let text = pmPmConfig.replacingOccurrences(of: "AutoStartList = { hosta }", with: "AutoStartList = { hosta }\nOnlineRetryLimit = 1")
        let sim = try await makeSimulator(text)
        await sim.run(until: .seconds(23))
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
        // Seen at 73, clean 2 s, offline chain 6 s (81), online again 13 s.
        await sim.run(until: .seconds(82))
        #expect(await sim.state().flags(of: "vmgrp", on: "hosta").contains(.starting))
        #expect(await sim.runUntil(.seconds(900), online("vmgrp", "hosta")) == .seconds(94))
        #expect(try await sim.guestRunning("vm1", on: "hosta"))
        // The retry is spent: the next fault fails over.
        await sim.run(until: .seconds(100))
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
        #expect(await sim.runUntil(.seconds(900), online("vmgrp", "hostb")) != nil)
        await sim.shutdown()
    }

    @Test func confIntervalForgetsEarlierRestarts() async throws {
        let text = pmPmConfig.replacingOccurrences(
            of: "PidFiles = { \"/var/run/libvirt/qemu/vm1.pid\" }",
            with: "PidFiles = { \"/var/run/libvirt/qemu/vm1.pid\" }\nRestartLimit = 1\nConfInterval = 100")
        let sim = try await makeSimulator(text)
        await sim.run(until: .seconds(23))
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
        // Seen at 73, restarted in place: online again at 80.
        await sim.run(until: .seconds(74))
        #expect(await sim.state().flags(of: "vmgrp", on: "hosta") == [.online, .partial])
        #expect(await sim.runUntil(.seconds(900), online("vmgrp", "hosta")) == .seconds(80))
        await sim.run(until: .seconds(200))
        try await sim.connection(of: "hosta")!.lookupDomain(name: "vm1").destroy()
        // Seen at 200 (monitors every 60 s from 80): online 120 s >= 100,
        // so the restart is granted again instead of a failover.
        await sim.run(until: .seconds(201))
        #expect(await sim.state().flags(of: "vmgrp", on: "hosta") == [.online, .partial])
        #expect(await sim.runUntil(.seconds(900), online("vmgrp", "hosta")) == .seconds(207))
        await sim.shutdown()
    }
}
