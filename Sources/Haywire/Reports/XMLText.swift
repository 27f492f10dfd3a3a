/// Text made safe for XML 1.0: markup characters escaped, and characters
/// that XML 1.0 forbids (most control characters, lone surrogates, U+FFFE/F)
/// dropped, so every consumer can parse the report.
enum XMLText {
    static func escape(_ text: String) -> String { escape(text, attribute: false) }

    /// For attribute values: also keeps line breaks and tabs as references.
    static func attribute(_ text: String) -> String { escape(text, attribute: true) }

    private static func escape(_ text: String, attribute: Bool) -> String {
        if !needsEscaping(text, attribute: attribute) { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "&"): out += Entity.amp
            case UInt8(ascii: "<"): out += Entity.lt
            case UInt8(ascii: ">"): out += Entity.gt
            case UInt8(ascii: "\""): out += Entity.quot
            case UInt8(ascii: "'"): out += Entity.apos
            case 0x0A where attribute: out += Entity.newline
            case 0x0D where attribute: out += Entity.carriageReturn
            case 0x09 where attribute: out += Entity.tab
            case 0x09, 0x0A, 0x0D: out.append(byte)
            case ..<0x20: break  // not allowed in XML 1.0
            case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE:
                index += 2  // U+FFFE or U+FFFF, not allowed either
            default: out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private enum Entity {
        static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
        static let quot = Array("&quot;".utf8), apos = Array("&apos;".utf8)
        static let newline = Array("&#10;".utf8), carriageReturn = Array("&#13;".utf8), tab = Array("&#9;".utf8)
    }

    /// False for the usual text: no markup, no control characters and no
    /// UTF-8 lead byte 0xEF (which U+FFFE and U+FFFF would start with).
    private static func needsEscaping(_ text: String, attribute: Bool) -> Bool {
        text.utf8.contains { byte in
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0xEF: true
            case 0x9, 0xA, 0xD: attribute
            default: byte < 0x20
            }
        }
    }
}
