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
    public var line: String {
        let stamp = secondsText(time)
        let padded = String(repeating: " ", count: max(0, 10 - stamp.count)) + stamp
        let label = kind.rawValue + String(repeating: " ", count: max(0, 8 - kind.rawValue.count))
        return "[\(padded)s] \(label)\(text)"
    }
}
