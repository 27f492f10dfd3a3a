import Foundation
import Libvirt
@testable import Simulator
import Testing
import VCSConfig
import VCSSemantics

/// The seed's third topology: hosts sysA and sysB run guest appvm (vmgrp);
/// rsg's RemoteGroup reaches group appsg of the single-node cluster inside it.
@Suite struct RemoteGroupTests {
    private func hostConfig(_ mode: String) -> String {
        """
        cluster kvmclus ( )
        system sysA ( )
        system sysB ( )
        group rsg ( SystemList = { sysA = 0, sysB = 1 } AutoStartList = { sysA } )
            RemoteGroup rvg1 ( IpAddress = "192.0.2.61" GroupName = appsg VCSSysName = north ControlMode = \(mode) )
            requires group vmgrp online local hard
        group vmgrp ( SystemList = { sysA = 0, sysB = 1 } AutoStartList = { sysA } )
            Application appl (
                StartProgram = "/usr/bin/virsh start appvm"
                StopProgram = "/usr/bin/virsh shutdown appvm"
                PidFiles = { "/var/run/libvirt/qemu/appvm.pid" }
            )
        """
    }

    private func guestConfig(autoStart: Bool) -> String {
        """
        cluster appclus ( )
        system north ( )
        group appsg ( SystemList = { north = 0 } \(autoStart ? "AutoStartList = { north }" : "") )
            Process proc ( PathName = "/opt/app/bin/appd" )
        """
    }

    private func make(_ mode: String, autoStart: Bool = false) async throws -> Simulator {
        let inner = GuestClusterSpec(guest: "appvm", address: "192.0.2.61",
                                     config: try ConfigLoader.parse(text: guestConfig(autoStart: autoStart)))
        return try await Simulator(config: try ConfigLoader.parse(text: hostConfig(mode)),
                                   workDirectory: FileManager.default.temporaryDirectory, guestClusters: [inner])
    }

    private func online(_ group: String, _ system: String) -> (ClusterState) -> Bool {
        { $0.flags(of: group, on: system) == .online }
    }

    @Test func onOffStartsTheRemoteGroupOnceTheGuestHasBooted() async throws {
        let sim = try await make("OnOff")
        // vmgrp at 5; the guest boots at 30 and rvg1 asks for appsg then
        // (1 s to start); its next look, at 35, finds it ONLINE.
        #expect(await sim.runUntil(.seconds(600), online("appsg", "north")) == .seconds(31))
        #expect(await sim.runUntil(.seconds(600), online("rsg", "sysA")) == .seconds(35))
        #expect(await sim.state().systems["north"] == .running)
        await sim.shutdown()
    }

    @Test func monitorOnlyNeverStartsTheRemoteGroup() async throws {
        let sim = try await make("MonitorOnly")
        await sim.run(until: .seconds(600))
        let state = await sim.state()
        #expect(state.flags(of: "appsg", on: "north") == .offline)
        // rvg1 gave up after its OnlineTimeout (300 s) and faulted rsg.
        #expect(state.flags(of: "rsg", on: "sysA").contains(.faulted))
        await sim.shutdown()
    }

    @Test func onOffTakesTheRemoteGroupDownAndOnlineOnlyLeavesItUp() async throws {
        for (mode, expected) in [("OnOff", GroupFlags.offline), ("OnlineOnly", .online)] {
            let sim = try await make(mode)
            _ = await sim.runUntil(.seconds(600), online("rsg", "sysA"))
            let since = await sim.now
            // hagrp -switch rsg: rvg1 goes offline on sysA (5 s).
            try await sim.switchGroup("rsg", to: "sysB")
            await sim.run(until: since + .seconds(6))
            #expect(await sim.state().flags(of: "appsg", on: "north") == expected, "\(mode)")
            await sim.shutdown()
        }
    }

    @Test func aKilledProcessInsideTheGuestMovesTheGuest() async throws {
        let sim = try await make("OnOff")
        _ = await sim.runUntil(.seconds(600), online("rsg", "sysA"))
        #expect(try await sim.killProcess("appd", inGuest: "appvm"))
        #expect(await sim.runUntil(.seconds(900), online("rsg", "sysB")) == .seconds(135))
        #expect(try await sim.connection(of: "sysB")!.lookupDomain(name: "appvm").isRunning())
        await #expect(throws: SimulatorError("no cluster runs inside guest 'other'")) {
            try await sim.killProcess("appd", inGuest: "other")
        }
        await sim.shutdown()
    }

    @Test func theGuestClusterIsDownWhileItsGuestIsOff() async throws {
        let sim = try await make("OnOff")
        _ = await sim.runUntil(.seconds(600), online("rsg", "sysA"))
        try await sim.powerOff("sysA")
        let state = await sim.state()
        #expect(state.systems["north"] == .exited)
        #expect(state.flags(of: "appsg", on: "north") == .offline)
        await sim.shutdown()
    }
}
