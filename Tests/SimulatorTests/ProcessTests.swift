import Foundation
import Testing
import VCSConfig
@testable import Simulator

/// Each Process resource runs its own instance; `pkill -x` kills all of
/// them on one system, and each owner faults in its own group, there only.
@Suite struct ProcessTests {
    static let sharedNames = """
        cluster c ( )
        system s0 ( )
        system s1 ( )
        system s2 ( )
        group g0 ( SystemList = { s0 = 0, s1 = 1, s2 = 2 } AutoStartList = { s0 } )
            Process p0 ( PathName = "/usr/bin/svc1" )
        group g1 ( SystemList = { s1 = 0, s0 = 1, s2 = 2 } AutoStartList = { s1 } )
            Process p1 ( PathName = "/usr/bin/svc1" )
        group g2 ( SystemList = { s1 = 0, s2 = 1 } AutoStartList = { s1 } )
            Process q2 ( PathName = "/usr/bin/svc2" )
        """

    @Test func killingANameKillsEveryInstanceOnThatSystemOnly() async throws {
        let simulator = try await makeSimulator(Self.sharedNames)
        _ = await simulator.runUntil(.seconds(60)) { state in
            ["g0", "g1", "g2"].allSatisfy { !state.onlineSystems(of: $0).isEmpty }
        }
        #expect(try await simulator.killProcess("svc1", on: "s1"))
        // g1's instance on s1 dies; g0's on s0 runs on and g2 has no svc1.
        let moved = await simulator.runUntil(.seconds(600)) { $0.onlineSystems(of: "g1") == ["s0"] }
        #expect(moved != nil)
        let state = await simulator.state()
        #expect(state.onlineSystems(of: "g0") == ["s0"])
        #expect(state.onlineSystems(of: "g2") == ["s1"])
        #expect(!state.flags(of: "g0", on: "s0").contains(.faulted))
        let log = await simulator.drainLog().map(\.text)
        #expect(!log.contains { $0.contains("s0: p0: FAULTED") })
        #expect(log.contains { $0.contains("s1: p1: FAULTED") })
    }

    /// KVM-KVM: a guest that is itself a cluster node; a process killed
    /// inside it is killed on that system, and had comes back through
    /// hashadow with nothing moved.
    @Test func aProcessKilledInsideANodeGuestIsKilledOnThatSystem() async throws {
        let simulator = try await makeSimulator(Self.sharedNames)
        _ = await simulator.runUntil(.seconds(60)) { state in
            ["g0", "g1", "g2"].allSatisfy { !state.onlineSystems(of: $0).isEmpty }
        }
        #expect(try await simulator.killProcess("had", inGuest: "s1"))
        await simulator.run(until: .seconds(600))
        var state = await simulator.state()
        #expect(state.onlineSystems(of: "g1") == ["s1"])
        #expect(state.onlineSystems(of: "g2") == ["s1"])
        #expect(try await simulator.killProcess("svc2", inGuest: "s1"))
        #expect(try await !simulator.killProcess("svc2", inGuest: "s1"))
        let moved = await simulator.runUntil(.seconds(1200)) { $0.onlineSystems(of: "g2") == ["s2"] }
        #expect(moved != nil)
        state = await simulator.state()
        #expect(state.onlineSystems(of: "g1") == ["s1"])
        await #expect(throws: SimulatorError("no cluster runs inside guest 'elsewhere'")) {
            try await simulator.killProcess("svc2", inGuest: "elsewhere")
        }
    }

    @Test func twoInstancesOnOneSystemBothFaultAndEachRestartsOnlyItsOwn() async throws {
        let simulator = try await makeSimulator(Self.sharedNames)
        _ = await simulator.runUntil(.seconds(60)) { !$0.onlineSystems(of: "g0").isEmpty && !$0.onlineSystems(of: "g1").isEmpty }
        try await simulator.switchGroup("g0", to: "s1")
        _ = await simulator.runUntil(.seconds(120)) { $0.onlineSystems(of: "g0") == ["s1"] }
        #expect(try await simulator.killProcess("svc1", on: "s1"))
        // Both owners fault on s1 and fail over: g0 to s0, g1 to s0.
        let both = await simulator.runUntil(.seconds(900)) { state in
            state.onlineSystems(of: "g0") == ["s0"] && state.onlineSystems(of: "g1") == ["s0"]
        }
        #expect(both != nil)
        let state = await simulator.state()
        #expect(state.flags(of: "g0", on: "s1").contains(.faulted))
        #expect(state.flags(of: "g1", on: "s1").contains(.faulted))
        #expect(state.onlineSystems(of: "g2") == ["s1"])
    }

    @Test func killingANameNoAgentStartedThereIsRefused() async throws {
        let simulator = try await makeSimulator(Self.sharedNames)
        _ = await simulator.runUntil(.seconds(60)) { !$0.onlineSystems(of: "g0").isEmpty }
        #expect(try await !simulator.killProcess("svc2", on: "s0"))
        #expect(try await !simulator.killProcess("nothing", on: "s1"))
    }
}

/// The same per-resource processes inside a guest's cluster.
@Suite struct GuestProcessTests {
    @Test func killingANameInAGuestFaultsEveryOwnerThereAndNothingElse() async throws {
        let host = try ConfigLoader.parse(text: """
            cluster hosts ( )
            system sysA ( )
            group vmgrp ( SystemList = { sysA = 0 } AutoStartList = { sysA } )
                Application appl ( StartProgram = "/usr/bin/virsh start appvm" PidFiles = { "/var/run/libvirt/qemu/appvm.pid" } )
            """)
        let guest = try ConfigLoader.parse(text: """
            cluster inside ( )
            system north ( )
            group one ( SystemList = { north = 0 } AutoStartList = { north } )
                Process p1 ( PathName = "/usr/bin/svc" )
            group two ( SystemList = { north = 0 } AutoStartList = { north } )
                Process p2 ( PathName = "/usr/bin/svc" )
            group other ( SystemList = { north = 0 } AutoStartList = { north } )
                Process p3 ( PathName = "/usr/bin/helper" )
            """)
        let sim = try await Simulator(config: host, workDirectory: FileManager.default.temporaryDirectory,
                                      guestClusters: [GuestClusterSpec(guest: "appvm", address: "192.0.2.9", config: guest)])
        let up = await sim.runUntil(.seconds(600)) { state in ["one", "two", "other"].allSatisfy { state.flags(of: $0, on: "north") == .online } }
        #expect(up != nil)
        _ = await sim.drainLog()
        #expect(try await sim.killProcess("svc", inGuest: "appvm"))
        await sim.run(until: .seconds(1200))
        let state = await sim.state()
        #expect(state.flags(of: "one", on: "north").contains(.faulted))
        #expect(state.flags(of: "two", on: "north").contains(.faulted))
        #expect(state.flags(of: "other", on: "north") == .online)
        let log = await sim.drainLog().map(\.text)
        #expect(log.contains("north: process svc killed (2 instances)"))
        #expect(!log.contains { $0.contains("p3: FAULTED") })
        #expect(try await !sim.killProcess("nothing", inGuest: "appvm"))
        await sim.shutdown()
    }
}
