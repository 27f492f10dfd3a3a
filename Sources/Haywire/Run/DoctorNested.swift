import Foundation
import Libvirt

/// The doctor's checks of a nested host: its outer hypervisor answers, the
/// domain the suite names exists there and runs, and it is this host: the
/// SMBIOS UUID the host reports is that domain's UUID (qemu hands the
/// domain's UUID to the guest's firmware).
extension Doctor {
    func nestedHostChecks(_ host: LabSpec.Host) async -> [DoctorCheck] {
        guard let outer = host.outer else { return [] }
        let where_ = "\(outer.domain) on \(outer.libvirt)"
        let domain: Domain
        do {
            let connection = try await Connection.open(outer.libvirt, callTimeout: suite.lab.libvirtTimeout)
            domain = try await connection.lookupDomain(name: outer.domain)
        } catch {
            return [fail("nested host \(host.name): cannot find its outer domain \(where_): \(error)",
                         fix: "start the outer libvirtd and check outer: { libvirt, domain } of \(host.name) in the suite")]
        }
        var checks = [pass("nested host \(host.name): its outer domain \(where_) exists")]
        guard (try? await domain.isRunning()) == true else {
            checks.append(fail("nested host \(host.name): its outer domain \(where_) is not running",
                               fix: "start \(outer.domain) on the outer hypervisor (virsh start)"))
            return checks
        }
        checks.append(pass("nested host \(host.name): \(outer.domain) runs"))
        guard let xml = try? await domain.xmlDescription(), let uuid = Self.text(in: xml, element: "uuid")?.lowercased() else {
            checks.append(fail("nested host \(host.name): cannot read \(where_)'s UUID", fix: "check the outer libvirtd"))
            return checks
        }
        guard let shell = host.shell,
              let result = try? await shell.run(["/bin/cat", "/sys/class/dmi/id/product_uuid"]), result.succeeded else {
            checks.append(fail("nested host \(host.name): cannot read its SMBIOS UUID through its shell",
                               fix: "check \(host.name)'s shell in the suite"))
            return checks
        }
        let reported = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard reported == uuid else {
            checks.append(fail("nested host \(host.name) reports UUID \(reported), but \(where_) has \(uuid): the suite names another domain",
                               fix: "set outer.domain of \(host.name) to the domain that runs it"))
            return checks
        }
        checks.append(pass("nested host \(host.name) is \(where_) (UUID \(uuid))"))
        return checks
    }
}
