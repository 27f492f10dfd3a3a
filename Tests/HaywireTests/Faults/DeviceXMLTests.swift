import Testing
@testable import Haywire

@Suite struct DeviceXMLTests {
    private let domain = """
        <domain type='qemu'>
          <devices>
            <disk type='file' device='disk'>
              <source file='/run/vmstore/vm1.img'/>
              <target dev='vda' bus='virtio'/>
            </disk>
            <interface type='bridge'>
              <mac address='52:54:00:77:00:01'/>
              <source bridge='br0'/>
              <link state='up'/>
            </interface>
            <interface type='bridge'>
              <mac address='52:54:00:77:00:02'/>
              <source bridge='br1'/>
            </interface>
          </devices>
        </domain>
        """

    @Test func findsInterfacesByMAC() {
        let nics = DeviceXML.interfaces(in: domain)
        #expect(nics.map(\.mac) == ["52:54:00:77:00:01", "52:54:00:77:00:02"])
        #expect(nics[1].xml.hasPrefix("<interface type='bridge'>"))
        #expect(nics[1].xml.hasSuffix("</interface>"))
    }

    @Test func setsTheLinkStateOnce() {
        let nic = DeviceXML.interfaces(in: domain)[0].xml
        let down = DeviceXML.interface(nic, linkUp: false)
        #expect(down.contains("<link state='down'/>"))
        #expect(!down.contains("<link state='up'/>"))
        #expect(DeviceXML.interface(down, linkUp: true).components(separatedBy: "<link ").count == 2)
    }

    @Test func findsADiskByItsTarget() {
        #expect(DeviceXML.disk("vda", in: domain)?.contains("/run/vmstore/vm1.img") == true)
        #expect(DeviceXML.disk("vdb", in: domain) == nil)
    }
}
