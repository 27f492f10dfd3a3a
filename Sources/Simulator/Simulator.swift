import Foundation
import Libvirt
import VCSConfig
import VCSSemantics

/// haywire's built-in VCS simulator: a discrete-event cluster on a virtual
/// clock whose agents act on real libvirt objects (test-driver hosts).
public actor Simulator {
    public let config: ClusterConfig
    public let settings: SimulatorSettings
    /// Virtual time since the simulation began.
    public internal(set) var now: Duration = .zero

    var queue = EventQueue()
    var systems: [String: SystemRuntime] = [:]
    var hosts: [String: SimulatedHost] = [:]
    var resources = SlotTable<ResourceKey, ResourceState>()
    var intents = SlotTable<GroupOnSystem, GroupIntent>()
    /// The cluster state as last computed; `state()` refreshes dirty slots.
    var cachedState = ClusterState()
    private var groupsPopulated = false
    /// Single-node clusters inside guests (PM-PM with RemoteGroup), on this
    /// simulator's clock.
    let guestClusters: [GuestCluster]
    /// Groups whose state changed since the last `observe()`.
    var changedGroups: Set<String> = []
    var monitorGenerations: [ResourceKey: Int] = [:]
    /// Monitor instants of online resources, and the pending monitor's time.
    var monitorClocks: [ResourceKey: MonitorClock] = [:]
    var monitorDue: [ResourceKey: Duration] = [:]
    var targetsBySystem: [String: [(ResourceKey, ResourceTarget)]] = [:]
    /// The groups whose SystemList names each system.
    let groupsBySystem: [String: [ServiceGroup]]
    /// Groups that depend on each group, with the dependency.
    let parentsByChild: [String: [(ServiceGroup, GroupDependency)]]
    /// Groups taken offline for a group they require, waiting to follow it.
    var followers: Set<String> = []
    /// Restarts in place used per group and system (OnlineRetryLimit).
    var groupRetries: [GroupOnSystem: Int] = [:]
    /// Resources that are never onlined or offlined and whose state is not
    /// their group's (`isPersistent`), by name.
    let persistent: Set<String>
    /// The systems whose hypervisor defines each guest.
    let guestSystems: [String: [String]]
    /// Hosts whose guests may have changed since the last snapshot.
    var touchedHosts: Set<String> = []
    /// Connectivity epoch per pair of systems, bumped whenever it changes.
    var pairEpochs: [SystemPair: Int] = [:]
    var pairConnected: [SystemPair: Bool] = [:]
    /// The groups each system last heard a peer hold, from the moment they
    /// stopped hearing each other until the peer is declared lost.
    var heldAtSilence: [DirectedPair: [String]] = [:]
    /// Pairs a network partition keeps apart.
    var blockedPairs: Set<SystemPair> = []
    /// Guests whose kernel panicked while qemu runs on.
    var crashedGuests: Set<String> = []
    /// Systems frozen with their host (pause-host).
    var frozenSystems: Set<String> = []
    /// Systems halted by the engine whose guests still need to be stopped.
    var pendingHalts: [String] = []
    /// The seed of the scenario now running (the run's seed mixed with the
    /// scenario's name); drives the jitter of agent durations.
    var scenarioSeed: UInt64 = 0
    /// What the agents count per resource: misses, restarts, retries.
    var books: [ResourceKey: ResourceBook] = [:]
    /// Guest domain handles by "system/guest".
    var domains: [String: Domain] = [:]
    /// Agent targets per resource name and system (the group left empty).
    var targets: [ResourceKey: ResourceTarget] = [:]
    /// Agent entry points started by the engine, run after each event.
    var pendingActions: [(ResourceKey, AgentOperation)] = []
    private var log: [SimulatorLogEntry] = []
    private let directory: URL

    /// Builds the hosts (one test-driver node file per system, read from a
    /// fresh folder under `workDirectory` and removed) and schedules cluster start at time zero.
    public init(config: ClusterConfig, settings: SimulatorSettings = SimulatorSettings(), workDirectory: URL,
                guestClusters: [GuestClusterSpec] = []) async throws {
        self.config = config
        self.settings = settings
        scenarioSeed = settings.seed
        directory = workDirectory.appendingPathComponent("sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let guests = config.managedGuests()
        persistent = Set(config.groups.flatMap { $0.resources.filter(config.isPersistent).map(\.name) })
        guestSystems = Dictionary(guests.map { ($0.guest, $0.systems.sorted()) }, uniquingKeysWith: { a, _ in a })
        var bySystem: [String: [ServiceGroup]] = [:]
        for group in config.groups {
            for entry in group.systemList { bySystem[entry.system, default: []].append(group) }
        }
        groupsBySystem = bySystem
        var parents: [String: [(ServiceGroup, GroupDependency)]] = [:]
        for group in config.groups {
            for dependency in group.groupDependencies where dependency.category == .online {
                parents[dependency.child, default: []].append((group, dependency))
            }
        }
        parentsByChild = parents
        for (index, system) in config.systems.enumerated() {
            let mine = guests.filter { $0.systems.contains(system.name) }.map(\.guest)
            hosts[system.name] = try await SimulatedHost.open(system: system.name, guests: mine, in: directory)
            systems[system.name] = SystemRuntime(name: system.name, nodeID: index)
        }
        var inner: [GuestCluster] = []
        for spec in guestClusters {
            var innerSettings = settings
            innerSettings.startsPoweredOff = true
            innerSettings.bootTime = settings.guestBootTime
            let simulator = try await Simulator(config: spec.config, settings: innerSettings, workDirectory: workDirectory)
            inner.append(GuestCluster(spec: spec, simulator: simulator))
        }
        self.guestClusters = inner
        // The test driver has read the node files; nothing is left behind
        // even if the simulator is never shut down.
        try? FileManager.default.removeItem(at: directory)
        if settings.startsPoweredOff {
            for name in systems.keys { systems[name]!.powered = false }
        } else {
            queue.schedule(.clusterStart, at: .zero)
        }
    }

    /// Removes the node files. The simulator is unusable afterwards.
    public func shutdown() async {
        for inner in guestClusters { await inner.simulator.shutdown() }
        domains = [:]
        for host in hosts.values { await host.connection.close() }
        hosts = [:]
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Driving the clock

    /// Handles the next event if it is due by `limit` and returns true; else
    /// moves the clock to `limit` and returns false.
    public func step(until limit: Duration) async -> Bool {
        if !guestClusters.isEmpty {
            await syncGuestPower()
            if let (index, time) = await nextGuestEvent(), time <= limit, queue.nextTime.map({ time < $0 }) ?? true {
                await stepGuest(index, at: time)
                return true
            }
        }
        guard let next = queue.nextTime, next <= limit, let (time, event) = queue.popNext() else {
            now = max(now, limit)
            if !guestClusters.isEmpty { await catchUpGuests() }
            return false
        }
        now = time
        await handle(event)
        if !guestClusters.isEmpty { await syncGuestPower() }
        return true
    }

    /// Handles events due by `limit` until one changes something (the
    /// revision moves) and returns true; false once none is left by `limit`.
    public func advance(until limit: Duration) async -> Bool {
        let seen = revision
        while await step(until: limit) {
            if revision != seen { return true }
        }
        return false
    }

    /// Runs every event due by `limit`.
    public func run(until limit: Duration) async {
        while await step(until: limit) {}
    }

    /// The time of the next pending event of this cluster (not of the
    /// clusters inside its guests), if any.
    public var nextEventTime: Duration? { queue.nextTime }

    // MARK: Reading the state

    public func state() -> ClusterState {
        for (name, system) in systems where cachedState.systems[name] != system.status {
            cachedState.systems[name] = system.status
        }
        refreshGroups()
        return cachedState
    }

    /// Recomputes the flags of the (group, system) slots written since.
    private func refreshGroups() {
        if !groupsPopulated {
            groupsPopulated = true
            for group in config.groups {
                var perSystem: [String: GroupFlags] = [:]
                for entry in group.systemList { perSystem[entry.system] = flags(of: group, on: entry.system) }
                cachedState.groups[group.name] = perSystem
                changedGroups.insert(group.name)
            }
        }
        guard resources.hasDirty || intents.hasDirty else { return }
        for slot in resources.takeDirty().union(intents.takeDirty()) {
            guard let group = config.group(named: slot.group), let old = cachedState.groups[slot.group]?[slot.system] else { continue }
            let new = flags(of: group, on: slot.system)
            guard new != old else { continue }
            cachedState.groups[slot.group]![slot.system] = new
            changedGroups.insert(slot.group)
        }
    }

    /// The group's flags on a system of its SystemList, from the cache.
    func currentFlags(of group: ServiceGroup, on system: String) -> GroupFlags {
        refreshGroups()
        return cachedState.groups[group.name]?[system] ?? flags(of: group, on: system)
    }

    /// The state, with the groups that changed since the last call: a big
    /// cluster changes a few groups at a time, so observers diff only those.
    public func observe() -> (state: ClusterState, changedGroups: Set<String>) {
        let state = state()
        defer { changedGroups = [] }
        return (state, changedGroups)
    }

    /// Log lines written since the last call.
    public func drainLog() -> [SimulatorLogEntry] {
        defer { log.removeAll() }
        return log
    }

    /// The connection of `system`'s in-memory hypervisor. Whoever holds it
    /// may change guests there, so their monitors are armed.
    public func connection(of system: String) -> Connection? {
        guard let connection = hosts[system]?.connection else { return nil }
        touchedHosts.insert(system)
        touchGuests(on: system)
        return connection
    }

    /// The systems where `guest` is in one of `states`, in name order,
    /// read without handing out a connection.
    public func systems(where guest: String, is states: Set<DomainState>) async -> [String] {
        var found: [String] = []
        for system in guestSystems[guest] ?? [] where hosts[system] != nil {
            guard let domain = await guestDomain(guest, on: system, quiet: true),
                  let state = try? await domain.state().state, states.contains(state) else { continue }
            found.append(system)
        }
        return found
    }

    public func systemNames() -> [String] { config.systems.map(\.name) }

    /// Every change of state is logged, so the log's length is a revision:
    /// observers look again only when it moved.
    func note(_ text: String) {
        log.append(SimulatorLogEntry(time: now, text: text))
        revision += 1
    }

    /// A log line of a guest cluster, at its own time.
    func record(_ entry: SimulatorLogEntry) {
        log.append(entry)
        revision += 1
    }

    /// Grows with every change the simulator logs.
    public internal(set) var revision = 0

    func schedule(_ event: SimEvent, after delay: Duration) { queue.schedule(event, at: now + delay) }

    private func handle(_ event: SimEvent) async {
        switch event {
        case .clusterStart: clusterStart()
        case .operationDone(let key, let operation, let incarnation): await operationDone(key, operation, incarnation)
        case .operationTimedOut(let key, let operation, let incarnation): await operationTimedOut(key, operation, incarnation)
        case .monitor(let key, let generation): await monitor(key, generation: generation)
        case .monitorReported(let key, let generation, let up): await monitorReported(key, generation: generation, up: up)
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
    /// Offline, then fail over, or come online on `switchTo` (`hagrp -switch`).
    case offline(failover: Bool, switchTo: String? = nil)
}

enum ResourceState: Equatable {
    case offline, goingOnline, online, goingOffline, faulted, cleaning
    /// Its clean timed out: ONLINE|UNABLE_TO_OFFLINE; its group cannot
    /// go offline, so it cannot fail over.
    case stuck
    /// Faulted under ManageFaults NONE: left for an administrator.
    case adminWait
}

/// An agent's counters for one resource on one system.
struct ResourceBook: Equatable {
    /// Consecutive monitors that found it down (ToleranceLimit).
    var misses = 0
    /// Consecutive monitors that timed out (FaultOnMonitorTimeouts).
    var monitorTimeouts = 0
    /// Restarts in place since ConfInterval last passed (RestartLimit).
    var restarts = 0
    /// Monitor cycles waited after an online (OnlineWaitLimit).
    var onlineWaits = 0
    /// Onlines retried (OnlineRetryLimit).
    var onlineRetries = 0
    var onlineStarted: Duration = .zero
    /// Why it is being cleaned; nil after a fault.
    var cleanPurpose: CleanPurpose?
}

enum CleanPurpose: Equatable {
    /// RestartLimit: online again in place.
    case restart
    /// OnlineRetryLimit: the online failed; try it again.
    case retryOnline
    /// The offline timed out; the clean finishes it.
    case finishOffline
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
    /// Processes that agents started, one instance per resource.
    var processes: Set<ProcessInstance> = []
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

/// A process an agent started on a system: its name as `ps` shows it and
/// the resource that owns it.
struct ProcessInstance: Hashable {
    let name: String
    let owner: String
}

struct DirectedPair: Hashable {
    let observer: String
    let peer: String
}

struct SystemPair: Hashable {
    let first: String
    let second: String
    init(_ a: String, _ b: String) { (first, second) = a < b ? (a, b) : (b, a) }
}
