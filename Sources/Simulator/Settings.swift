/// How long an agent's entry points take in the simulation.
public struct AgentTiming: Sendable, Equatable {
    public var online: Duration
    public var offline: Duration
    public var clean: Duration
    /// How long a monitor takes to report.
    public var monitor: Duration

    public init(online: Duration, offline: Duration, clean: Duration, monitor: Duration = .zero) {
        self.online = online
        self.offline = offline
        self.clean = clean
        self.monitor = monitor
    }
}

public enum LinkKind: String, Sendable {
    /// An LLT heartbeat link between the systems.
    case heartbeat
    /// A public link (a bridge uplink); NIC resources watch these.
    case `public`
}

/// Tunables of a simulated cluster; the defaults are VCS's.
public struct SimulatorSettings: Sendable, Equatable {
    /// LLT peerinact: silence after which LLT reports a peer's links down.
    public var peerInactive: Duration = .seconds(16)
    /// GAB's stable timeout, added before membership changes.
    public var gabStable: Duration = .seconds(5)
    /// From power-on to the cluster engine running on a system.
    public var bootTime: Duration = .seconds(90)
    /// From a guest's start to the cluster engine running inside it.
    public var guestBootTime: Duration = .seconds(30)
    /// MonitorInterval when neither the resource nor its type sets one.
    public var monitorInterval: Duration = .seconds(60)
    public var timings: [String: AgentTiming] = [
        "Application": AgentTiming(online: .seconds(5), offline: .seconds(5), clean: .seconds(2)),
        "DiskGroup": AgentTiming(online: .seconds(5), offline: .seconds(3), clean: .seconds(1)),
        "Volume": AgentTiming(online: .seconds(1), offline: .seconds(1), clean: .seconds(1)),
        "Mount": AgentTiming(online: .seconds(2), offline: .seconds(2), clean: .seconds(1)),
        "NIC": AgentTiming(online: .zero, offline: .zero, clean: .zero),
        "RemoteGroup": AgentTiming(online: .seconds(5), offline: .seconds(5), clean: .seconds(1)),
    ]
    public var defaultTiming = AgentTiming(online: .seconds(1), offline: .seconds(1), clean: .seconds(1))
    /// I/O fencing on or off whatever main.cf's UseFence says; nil follows it.
    public var fencing: Bool? = nil
    /// Where a group starts at cluster start, instead of its AutoStartList.
    public var startOn: [String: String] = [:]
    /// The systems stay powered off until `powerOn` (a cluster inside a
    /// guest that boots with its virtual machine).
    public var startsPoweredOff = false
    /// How long a RemoteGroup agent's online waits between two looks at the
    /// remote group.
    public var remoteGroupPoll: Duration = .seconds(5)
    /// Agent entry points take their duration times a factor drawn, by the
    /// seed, from 1 - jitter ... 1 + jitter (0: exactly their duration).
    public var jitter = 0.0
    /// Drives the jitter: the same seed gives the same timeline.
    public var seed: UInt64 = 0
    /// Links of every system, by name.
    public var links: [String: LinkKind] = ["eth0": .public, "llt0": .heartbeat, "llt1": .heartbeat]

    public init() {}

    public var heartbeatTimeout: Duration { peerInactive + gabStable }

    public func timing(of type: String) -> AgentTiming { timings[type] ?? defaultTiming }
}
