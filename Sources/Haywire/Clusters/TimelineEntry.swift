/// One line of a scenario's story, stamped with the backend's clock.
public struct TimelineEntry: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case fault, heal, state, cluster, verdict, note
        /// A line of the cluster's own logs (real labs), at its own stamp.
        case log
    }

    public let time: Duration
    public let kind: Kind
    public let text: String
    /// For a state change: what changed (a group on a system, or a system
    /// when `group` is nil) and its new state, as the cluster words it.
    public var group: String? = nil
    public var system: String? = nil
    public var state: String? = nil

    public init(time: Duration, kind: Kind, text: String) {
        self.time = time
        self.kind = kind
        self.text = text
    }

    /// `[   73.000s] state   vmgrp on hosta: ONLINE -> OFFLINE`
    public var line: String { Self.line(millis: milliseconds(time), kind: kind.rawValue, text: text) }

    /// A line from its parts, in one allocation: reports make millions.
    static func line(millis: Int64, kind: String, text: String) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: secondsTextCapacity) { stamp in
            let stampCount = writeSeconds(millis: millis, into: stamp)
            var kind = kind, text = text
            return kind.withUTF8 { kind in
                text.withUTF8 { text in
                    let stampWidth = max(10, stampCount), kindWidth = max(8, kind.count)
                    let total = 1 + stampWidth + 3 + kindWidth + text.count
                    return String(unsafeUninitializedCapacity: total) { out in
                        var at = 0
                        func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                            for byte in bytes { out[at] = byte; at += 1 }
                        }
                        func pad(to end: Int) {
                            while at < end { out[at] = UInt8(ascii: " "); at += 1 }
                        }
                        out[0] = UInt8(ascii: "[")
                        at = 1
                        pad(to: 1 + stampWidth - stampCount)
                        put(UnsafeBufferPointer(rebasing: stamp[..<stampCount]))
                        out[at] = UInt8(ascii: "s"); out[at + 1] = UInt8(ascii: "]"); out[at + 2] = UInt8(ascii: " ")
                        at += 3
                        put(kind)
                        pad(to: 1 + stampWidth + 3 + kindWidth)
                        if let source = text.baseAddress, text.count > 0 {
                            (out.baseAddress! + at).update(from: source, count: text.count)
                        }
                        return total
                    }
                }
            }
        }
    }
}
