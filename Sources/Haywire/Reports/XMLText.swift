/// Text made safe for XML 1.0: markup characters escaped, and characters
/// that XML 1.0 forbids (most control characters, lone surrogates, U+FFFE/F)
/// dropped, so every consumer can parse the report.
enum XMLText {
    static func escape(_ text: String) -> String { escape(text, attribute: false) }

    /// For attribute values: also keeps line breaks and tabs as references.
    static func attribute(_ text: String) -> String { escape(text, attribute: true) }

    private static func escape(_ text: String, attribute: Bool) -> String {
        let special = attribute ? attributeSpecial : textSpecial
        var text = text
        let escaped = text.withUTF8 { bytes -> String? in
            guard var index = bytes.firstIndex(where: { isSpecial($0, special) }) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 64)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<index]))
            while index < bytes.count {
                // The plain run up to the next special byte, whole.
                var end = index
                while end < bytes.count, !isSpecial(bytes[end], special) { end += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                guard end < bytes.count else { break }
                let byte = bytes[end]
                index = end + 1
                switch byte {
                case UInt8(ascii: "&"): out += Entity.amp
                case UInt8(ascii: "<"): out += Entity.lt
                case UInt8(ascii: ">"): out += Entity.gt
                case UInt8(ascii: "\""): out += Entity.quot
                case UInt8(ascii: "'"): out += Entity.apos
                case 0x0A: out += Entity.newline
                case 0x0D: out += Entity.carriageReturn
                case 0x09: out += Entity.tab
                case 0xEF where index + 1 < bytes.count && bytes[index] == 0xBF && bytes[index + 1] >= 0xBE:
                    index += 2  // U+FFFE or U+FFFF, not allowed in XML 1.0
                case 0xEF: out.append(byte)
                default: break  // a control character, not allowed either
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return escaped ?? text
    }

    /// Bytes below 64 that need a look, as bits: markup and control
    /// characters; tab and line breaks only in attributes.
    private static let textSpecial: UInt64 = {
        var bits: UInt64 = 0xFFFF_FFFF & ~(1 << 0x09 | 1 << 0x0A | 1 << 0x0D)
        for byte in "&<>\"'".utf8 { bits |= 1 << UInt64(byte) }
        return bits
    }()
    private static let attributeSpecial: UInt64 = textSpecial | 1 << 0x09 | 1 << 0x0A | 1 << 0x0D

    /// Markup, a control character, or the UTF-8 lead byte 0xEF (which
    /// U+FFFE and U+FFFF start with).
    @inline(__always)
    private static func isSpecial(_ byte: UInt8, _ special: UInt64) -> Bool {
        byte < 64 ? special & (1 << UInt64(byte)) != 0 : byte == 0xEF
    }

    private enum Entity {
        static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
        static let quot = Array("&quot;".utf8), apos = Array("&apos;".utf8)
        static let newline = Array("&#10;".utf8), carriageReturn = Array("&#13;".utf8), tab = Array("&#9;".utf8)
    }
}
