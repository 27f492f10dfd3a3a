import Foundation
import Libvirt
import VCSConfig

/// haywire's built-in VCS simulator: a discrete-event cluster on a virtual
/// clock whose agents act on real libvirt objects (test-driver hosts).
public actor Simulator {
    public let config: ClusterConfig
    public let settings: SimulatorSettings
    /// Virtual time since the simulation began.
    public private(set) var now: Duration = .zero

    var queue = EventQueue()
    var systems: [String: SystemRuntime] = [:]
    var hosts: [String: SimulatedHost] = [:]
    var resources = SlotTable<ResourceKey, ResourceState>()
    var intents = SlotTable<GroupOnSystem, GroupIntent>()
    /// The cluster state as last computed; `state()` refreshes dirty slots.
    private var cachedState = ClusterState()
    var monitorGenerations: [ResourceKey: Int] = [:]
    /// Connectivity epoch per pair of systems, bumped whenever it changes.
    var pairEpochs: [SystemPair: Int] = [:]
    var pairConnected: [SystemPair: Bool] = [:]
    /// Systems halted by the engine whose guests still need to be stopped.
    var pendingHalts: [String] = []
    /// Consecutive monitors that found a resource down (ToleranceLimit).
    var monitorMisses: [ResourceKey: Int] = [:]
    /// Restarts in place used per resource (RestartLimit; never reset, as
    /// if ConfInterval were longer than a scenario).
    var restartsUsed: [ResourceKey: Int] = [:]
    var restarting: Set<ResourceKey> = []
    /// Guest domain handles by "system/guest".
    var domains: [String: Domain] = [:]
    /// Agent targets per resource name and system (the group left empty).
    var targets: [ResourceKey: AgentTarget] = [:]
    /// Agent entry points started by the engine, run after each event.
    var pendingActions: [(ResourceKey, AgentOperation)] = []
    private var log: [SimulatorLogEntry] = []
    private let directory: URL

    /// Builds the hosts (one test-driver node file per system, in a fresh
    /// folder under `workDirectory`) and schedules cluster start at time zero.
    public init(config: ClusterConfig, settings: SimulatorSettings = SimulatorSettings(), workDirectory: URL) async throws {
        self.config = config
        self.settings = settings
        directory = workDirectory.appendingPathComponent("sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let guests = Agents.guests(of: config)
        for (index, system) in config.systems.enumerated() {
            let mine = guests.filter { $0.systems.contains(system.name) }.map(\.guest)
            hosts[system.name] = try await SimulatedHost.open(system: system.name, guests: mine, in: directory)
            systems[system.name] = SystemRuntime(name: system.name, nodeID: index)
        }
        queue.schedule(.clusterStart, at: .zero)
    }

    /// Removes the node files. The simulator is unusable afterwards.
    public func shutdown() async {
        domains = [:]
        for host in hosts.values { await host.connection.close() }
        hosts = [:]
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Driving the clock

    /// Handles the next event if it is due by `limit` and returns true; else
    /// moves the clock to `limit` and returns false.
    public func step(until limit: Duration) async -> Bool {
        guard let next = queue.nextTime, next <= limit, let (time, event) = queue.popNext() else {
            now = max(now, limit)
            return false
        }
        now = time
        await handle(event)
        return true
    }

    /// Runs every event due by `limit`.
    public func run(until limit: Duration) async {
        while await step(until: limit) {}
    }

    /// The time of the next pending event, if any.
    public var nextEventTime: Duration? { queue.nextTime }

    // MARK: Reading the state

    public func state() -> ClusterState {
        for (name, system) in systems where cachedState.systems[name] != system.status {
            cachedState.systems[name] = system.status
        }
        if cachedState.groups.isEmpty {
            for group in config.groups {
                var perSystem: [String: GroupFlags] = [:]
                for entry in group.systemList { perSystem[entry.system] = flags(of: group, on: entry.system) }
                cachedState.groups[group.name] = perSystem
            }
        }
        for slot in resources.takeDirty().union(intents.takeDirty()) {
            guard let group = config.group(named: slot.group), cachedState.groups[slot.group]?[slot.system] != nil else { continue }
            cachedState.groups[slot.group]![slot.system] = flags(of: group, on: slot.system)
        }
        return cachedState
    }

    /// Log lines written since the last call.
    public func drainLog() -> [SimulatorLogEntry] {
        defer { log.removeAll() }
        return log
    }

    /// The connection of `system`'s in-memory hypervisor.
    public func connection(of system: String) -> Connection? { hosts[system]?.connection }

    public func systemNames() -> [String] { config.systems.map(\.name) }

    /// Every change of state is logged, so the log's length is a revision:
    /// observers look again only when it moved.
    func note(_ text: String) {
        log.append(SimulatorLogEntry(time: now, text: text))
        revision += 1
    }

    /// Grows with every change the simulator logs.
    public private(set) var revision = 0

    func schedule(_ event: SimEvent, after delay: Duration) { queue.schedule(event, at: now + delay) }

    private func handle(_ event: SimEvent) async {
        switch event {
        case .clusterStart: clusterStart()
        case .operationDone(let key, let operation, let incarnation): await operationDone(key, operation, incarnation)
        case .monitor(let key, let generation): await monitor(key, generation: generation)
        case .peerSilent(let observer, let peer, let epoch): await peerSilent(observer: observer, peer: peer, epoch: epoch)
        case .booted(let system, let incarnation): booted(system, incarnation: incarnation)
        }
        await performPendingActions()
    }
}

public struct SimulatorLogEntry: Sendable, Equatable {
    public let time: Duration
    public let text: String
}

struct GroupOnSystem: Hashable {
    let group: String
    let system: String
}

enum GroupIntent: Equatable {
    case online
    case offline(failover: Bool)
}

enum ResourceState: Equatable {
    case offline, goingOnline, online, goingOffline, faulted, cleaning

    var isUp: Bool { self == .online || self == .goingOnline || self == .goingOffline }
}

struct SystemRuntime {
    let name: String
    let nodeID: Int
    var powered = true
    /// The cluster engine (had) runs.
    var running = false
    /// Bumped at each power-off, so events of an earlier life are dropped.
    var incarnation = 0
    var linksDown: Set<String> = []
    /// Mounts, imported disk groups, started volumes...
    var modelled: Set<String> = []
    /// Peers this system counts as members, itself included.
    var view: Set<String> = []
    /// A cluster member as its peers see it: true from joining until they
    /// declare it dead, whether or not it still runs.
    var member = false
    /// Declared dead by its peers.
    var declaredFaulted = false

    var status: SystemStatus {
        if member { return .running }
        return declaredFaulted ? .faulted : (powered ? .unknown : .exited)
    }
}

struct SystemPair: Hashable {
    let first: String
    let second: String
    init(_ a: String, _ b: String) { (first, second) = a < b ? (a, b) : (b, a) }
}
