/// A scenario record as compact JSON with sorted keys, byte for byte what
/// JSONEncoder writes with `.sortedKeys` and `.withoutEscapingSlashes`, at
/// a fraction of its cost: a 10,000-scenario run record is mostly these.
enum ScenarioJSON {
    /// The scenarios as members of an array already open, comma-separated,
    /// with a comma first when `continuing` one written before.
    static func members(_ scenarios: ArraySlice<RunRecord.ScenarioRecord>, continuing: Bool) -> [UInt8] {
        var out = JSONBytes()
        out.reserve(scenarios.count * 4096)
        if continuing, !scenarios.isEmpty { out.raw(UInt8(ascii: ",")) }
        for scenario in scenarios { write(scenario, &out) }
        return out.bytes
    }

    private static func write(_ s: RunRecord.ScenarioRecord, _ out: inout JSONBytes) {
        out.object { out in
            out.key("duration"); out.number(s.duration)
            out.key("expectations"); out.array(s.expectations[...]) { out, e in write(e, &out) }
            out.key("fault"); out.string(s.fault)
            out.key("faultSpans")
            out.array(s.faultSpans[...]) { out, span in
                out.object { out in
                    out.key("fault"); out.string(span.fault)
                    out.key("from"); out.number(span.from)
                    if let fault = span.resolved { out.key("resolved"); write(fault, &out) }
                    if let to = span.to { out.key("to"); out.number(to) }
                }
            }
            out.key("healErrors"); out.array(s.healErrors[...]) { out, text in out.string(text) }
            out.key("message"); out.string(s.message)
            out.key("name"); out.string(s.name)
            if let recovery = s.recovery { out.key("recovery"); out.number(recovery) }
            out.key("resolution"); out.number(s.resolution)
            out.key("timeline")
            out.array(s.timeline[...]) { out, event in
                out.object { out in
                    if let group = event.group { out.key("group"); out.string(group) }
                    out.key("kind"); out.string(event.kind)
                    if let state = event.state { out.key("state"); out.string(state) }
                    if let system = event.system { out.key("system"); out.string(system) }
                    out.key("t"); out.number(event.t)
                    out.key("text"); out.string(event.text)
                }
            }
            out.key("verdict"); out.string(s.verdict)
        }
    }

    /// A fault as `Fault.encode` writes it: kind and flat targets, keys sorted.
    private static func write(_ fault: Fault, _ out: inout JSONBytes) {
        let t = fault.targets
        out.object { out in
            if let device = t.device { out.key("device"); out.string(device) }
            if let guest = t.guest { out.key("guest"); out.string(guest) }
            if let host = t.host { out.key("host"); out.string(host) }
            out.key("kind"); out.string(fault.kind.rawValue)
            out.key("links"); out.array(t.links[...]) { out, link in out.string(link) }
            if let mount = t.mount { out.key("mount"); out.string(mount) }
            if let process = t.process { out.key("process"); out.string(process) }
            if !t.sides.isEmpty {
                out.key("sides")
                out.array(t.sides[...]) { out, side in out.array(side[...]) { out, name in out.string(name) } }
            }
        }
    }

    private static func write(_ e: RunRecord.ExpectationRecord, _ out: inout JSONBytes) {
        out.object { out in
            out.key("deadline"); out.number(e.deadline)
            out.key("decided"); out.bool(e.decided)
            out.key("expectation"); out.string(e.expectation)
            if let group = e.group { out.key("group"); out.string(group) }
            if let leftAt = e.leftAt { out.key("leftAt"); out.number(leftAt) }
            out.key("message"); out.string(e.message)
            out.key("passed"); out.bool(e.passed)
            if let recovery = e.recovery { out.key("recovery"); out.number(recovery) }
            if let satisfiedAt = e.satisfiedAt { out.key("satisfiedAt"); out.number(satisfiedAt) }
            if let system = e.system { out.key("system"); out.string(system) }
            out.key("windowed"); out.bool(e.windowed)
            out.key("within"); out.number(e.within)
        }
    }
}

/// Compact JSON written straight into bytes.
struct JSONBytes {
    private(set) var bytes: [UInt8] = []
    /// Whether the next member of the open object or array needs a comma.
    private var first = true

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }

    mutating func raw(_ byte: UInt8) { bytes.append(byte) }

    mutating func object(_ body: (inout JSONBytes) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        first = true
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    mutating func array<C: Collection>(_ items: C, _ body: (inout JSONBytes, C.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        first = true
        for item in items { body(&self, item) }
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// A key; its value follows without a comma.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        first = true
    }

    mutating func string(_ text: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape: copy it whole.
        var plain = text
        let copied = plain.withUTF8 { utf8 -> Bool in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied {
            bytes.append(UInt8(ascii: "\""))
            first = false
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        first = false
    }

    /// As JSONEncoder writes a Double: an integral value without ".0".
    mutating func number(_ value: Double) {
        separate()
        if value == value.rounded(), abs(value) < 1e15, !(value == 0 && value.sign == .minus) {
            integer(Int(value))
            first = false
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
        first = false
    }

    /// Digits without a String in between.
    private mutating func integer(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[15 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(16 - count)...])
        }
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        first = false
    }

    private mutating func separate() {
        if !first { bytes.append(UInt8(ascii: ",")) }
    }
}
