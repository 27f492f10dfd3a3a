import Libvirt

/// Puts back the NICs a fault set down, or the disk it detached, against
/// the domain's live XML. A domain restarted since (fenced, or moved by the
/// cluster) has new tap names and its configured devices: a NIC already up
/// or a disk already there is left as it is, and a NIC by another MAC is
/// never touched.
enum DeviceRestore {
    /// What was done, one phrase per device.
    static func restore(_ saved: [String], disks: Bool, on domain: Domain) async throws -> [String] {
        let live = try await domain.xmlDescription()
        var done: [String] = []
        for xml in saved {
            if disks {
                let target = DeviceXML.values(in: xml, element: "target", attribute: "dev").first ?? "?"
                if DeviceXML.disk(target, in: live) != nil {
                    done.append("\(target) already attached")
                } else {
                    try await domain.attachDevice(xml: xml)
                    done.append("\(target) attached again")
                }
            } else {
                guard let mac = DeviceXML.interfaces(in: xml).first?.mac,
                      let current = DeviceXML.interfaces(in: live).first(where: { $0.mac == mac }) else { continue }
                if DeviceXML.values(in: current.xml, element: "link", attribute: "state").contains("down") {
                    try await domain.updateDevice(xml: DeviceXML.interface(current.xml, linkUp: true))
                    done.append("\(mac) link up")
                } else {
                    done.append("\(mac) already up (restarted since)")
                }
            }
        }
        return done
    }
}
