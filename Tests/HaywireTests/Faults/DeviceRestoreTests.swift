import Foundation
import Libvirt
import Testing
@testable import Haywire

/// A heal after the domain restarted: its NIC came back up on a new tap and
/// its disk with its configuration. Nothing is updated (an update naming
/// the old tap is refused: "cannot modify network device tap name").
@Suite struct DeviceRestoreTests {
    @Test func aRestartedDomainKeepsItsDevicesAsTheyCameBack() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let node = dir.appendingPathComponent("node.xml").path
        try """
            <node><domain type='test'><name>nh</name><memory>65536</memory><os><type>hvm</type></os>
              <devices>
                <disk type='file' device='disk'><source file='/tmp/x.img'/><target dev='vdb' bus='virtio'/></disk>
                <interface type='bridge'><mac address='52:54:00:78:00:02'/><source bridge='br0'/></interface>
              </devices>
            </domain></node>
            """.write(toFile: node, atomically: true, encoding: .utf8)
        let domain = try await Connection.open("test://\(node)").lookupDomain(name: "nh")
        // As saved at fault time, on the tap the domain had before its restart.
        let nic = """
            <interface type='bridge'>
              <mac address='52:54:00:78:00:02'/>
              <target dev='vnet2'/>
            </interface>
            """
        let gone = nic.replacingOccurrences(of: "52:54:00:78:00:02", with: "52:54:00:78:00:09")
        #expect(try await DeviceRestore.restore([nic, gone], disks: false, on: domain) == ["52:54:00:78:00:02 already up (restarted since)"])
        let disk = "<disk type='file' device='disk'><source file='/tmp/x.img'/><target dev='vdb' bus='virtio'/></disk>"
        #expect(try await DeviceRestore.restore([disk], disks: true, on: domain) == ["vdb already attached"])
    }
}
