/// Text made safe for XML 1.0: markup characters escaped, and characters
/// that XML 1.0 forbids (most control characters, lone surrogates, U+FFFE/F)
/// dropped, so every consumer can parse the report.
enum XMLText {
    static func escape(_ text: String) -> String { escape(text, attribute: false) }

    /// For attribute values: also keeps line breaks and tabs as references.
    static func attribute(_ text: String) -> String { escape(text, attribute: true) }

    private static func escape(_ text: String, attribute: Bool) -> String {
        if !needsEscaping(text, attribute: attribute) { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 64)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;".utf8
            case "<": out += "&lt;".utf8
            case ">": out += "&gt;".utf8
            case "\"": out += "&quot;".utf8
            case "'": out += "&apos;".utf8
            case "\n" where attribute: out += "&#10;".utf8
            case "\r" where attribute: out += "&#13;".utf8
            case "\t" where attribute: out += "&#9;".utf8
            default:
                guard isAllowed(scalar) else { continue }
                if scalar.isASCII { out.append(UInt8(scalar.value)) } else { UTF8.encode(scalar) { out.append($0) } }
            }
        }
        return String(decoding: out, as: UTF8.self)
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

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
