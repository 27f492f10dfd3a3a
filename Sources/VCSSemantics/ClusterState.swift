/// VCS's state words for a group on one system (`hagrp -state`), e.g.
/// `ONLINE`, `OFFLINE|FAULTED`, `ONLINE|PARTIAL`. Every probe, whatever the
/// cluster manager, reports in these words.
public struct GroupFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let online = GroupFlags(rawValue: 1 << 0)
    public static let offline = GroupFlags(rawValue: 1 << 1)
    public static let faulted = GroupFlags(rawValue: 1 << 2)
    public static let partial = GroupFlags(rawValue: 1 << 3)
    public static let starting = GroupFlags(rawValue: 1 << 4)
    public static let stopping = GroupFlags(rawValue: 1 << 5)
    /// A fault under ManageFaults NONE waits for an administrator.
    public static let adminWait = GroupFlags(rawValue: 1 << 6)
    /// Pacemaker: a promotable clone's instance here is Promoted (no VCS word).
    public static let promoted = GroupFlags(rawValue: 1 << 7)

    private static let names: [(GroupFlags, String)] = [
        (.online, "ONLINE"), (.offline, "OFFLINE"), (.partial, "PARTIAL"),
        (.faulted, "FAULTED"), (.adminWait, "ADMIN_WAIT"), (.starting, "STARTING"), (.stopping, "STOPPING"),
        (.promoted, "PROMOTED"),
    ]

    public var description: String { Self.descriptions[Int(rawValue)] }

    /// Every combination spelled once: timelines print flags millions of times.
    private static let descriptions: [String] = (0...Int(UInt8.max)).map { raw in
        let flags = GroupFlags(rawValue: UInt8(raw))
        let words = names.filter { flags.contains($0.0) }.map(\.1)
        return words.isEmpty ? "UNKNOWN" : words.joined(separator: "|")
    }

    /// Online or partly online: counts towards a concurrency violation.
    public var isActive: Bool { contains(.online) || contains(.partial) }
}

/// A system's state as the cluster reports it (`hasys -state`).
public enum SystemStatus: String, Hashable, Sendable {
    case running = "RUNNING"
    case faulted = "FAULTED"
    case exited = "EXITED"
    case leaving = "LEAVING"
    case unknown = "UNKNOWN"
}

/// One observation of the whole cluster.
public struct ClusterState: Equatable, Sendable {
    public var systems: [String: SystemStatus]
    /// group -> system -> flags
    public var groups: [String: [String: GroupFlags]]
    /// Groups the cluster manager does not manage now, each with why
    /// (Pacemaker's maintenance and unmanaged resources): a fault there tests nothing.
    public var unmanaged: [String: String] = [:]

    public init(systems: [String: SystemStatus] = [:], groups: [String: [String: GroupFlags]] = [:]) {
        self.systems = systems
        self.groups = groups
    }

    public func flags(of group: String, on system: String) -> GroupFlags {
        groups[group]?[system] ?? .offline
    }

    /// Systems where `group` is fully online, in name order.
    public func onlineSystems(of group: String) -> [String] {
        (groups[group] ?? [:]).filter { $0.value.contains(.online) && !$0.value.contains(.partial) }.keys.sorted()
    }

    /// Systems where `group` is online or partly online, in name order.
    public func activeSystems(of group: String) -> [String] {
        (groups[group] ?? [:]).filter { $0.value.isActive }.keys.sorted()
    }

    /// `group sys1=ONLINE sys2=OFFLINE|FAULTED`, systems in name order.
    public func summary(of group: String) -> String {
        let entries = (groups[group] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "\(group) " + (entries.isEmpty ? "unknown" : entries.joined(separator: " "))
    }
}
