import Foundation

/// A scenario record as compact JSON with sorted keys, byte for byte what
/// JSONEncoder writes with `.sortedKeys` and `.withoutEscapingSlashes`, at
/// a fraction of its cost: a 10,000-scenario run record is mostly these.
enum ScenarioJSON {
    /// The scenarios as members of an array already open, comma-separated,
    /// with a comma first when `continuing` one written before.
    static func members(_ scenarios: ArraySlice<RunRecord.ScenarioRecord>, continuing: Bool) -> Data {
        var out = JSONBytes(capacity: scenarios.count * 4096)
        if continuing, !scenarios.isEmpty { out.raw(UInt8(ascii: ",")) }
        for scenario in scenarios { write(scenario, &out) }
        return out.data()
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
