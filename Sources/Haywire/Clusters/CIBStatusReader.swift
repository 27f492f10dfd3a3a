import Foundation

/// The cluster's state from its live CIB (`cibadmin --query` on the node),
/// read by crm_mon here (`CIB_file`), as the scheduler oracle reads one.
/// For a cluster inside TCG guests: there crm_mon waited 6-7 s on
/// pacemakerd's status for minutes after the cluster formed (crmadmin -P
/// alike) while cibadmin took 1.5 s. The fencing history, which lives in
/// the fencer and not the CIB, is not read.
struct CIBStatusReader: StatusReader {
    /// Reads what crm_mon prints as the node would, and keeps its members.
    let pacemaker: PacemakerReader
    let timeout: Duration

    func read(on shell: any CommandRunner) async throws -> StatusRead {
        let query = try await shell.run(["/usr/sbin/cibadmin", "--query"], timeout: timeout)
        guard query.succeeded, query.stdout.contains("<cib") else {
            throw HarnessError("cibadmin exited \(query.status): \(query.stderr.prefix(200))")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-cib-\(UUID().uuidString).xml").path
        try query.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return pacemaker.statusRead(try await PacemakerScheduler.status(ofCIBFile: file, groups: pacemaker.groups))
    }
}
