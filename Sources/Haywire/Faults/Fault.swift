/// A kind of fault, by the word suites use for it (`kill-guest`). Open: a
/// backend may register handlers for kinds haywire does not define.
public struct FaultKind: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let killGuest = FaultKind("kill-guest")
    public static let crashGuest = FaultKind("crash-guest")
    public static let pauseGuest = FaultKind("pause-guest")
    public static let shutdownGuest = FaultKind("shutdown-guest")
    public static let rebootGuest = FaultKind("reboot-guest")
    public static let killHost = FaultKind("kill-host")
    public static let pauseHost = FaultKind("pause-host")
    public static let linkDown = FaultKind("link-down")
    public static let unmount = FaultKind("unmount")
    public static let detachDisk = FaultKind("detach-disk")
    public static let killProcess = FaultKind("kill-process")
    public static let partition = FaultKind("partition")

    /// The kinds a suite can name, in the order the docs list them.
    public static let builtIn: [FaultKind] = [
        .killGuest, .crashGuest, .pauseGuest, .shutdownGuest, .rebootGuest, .killHost, .pauseHost,
        .linkDown, .unmount, .detachDisk, .killProcess, .partition,
    ]

    /// A kind a suite may name, or nil.
    public init?(known word: String) {
        guard let kind = Self.builtIn.first(where: { $0.rawValue == word }) else { return nil }
        self = kind
    }

    public var description: String { rawValue }
    public static func < (a: FaultKind, b: FaultKind) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Where a killed process runs.
public enum ProcessHome: Sendable, Hashable {
    case host(String)
    /// Inside a guest (a simulated guest cluster's node).
    case guest(String)
}

/// A fault with every target resolved to a concrete name: one case per
/// kind, each with exactly its own targets (after Jepsen's nemesis, a fault
/// is a value).
public enum Fault: Sendable, Hashable, CustomStringConvertible {
    case killGuest(guest: String)
    case crashGuest(guest: String)
    case pauseGuest(guest: String)
    case shutdownGuest(guest: String)
    case rebootGuest(guest: String)
    case killHost(host: String)
    case pauseHost(host: String)
    /// Links of a host, by interface name.
    case linkDown(host: String, links: [String])
    /// A guest's NICs by MAC; empty means all of them.
    case guestLinksDown(guest: String, macs: [String])
    case unmount(host: String, mount: String)
    /// A guest's disk, by its target (`vdb`).
    case detachDisk(guest: String, disk: String)
    /// A nested host's NICs on its outer hypervisor, by MAC; empty means
    /// all of them: its uplink cut from outside.
    case outerLinksDown(host: String, macs: [String])
    /// A nested host's disk detached through its outer hypervisor.
    case outerDiskDetach(host: String, disk: String)
    case killProcess(where: ProcessHome, process: String)
    /// Groups of systems that cannot reach each other.
    case partition(sides: [[String]])
    /// A kind defined outside haywire (a test's, a plug-in's), with the
    /// targets its resolver gave it.
    case other(kind: FaultKind, targets: FaultTargets)

    public var kind: FaultKind {
        switch self {
        case .killGuest: .killGuest
        case .crashGuest: .crashGuest
        case .pauseGuest: .pauseGuest
        case .shutdownGuest: .shutdownGuest
        case .rebootGuest: .rebootGuest
        case .killHost: .killHost
        case .pauseHost: .pauseHost
        case .linkDown, .guestLinksDown, .outerLinksDown: .linkDown
        case .unmount: .unmount
        case .detachDisk, .outerDiskDetach: .detachDisk
        case .killProcess: .killProcess
        case .partition: .partition
        case .other(let kind, _): kind
        }
    }

    /// The guest the fault acts on, if it acts on one.
    public var guest: String? { targets.guest }

    /// The host the fault acts on, if it acts on one.
    public var host: String? { targets.host }

    public var description: String { targets.description(of: kind) }
}
