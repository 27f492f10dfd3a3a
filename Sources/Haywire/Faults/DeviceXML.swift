/// Pieces of a domain's XML that device faults change: interfaces (by MAC)
/// and disks (by target device).
enum DeviceXML {
    /// Every `<interface>` element with its MAC address.
    static func interfaces(in xml: String) -> [(mac: String, xml: String)] {
        elements("interface", in: xml).compactMap { block in
            values(in: block, element: "mac", attribute: "address").first.map { ($0.lowercased(), block) }
        }
    }

    /// The interface with `<link state='up|down'/>`.
    static func interface(_ block: String, linkUp: Bool) -> String {
        var lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeAll { $0.trimmingCharacters(in: .whitespaces).hasPrefix("<link ") }
        var text = lines.joined(separator: "\n")
        if let end = text.range(of: "</interface>", options: .backwards) {
            text.insert(contentsOf: "  <link state='\(linkUp ? "up" : "down")'/>\n", at: end.lowerBound)
        }
        return text
    }

    /// The `<disk>` element whose target is `device` (e.g. vda).
    static func disk(_ device: String, in xml: String) -> String? {
        elements("disk", in: xml).first { values(in: $0, element: "target", attribute: "dev").contains(device) }
    }

    /// Whole `<name ...>...</name>` elements, in document order (no nesting of the same name).
    static func elements(_ name: String, in xml: String) -> [String] {
        var found: [String] = []
        var rest = Substring(xml)
        while let start = rest.range(of: "<\(name) "), let end = rest[start.lowerBound...].range(of: "</\(name)>") {
            found.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// Values of `attribute` on every `<element ...>` in `xml`.
    static func values(in xml: String, element: String, attribute: String) -> [String] {
        var found: [String] = []
        var rest = Substring(xml)
        while let start = rest.range(of: "<\(element) ") {
            let tag = rest[start.upperBound...].prefix { $0 != ">" }
            for quote in ["'", "\""] {
                if let range = tag.range(of: "\(attribute)=\(quote)") {
                    found.append(String(tag[range.upperBound...].prefix { String($0) != quote }))
                }
            }
            rest = rest[start.upperBound...]
        }
        return found
    }
}
