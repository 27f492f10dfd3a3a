/// A small XML reader of our own for crm_mon and CIB documents: elements
/// and their attributes in document order, nothing kept but what the caller
/// keeps. Not FoundationXML: on Linux its XMLDocument kept about 60 KB of
/// every document, its XMLParser crashed on `<?x?>` (a NULL dereference)
/// and on a NUL byte, and kept a few hundred bytes of every document it
/// failed on (ci/fuzz: 640 MB after 300,000 inputs).
///
/// It reads well-formed XML 1.0 without a DOCTYPE: the XML declaration,
/// processing instructions, comments and CDATA are passed over; attribute
/// values have their entities decoded and their tabs and newlines made
/// spaces, as a conforming parser does. Anything else is not well-formed.
enum XMLScanner {
    /// The first `element`'s `name` attribute; nil when there is none or
    /// the text is not well-formed.
    static func attribute(_ name: String, of element: String, in text: String) -> String? {
        var found: String?
        let wellFormed = scan(text, start: { tag, attributes in
            if found == nil, tag == element { found = attributes[name] }
        }, end: { _ in })
        return wellFormed ? found : nil
    }

    /// Calls `start` and `end` for each element in order; false (after
    /// whatever calls came first) when the text is not well-formed.
    static func scan(_ text: String, start: (String, [String: String]) -> Void, end: (String) -> Void) -> Bool {
        guard !text.utf8.contains(0) else { return false }
        var scanner = Bytes(Array(text.utf8))
        return scanner.document(start: start, end: end)
    }

    private struct Bytes {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        private var atEnd: Bool { index >= bytes.count }
        private func starts(with literal: String) -> Bool {
            let pattern = Array(literal.utf8)
            guard index + pattern.count <= bytes.count else { return false }
            return bytes[index..<(index + pattern.count)].elementsEqual(pattern)
        }
        /// Moves past the next `literal`; false when there is none.
        private mutating func skip(past literal: String) -> Bool {
            let pattern = Array(literal.utf8)
            while index + pattern.count <= bytes.count {
                if bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                    index += pattern.count
                    return true
                }
                index += 1
            }
            return false
        }
        private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        private mutating func skipSpace() { while !atEnd, Self.isSpace(bytes[index]) { index += 1 } }
        private static func isNameByte(_ byte: UInt8) -> Bool {
            !(isSpace(byte) || [UInt8(ascii: "/"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "<"), UInt8(ascii: "\""),
                                 UInt8(ascii: "'"), UInt8(ascii: "&"), UInt8(ascii: "!"), UInt8(ascii: "?"), 0].contains(byte))
        }
        private mutating func name() -> String? {
            let from = index
            while !atEnd, Self.isNameByte(bytes[index]) { index += 1 }
            guard index > from else { return nil }
            let first = bytes[from]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: ".") { return nil }
            return String(decoding: bytes[from..<index], as: UTF8.self)
        }

        mutating func document(start: (String, [String: String]) -> Void, end: (String) -> Void) -> Bool {
            var open: [String] = []
            var sawRoot = false
            while !atEnd {
                let textStart = index
                while !atEnd, bytes[index] != UInt8(ascii: "<") { index += 1 }
                // Outside the root only white space; inside, entities must be known.
                if open.isEmpty, !bytes[textStart..<index].allSatisfy(Self.isSpace) { return false }
                if !open.isEmpty, Self.decoded(bytes[textStart..<index]) == nil { return false }
                guard !atEnd else { break }
                if starts(with: "<?") {
                    guard skip(past: "?>") else { return false }
                } else if starts(with: "<!--") {
                    guard skip(past: "-->") else { return false }
                } else if starts(with: "<![CDATA[") {
                    guard !open.isEmpty, skip(past: "]]>") else { return false }
                } else if starts(with: "<!") {
                    return false  // a DOCTYPE: entities to expand, which no crm_mon or cibadmin prints
                } else if starts(with: "</") {
                    index += 2
                    guard let closing = name(), closing == open.last else { return false }
                    skipSpace()
                    guard !atEnd, bytes[index] == UInt8(ascii: ">") else { return false }
                    index += 1
                    open.removeLast()
                    end(closing)
                } else {
                    index += 1
                    guard !(sawRoot && open.isEmpty), let element = name(), let (attributes, empty) = attributes() else { return false }
                    sawRoot = true
                    start(element, attributes)
                    if empty { end(element) } else { open.append(element) }
                }
            }
            return sawRoot && open.isEmpty
        }

        /// The attributes of a start tag, up to and past its `>` or `/>`.
        private mutating func attributes() -> ([String: String], empty: Bool)? {
            var attributes: [String: String] = [:]
            while true {
                let spaced = !atEnd && Self.isSpace(bytes[index])
                skipSpace()
                guard !atEnd else { return nil }
                if bytes[index] == UInt8(ascii: ">") {
                    index += 1
                    return (attributes, false)
                }
                if starts(with: "/>") {
                    index += 2
                    return (attributes, true)
                }
                guard spaced, let key = name() else { return nil }
                skipSpace()
                guard !atEnd, bytes[index] == UInt8(ascii: "=") else { return nil }
                index += 1
                skipSpace()
                guard !atEnd, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else { return nil }
                let quote = bytes[index]
                index += 1
                let from = index
                while !atEnd, bytes[index] != quote {
                    if bytes[index] == UInt8(ascii: "<") { return nil }
                    index += 1
                }
                guard !atEnd, attributes[key] == nil, let value = Self.decoded(bytes[from..<index], attribute: true) else { return nil }
                index += 1
                attributes[key] = value
            }
        }

        /// Entities decoded; nil for an unknown or broken one.
        static func decoded(_ raw: ArraySlice<UInt8>, attribute: Bool = false) -> String? {
            guard raw.contains(where: { $0 == UInt8(ascii: "&") || (attribute && isSpace($0) && $0 != 0x20) }) else {
                return String(decoding: raw, as: UTF8.self)
            }
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var position = raw.startIndex
            while position < raw.endIndex {
                let byte = raw[position]
                if byte != UInt8(ascii: "&") {
                    out.append(attribute && isSpace(byte) ? 0x20 : byte)
                    position += 1
                    continue
                }
                guard let semicolon = raw[position...].firstIndex(of: UInt8(ascii: ";")) else { return nil }
                let entity = String(decoding: raw[(position + 1)..<semicolon], as: UTF8.self)
                switch entity {
                case "lt": out.append(UInt8(ascii: "<"))
                case "gt": out.append(UInt8(ascii: ">"))
                case "amp": out.append(UInt8(ascii: "&"))
                case "quot": out.append(UInt8(ascii: "\""))
                case "apos": out.append(UInt8(ascii: "'"))
                default:
                    guard entity.hasPrefix("#") else { return nil }
                    let digits = entity.dropFirst()
                    let code = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                    guard let code, code != 0, let scalar = Unicode.Scalar(code) else { return nil }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                }
                position = semicolon + 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
