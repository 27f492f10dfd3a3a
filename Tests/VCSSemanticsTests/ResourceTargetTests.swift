import Testing
import VCSConfig
import VCSSemantics

@Suite struct ResourceTargetTests {
    @Test func readsGuestsFromVirshCommandsAndPidFiles() {
        #expect(ResourceTarget.guest(in: "/usr/bin/virsh start vm1", verb: "start") == "vm1")
        #expect(ResourceTarget.guest(in: "virsh -c qemu:///system start g2", verb: "start") == "g2")
        #expect(ResourceTarget.guest(in: "/opt/app/start.sh vm1", verb: "start") == nil)
        #expect(ResourceTarget.guest(in: "/usr/bin/virsh start", verb: "start") == nil)
        #expect(ResourceTarget.guestOfPidFile("/var/run/libvirt/qemu/vm1.pid") == "vm1")
        #expect(ResourceTarget.guestOfPidFile("/run/libvirt/qemu/web-7.pid") == "web-7")
        #expect(ResourceTarget.guestOfPidFile("/var/run/app.pid") == nil)
    }

    @Test func eachProcessResourceOwnsItsInstance() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system s1 ( )
            group g1 ( SystemList = { s1 = 0 } )
                Process p1 ( PathName = "/usr/bin/svc1 -d" )
                Application a1 ( MonitorProcesses = { "/opt/bin/web", worker } )
            group g2 ( SystemList = { s1 = 0 } )
                Process p2 ( PathName = "/usr/bin/svc1" )
            """)
        let p1 = ResourceTarget.of(config.group(named: "g1")!.resource(named: "p1")!, on: "s1")
        let p2 = ResourceTarget.of(config.group(named: "g2")!.resource(named: "p2")!, on: "s1")
        #expect(p1 == .processes(["svc1"], owner: "p1"))
        #expect(p2 == .processes(["svc1"], owner: "p2"))
        #expect(p1 != p2)
        let a1 = ResourceTarget.of(config.group(named: "g1")!.resource(named: "a1")!, on: "s1")
        #expect(a1.processNames == ["web", "worker"])
    }

    @Test func persistenceFollowsOperations() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system s1 ( )
            group g ( SystemList = { s1 = 0 } )
                NIC nic ( Device = eth0 )
                Proxy px ( TargetResName = nic )
                Phantom ph ( )
                Mount m ( MountPoint = "/m" )
            group nics ( SystemList = { s1 = 0 } )
                NIC n2 ( Device = eth1 )
            """)
        let g = config.group(named: "g")!
        #expect(g.resources.filter(config.isPersistent).map(\.name) == ["nic", "px"])
        #expect(config.canComeOnline(g))
        #expect(!config.canComeOnline(config.group(named: "nics")!))
    }
}
