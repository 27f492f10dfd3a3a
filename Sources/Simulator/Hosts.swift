import Foundation
import Libvirt

/// One system's in-memory hypervisor: a libvirt test-driver connection on a
/// node file written for it, holding the guests it may run.
struct SimulatedHost {
    let connection: Connection
    let nodeFile: URL

    /// Writes the node file and opens it. Guests are defined shut off, with
    /// the same name and UUID on every host (the seed's "dummy guest").
    static func open(system: String, guests: [String], in directory: URL) async throws -> SimulatedHost {
        let domains = guests.map { guest in
            """
              <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
                <name>\(guest)</name>
                <uuid>\(stableUUID(guest))</uuid>
                <memory unit='MiB'>128</memory>
                <os><type>hvm</type></os>
                <test:runstate>5</test:runstate>
              </domain>
            """
        }.joined(separator: "\n")
        let file = directory.appendingPathComponent("\(system).node.xml")
        try "<node>\n\(domains)\n</node>\n".write(to: file, atomically: true, encoding: .utf8)
        let connection = try await Connection.open("test://\(file.path)")
        return SimulatedHost(connection: connection, nodeFile: file)
    }

    /// A UUID derived from the name (FNV-1a), so that runs repeat exactly.
    static func stableUUID(_ name: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var digits = ""
        for round in 0..<2 {
            for byte in Array("\(round):\(name)".utf8) {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            digits += String(format: "%016llx", hash)
        }
        let d = Array(digits)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(d[$0]) }.joined(separator: "-")
    }
}
