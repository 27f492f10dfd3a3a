import Libvirt

/// A nested host's devices as its outer hypervisor has them: its uplink
/// set down (`<link state='down'/>` on its NIC) and its disk detached, both
/// through the outer libvirtd, as a broken cable or a pulled LUN would be.
extension LabInjector {
    private func outerKey(_ host: String) -> String { "outer:\(host)" }

    func outerLinksDown(_ host: String, macs: [String]) async throws -> String {
        let domain = try await outers.domain(of: host)
        let nics = DeviceXML.interfaces(in: try await domain.xmlDescription()).filter { macs.isEmpty || macs.contains($0.mac) }
        guard !nics.isEmpty else { throw HarnessError("nested host \(host) has no NIC \(macs.joined(separator: ",")) on its outer hypervisor") }
        for nic in nics {
            try await domain.updateDevice(xml: DeviceXML.interface(nic.xml, linkUp: false))
            devices[outerKey(host), default: []].append(nic.xml)
        }
        return "link down on nested host \(host)'s NIC \(nics.map(\.mac).joined(separator: ",")) through its outer hypervisor"
    }

    func outerDiskDetach(_ host: String, disk device: String) async throws -> String {
        let domain = try await outers.domain(of: host)
        guard let disk = DeviceXML.disk(device, in: try await domain.xmlDescription()) else {
            throw HarnessError("nested host \(host) has no disk \(device) on its outer hypervisor")
        }
        try await domain.detachDevice(xml: disk)
        devices[outerKey(host)] = [disk]
        return "detached \(device) from nested host \(host) through its outer hypervisor"
    }

    /// Puts back what an outer fault took; a host powered off meanwhile
    /// gets its devices back with its next start.
    func restoreOuterDevices(_ fault: Fault) async throws -> String {
        guard let host = fault.host else { throw fault.mismatch("nested host") }
        guard let saved = devices[outerKey(host)] else { return "nothing to restore on nested host \(host)" }
        let domain = try await outers.domain(of: host)
        guard try await domain.isRunning() else {
            devices[outerKey(host)] = nil
            return "nested host \(host) no longer runs: its devices come back with it"
        }
        let done = try await DeviceRestore.restore(saved, disks: fault.kind == .detachDisk, on: domain)
        devices[outerKey(host)] = nil
        return "nested host \(host): \(done.joined(separator: ", "))"
    }

    /// The outer domain's live XML, as for a guest's devices.
    func verifyOuterDevices(_ fault: Fault) async throws -> String? {
        switch fault {
        case .outerLinksDown(let host, let macs):
            return try await deviceEvidence(.linksDown(macs), on: try await outers.domain(of: host), of: "nested host \(host)",
                                            at: "on its outer hypervisor")
        case .outerDiskDetach(let host, let disk):
            return try await deviceEvidence(.detached(disk), on: try await outers.domain(of: host), of: "nested host \(host)",
                                            at: "on its outer hypervisor")
        default:
            return nil
        }
    }
}
