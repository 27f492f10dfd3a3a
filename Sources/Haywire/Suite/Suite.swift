import Simulator
import VCSConfig

/// A suite file: one lab, one cluster, scenarios.
public struct Suite: Sendable {
    public let name: String
    public let file: String
    public let cluster: ClusterSpec
    public let lab: LabSpec
    public let scenarios: [Scenario]
    /// How long the lab may take to settle before each scenario.
    public let steadyWithin: Duration
    /// How long the cluster may take to return to its steady state after
    /// the heals (`defaults: settle:`): the settles audit.
    public var settleWithin: Duration?
    /// Every file the suite was read from: itself, its main.cf files and
    /// their includes (a run record embeds them for replay).
    public var sources: [String] = []
    /// The names of all scenarios of the file, before any selection.
    public var order: [String] = []
    /// `--shard I/N`: which share this is, and the scenarios selected
    /// before the suite was shared out (merge names a missing shard's).
    public var shard: (index: Int, count: Int)?
    public var beforeSharding: [String] = []

    /// The suite with only the scenarios `isIncluded` keeps.
    public func filter(_ isIncluded: (Scenario) -> Bool) -> Suite {
        var suite = Suite(name: name, file: file, cluster: cluster, lab: lab, scenarios: scenarios.filter(isIncluded), steadyWithin: steadyWithin)
        suite.settleWithin = settleWithin
        suite.sources = sources
        suite.order = order.isEmpty ? scenarios.map(\.name) : order
        suite.shard = shard
        suite.beforeSharding = beforeSharding
        return suite
    }

    /// The shard, from 1, that scenario `scenario` of suite `suite` falls in.
    public static func shardIndex(suite: String, scenario: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(suite)/\(scenario)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(count)) + 1
    }

    /// `--shard I/N`: the scenarios whose suite and name hash to shard I of
    /// N. Stable: adding a scenario moves no other; repeats stay together.
    public func shard(_ index: Int, of count: Int) -> Suite {
        var share = filter { Self.shardIndex(suite: name, scenario: $0.name, count: count) == index }
        share.shard = (index, count)
        share.beforeSharding = scenarios.map(\.name)
        return share
    }

    /// `--only` and `--skip`: scenarios named, or tagged, by any of `only`
    /// (all when empty), less those named or tagged by any of `skip`.
    public func selecting(only: [String], skip: [String]) -> Suite {
        func matches(_ scenario: Scenario, _ words: [String]) -> Bool {
            words.contains(scenario.name) || scenario.tags.contains(where: words.contains)
        }
        return filter { (only.isEmpty || matches($0, only)) && !matches($0, skip) }
    }

    /// How many results a run of it reports: each repeat, and a percentile
    /// verdict per repeated scenario that bounds percentiles.
    public var resultCount: Int {
        scenarios.map { $0.repeats + ($0.repeats > 1 && $0.expectations.contains { !$0.percentiles.isEmpty } ? 1 : 0) }.reduce(0, +)
    }

    /// The same suite with only the first `count` scenarios.
    public func prefix(_ count: Int) -> Suite {
        let names = Set(scenarios.prefix(count).map(\.name))
        return filter { names.contains($0.name) }
    }
}

public enum ClusterManager: String, Sendable, CaseIterable {
    case simulated, vcs, pacemaker
}

public struct ClusterSpec: Sendable {
    public let manager: ClusterManager
    /// The main.cf, resolved against the suite's folder; empty for Pacemaker,
    /// whose groups and their preferred nodes the suite lists itself.
    public let configPath: String
    /// The cluster model targets are resolved from (SystemList order).
    public let config: ClusterConfig
    /// How often a real cluster is polled: the resolution of its recovery times.
    public let probeInterval: Duration
    /// Simulated clusters inside guests, reached by RemoteGroup resources.
    public var guestClusters: [GuestClusterSpec] = []
    /// Pacemaker: the file each host's alert agent appends its events to
    /// (ci/lab/alert-agent's format), read to time recoveries exactly.
    public var alerts: String?
    /// The simulated cluster's timings (the suite's `simulator:` section).
    public var simulator = SimulatorSettings()

    /// What scenarios name and observe: the cluster's systems and groups,
    /// with those of the clusters inside its guests.
    public var model: ClusterConfig {
        guard !guestClusters.isEmpty else { return config }
        let inner = guestClusters.map(\.config)
        return ClusterConfig(name: config.name, attributes: config.attributes,
                             systems: config.systems + inner.flatMap(\.systems), groups: config.groups + inner.flatMap(\.groups),
                             warnings: config.warnings + inner.flatMap(\.warnings), types: config.types)
    }
}

public struct Scenario: Sendable {
    public let name: String
    /// The faults, each at its offset from the end of the steady state.
    public let faults: [FaultSpec]
    public internal(set) var expectations: [Expectation]
    public let location: SourceLocation
    /// Labels for `--only` and `--skip`.
    public var tags: [String] = []
    /// How many times it runs (`repeat: N`); its recovery times are judged
    /// per run and, with percentile bounds, over all of them.
    public var repeats = 1

    /// A schedule drawn from the run's seed instead of written faults.
    public var random: RandomSchedule?
    /// Its faults were drawn: one that cannot be made is skipped, not an error.
    public var drawnFaults = false
    /// A drawn schedule's last heal, from its first fault: its expectations
    /// are judged from there.
    public var scheduleEnd: Duration?

    /// The first fault.
    public var fault: FaultSpec { faults[0] }

    /// Audits this scenario waives, each with its reason (`allow:`).
    public var waived: [Audit: String] = [:]

    /// The steady state the fault must find: groups online on named systems.
    /// The simulator starts them there; a real lab must already be so.
    public var given: [Placement] = []
}

/// An invariant every scenario is held to unless it waives it (`allow:`).
public enum Audit: String, Sendable, CaseIterable {
    /// A failover group is never active on two systems at once.
    case concurrency
    /// Each fault shows evidence, where the backend can look, that it took effect.
    case effect
    /// A group runs only on the systems of its SystemList.
    case placement
    /// After the heals, the cluster is back to its steady state within the settle time.
    case settles
    /// Nothing the faults did not touch changes state, unless an expectation names it.
    case collateral
}

/// `{ group: G, online: S }` in a scenario's `given:`.
public struct Placement: Sendable, Equatable {
    public let group: String
    public let system: String
}

/// A host named in a suite: by name, or where a group runs at fault time.
public enum HostRef: Sendable, Equatable, CustomStringConvertible {
    case named(String)
    case active(group: String)
    case next(group: String)

    public var description: String {
        switch self {
        case .named(let name): name
        case .active(let group): "active(\(group))"
        case .next(let group): "next(\(group))"
        }
    }
}

public struct FaultSpec: Sendable {
    public enum Target: Sendable, Equatable {
        case guest(String)
        /// The guest that is the node where a group runs (KVM-KVM).
        case guestAt(HostRef)
        case host(HostRef)
        /// Named links of a host; empty means every link.
        case links(HostRef, [String])
        case mount(HostRef, String)
        case process(HostRef, String)
        /// A process inside a guest (a simulated guest cluster's).
        case guestProcess(HostRef, String)
        /// A guest's NICs by MAC; empty means all of them.
        case guestLinks(HostRef, [String])
        case disk(String, String)
        /// A nested host's NICs on its outer hypervisor, by MAC; empty
        /// means all of them.
        case outerLinks(HostRef, [String])
        /// A nested host's disk on its outer hypervisor, by target.
        case outerDisk(HostRef, String)
        /// Groups of systems that cannot reach each other.
        case partition([[String]])
    }

    public let kind: FaultKind
    public let target: Target
    /// Heal after this long; nil heals when the scenario ends.
    public let duration: Duration?
    public let location: SourceLocation
    /// When it strikes, after the steady state (`at: 30s`).
    public var at: Duration = .zero

    public var description: String {
        let what = switch target {
        case .guest(let name): name
        case .guestAt(let node): node.description
        case .host(let host): host.description
        case .links(let host, let links): links.isEmpty ? "\(host) all links" : "\(host) \(links.joined(separator: ","))"
        case .mount(let host, let path): "\(host) \(path)"
        case .process(let host, let name): "\(host) \(name)"
        case .guestProcess(let guest, let name): "\(guest.description) \(name)"
        case .guestLinks(let guest, let macs): macs.isEmpty ? "\(guest.description) all NICs" : "\(guest.description) \(macs.joined(separator: ","))"
        case .disk(let guest, let device): "\(guest) \(device)"
        case .outerLinks(let host, let macs): "nested \(host.description) " + (macs.isEmpty ? "all NICs" : macs.joined(separator: ","))
        case .outerDisk(let host, let device): "nested \(host.description) \(device)"
        case .partition(let sides): sides.map { $0.joined(separator: ",") }.joined(separator: " | ")
        }
        return "\(kind.rawValue) \(what)" + (at > .zero ? " at \(formatDuration(at))" : "")
            + (duration.map { " for \(formatDuration($0))" } ?? "")
    }
}
