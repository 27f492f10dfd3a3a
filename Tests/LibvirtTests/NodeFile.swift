import Foundation

/// A test-driver node file with the given domains, in a fresh temp folder.
func writeNode(domains: [String]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("haywire-libvirt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let body = domains.map { name in
        """
          <domain type='test'>
            <name>\(name)</name>
            <memory>131072</memory>
            <os><type>hvm</type></os>
          </domain>
        """
    }.joined(separator: "\n")
    let file = folder.appendingPathComponent("node.xml")
    try "<node>\n\(body)\n</node>\n".write(to: file, atomically: true, encoding: .utf8)
    return file
}
