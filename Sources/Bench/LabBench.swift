import Foundation
import Libvirt

/// The local lab of ci/lab/up, if it is up: its folder, and a throwaway
/// domain ("haywire-bench", vm1 without its disk and NIC) on lab1 for
/// measurements that destroy and kill, so the cluster's own guest is
/// never touched outside a suite.
struct Lab {
    let directory: String

    static func find() -> Lab? {
        let directory = ProcessInfo.processInfo.environment["HAYWIRE_LAB_DIR"] ?? "/var/tmp/haywire-lab"
        let lab = Lab(directory: directory)
        return FileManager.default.fileExists(atPath: lab.socket(1)) ? lab : nil
    }

    func socket(_ host: Int) -> String { "\(directory)/lab\(host)/run-libvirt/libvirt-sock" }
    func uri(_ host: Int) -> String { "qemu+unix:///system?socket=\(socket(host))" }
    func pacemakerLog(_ host: Int) -> String { "\(directory)/lab\(host)/var-log/pacemaker/pacemaker.log" }

    static let benchDomain = "haywire-bench"

    /// Defines and starts the bench domain on lab1.
    func startBenchDomain(_ connection: Connection) async throws -> Domain {
        if let old = try? await connection.lookupDomain(name: Self.benchDomain) {
            try? await old.destroy()
            try? await old.undefine()
        }
        let template = try String(contentsOfFile: "\(directory)/lab1/etc-libvirt/haywire/vm1.xml", encoding: .utf8)
        var xml = template.replacingOccurrences(of: "<name>vm1</name>", with: "<name>\(Self.benchDomain)</name>")
            .replacingOccurrences(of: "qemu/vm1.console", with: "qemu/\(Self.benchDomain).console")
        xml = xml.replacingOccurrences(of: "<uuid>[^<]*</uuid>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "<disk [\\s\\S]*?</disk>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "<interface [\\s\\S]*?</interface>", with: "", options: .regularExpression)
        let domain = try await connection.defineDomain(xml: xml)
        try await domain.start()
        return domain
    }

    func removeBenchDomain(_ domain: Domain) async {
        try? await domain.destroy()
        try? await domain.undefine()
    }

    /// The bench domain's qemu process, by its pid in this (the root) PID namespace.
    static func benchQemuPID() -> pid_t? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let arguments = String(decoding: data, as: UTF8.self).split(separator: "\0")
            if arguments.first?.hasSuffix("qemu-system-x86_64") == true, arguments.contains(where: { $0.hasPrefix("guest=\(benchDomain),") }) {
                return pid
            }
        }
        return nil
    }
}
