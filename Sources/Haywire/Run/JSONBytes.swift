import Foundation

/// Compact JSON written straight into one malloc'd buffer and handed over
/// as Data without a copy: a 5,120-scenario record is 175 MB of it.
struct JSONBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Whether the next member of the open object or array needs no comma.
    private var first = true

    init(capacity: Int = 4096) {
        self.capacity = max(64, capacity)
        guard let memory = malloc(self.capacity) else { fatalError("out of memory for \(self.capacity) bytes of JSON") }
        base = memory.assumingMemoryBound(to: UInt8.self)
    }

    deinit { free(base) }

    /// The bytes written, owned by the Data from now on.
    consuming func data() -> Data {
        let data = Data(bytesNoCopy: base, count: count, deallocator: .free)
        discard self
        return data
    }

    mutating func raw(_ byte: UInt8) { put(byte) }

    mutating func object(_ body: (inout JSONBytes) -> Void) {
        separate()
        put(UInt8(ascii: "{"))
        first = true
        body(&self)
        put(UInt8(ascii: "}"))
        first = false
    }

    mutating func array<C: Collection>(_ items: C, _ body: (inout JSONBytes, C.Element) -> Void) {
        separate()
        put(UInt8(ascii: "["))
        first = true
        for item in items { body(&self, item) }
        put(UInt8(ascii: "]"))
        first = false
    }

    /// A key; its value follows without a comma.
    mutating func key(_ name: StaticString) {
        separate()
        put(UInt8(ascii: "\""))
        put(name)
        put(UInt8(ascii: "\""), UInt8(ascii: ":"))
        first = true
    }

    mutating func string(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { utf8 in
            put(UInt8(ascii: "\""))
            // Most text needs no escape: copy it whole.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                put(utf8)
            } else {
                for byte in utf8 { escaped(byte) }
            }
            put(UInt8(ascii: "\""))
        }
        first = false
    }

    private mutating func escaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): put(UInt8(ascii: "\\"), UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): put(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
        case 0x0A: put(UInt8(ascii: "\\"), UInt8(ascii: "n"))
        case 0x0D: put(UInt8(ascii: "\\"), UInt8(ascii: "r"))
        case 0x09: put(UInt8(ascii: "\\"), UInt8(ascii: "t"))
        case 0x08: put(UInt8(ascii: "\\"), UInt8(ascii: "b"))
        case 0x0C: put(UInt8(ascii: "\\"), UInt8(ascii: "f"))
        case ..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            put(UInt8(ascii: "\\"), UInt8(ascii: "u"))
            put(UInt8(ascii: "0"), UInt8(ascii: "0"))
            put(hex[Int(byte >> 4)], hex[Int(byte & 0xF)])
        default: put(byte)
        }
    }

    /// As JSONEncoder writes a Double: the shortest text that reads back
    /// as it, an integral value without ".0".
    mutating func number(_ value: Double) {
        separate()
        first = false
        if value == value.rounded(), abs(value) < 1e15, !(value == 0 && value.sign == .minus) {
            return integer(Int64(value))
        }
        // Milliseconds, the usual timeline stamp: whole and fraction digits.
        let thousandths = (value * 1000).rounded()
        if abs(value) < 1e9, thousandths / 1000 == value {
            let magnitude = Int64(abs(thousandths))
            if value < 0 { put(UInt8(ascii: "-")) }
            integer(magnitude / 1000)
            var fraction = magnitude % 1000, digits = 3
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            put(UInt8(ascii: "."))
            var divisor: Int64 = digits == 3 ? 100 : digits == 2 ? 10 : 1
            while divisor > 0 {
                put(UInt8(ascii: "0") + UInt8(fraction / divisor % 10))
                divisor /= 10
            }
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        text.withUTF8 { put($0) }
    }

    /// Digits without a String in between.
    private mutating func integer(_ value: Int64) {
        if value < 0 { put(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var scale: UInt64 = 1
        while magnitude / scale >= 10 { scale *= 10; digits += 1 }
        reserve(digits)
        while scale > 0 {
            base[count] = UInt8(ascii: "0") + UInt8(magnitude / scale)
            count += 1
            magnitude %= scale
            scale /= 10
        }
    }

    mutating func bool(_ value: Bool) {
        separate()
        put(value ? "true" : "false")
        first = false
    }

    private mutating func separate() {
        if !first { put(UInt8(ascii: ",")) }
    }

    private mutating func put(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    private mutating func put(_ a: UInt8, _ b: UInt8) {
        reserve(2)
        base[count] = a
        base[count + 1] = b
        count += 2
    }

    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let source = bytes.baseAddress { (base + count).update(from: source, count: bytes.count) }
        count += bytes.count
    }

    private mutating func put(_ text: StaticString) {
        put(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        capacity = max(count + extra, capacity * 2)
        guard let moved = realloc(base, capacity) else { fatalError("out of memory for \(capacity) bytes of JSON") }
        base = moved.assumingMemoryBound(to: UInt8.self)
    }
}
