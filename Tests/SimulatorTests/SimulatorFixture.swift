import Foundation
import Simulator
import VCSConfig
import VCSSemantics

/// The PM-PM sample: guest vm1 over DiskGroup -> Volume -> Mount, on a NIC.
let pmPmConfig = """
    cluster c ( )
    system hosta ( )
    system hostb ( )
    group vmgrp (
        SystemList = { hosta = 0, hostb = 1 }
        AutoStartList = { hosta }
    )
        Application app (
            StartProgram = "/usr/bin/virsh start vm1"
            StopProgram = "/usr/bin/virsh shutdown vm1"
            PidFiles = { "/var/run/libvirt/qemu/vm1.pid" }
        )
        NIC nic ( Device = eth0 )
        DiskGroup dg ( DiskGroup = d )
        Volume vol ( DiskGroup = d  Volume = v )
        Mount mnt ( MountPoint = "/vmstore" )
        mnt requires vol
        vol requires dg
        app requires mnt
        app requires nic
    """

func makeSimulator(_ text: String = pmPmConfig, settings: SimulatorSettings = SimulatorSettings()) async throws -> Simulator {
    let config = try ConfigLoader.parse(text: text)
    return try await Simulator(config: config, settings: settings, workDirectory: FileManager.default.temporaryDirectory)
}

extension Simulator {
    /// Runs until `predicate` holds on the cluster state, or `limit` passes.
    /// Returns the virtual time it first held.
    func runUntil(_ limit: Duration, _ predicate: (ClusterState) -> Bool) async -> Duration? {
        if predicate(await state()) { return now }
        while await step(until: limit) {
            if predicate(await state()) { return now }
        }
        return nil
    }

    func guestRunning(_ guest: String, on system: String) async throws -> Bool {
        try await connection(of: system)!.lookupDomain(name: guest).isRunning()
    }
}
