import VCSConfig
import VCSSemantics

/// The whole simulated cluster at one instant, as one value: systems,
/// resources, agents' intents, monitors, memberships, partitions, the guests
/// each host runs, the clusters inside guests, the pending events and `now`.
/// `step` is synchronous: nothing in an event awaits, so no event can be
/// re-entered, and a snapshot is a copy (`let steady = world`). The
/// `Simulator` actor owns the libvirt test-driver hosts at its edge.
struct World: Sendable {
    let config: ClusterConfig
    let settings: SimulatorSettings
    /// Virtual time since the simulation began.
    var now: Duration = .zero

    var queue = EventQueue()
    var systems: [String: SystemRuntime] = [:] { didSet { systemsChanged = true } }
    /// A system changed since `state()` last read their states.
    var systemsChanged = true
    var resources = SlotTable<ResourceKey, ResourceState>()
    var intents = SlotTable<GroupOnSystem, GroupIntent>()
    /// Mounts, imported disk groups, started volumes... per system.
    var modelled: [String: Set<String>] = [:]
    /// Processes that agents started per system, one instance per resource.
    var processes: [String: Set<ProcessInstance>] = [:]
    /// Power of each guest on each host that defines it.
    var guests: [String: [String: GuestPower]] = [:]
    /// The cluster state as last computed; `state()` refreshes dirty slots.
    var cachedState = ClusterState()
    var groupsPopulated = false
    /// Single-node clusters inside guests (PM-PM with RemoteGroup), on this
    /// world's clock.
    var guestClusters: [GuestClusterWorld] = []
    /// Groups whose state changed since the last `observe()`.
    var changedGroups: Set<String> = []
    /// Each resource's monitor: its generation, its instants while online
    /// and the pending monitor's time, in one entry.
    var monitors: [ResourceKey: MonitorRecord] = [:]
    /// Every resource of every group that may run on each system, with its
    /// agent target; computed once, shared by every copy.
    let targetsBySystem: [String: [(ResourceKey, ResourceTarget)]]
    /// The same, per system and target, in the same order.
    let keysByTarget: [String: [ResourceTarget: [ResourceKey]]]
    /// The groups whose SystemList names each system.
    let groupsBySystem: [String: [ServiceGroup]]
    /// Groups that depend on each group, with the dependency.
    let parentsByChild: [String: [(ServiceGroup, GroupDependency)]]
    /// Resources that are never onlined or offlined and whose state is not
    /// their group's (`isPersistent`), by name.
    let persistent: Set<String>
    /// Groups frozen in the configuration (`isFrozen`).
    let frozenGroups: Set<String>
    /// Groups taken offline for a group they require, waiting to follow it.
    var followers: Set<String> = []
    /// Restarts in place used per group and system (OnlineRetryLimit).
    var groupRetries: [GroupOnSystem: Int] = [:]
    /// The systems whose hypervisor defines each guest.
    let guestSystems: [String: [String]]
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
    /// The seed of the scenario now running (the run's seed mixed with the
    /// scenario's name); drives the jitter of agent durations.
    var scenarioSeed: UInt64 = 0
    /// What the agents count per resource: misses, restarts, retries.
    var books: [ResourceKey: ResourceBook] = [:]
    /// Agent targets per resource name and system (the group left empty).
    let targets: [ResourceKey: ResourceTarget]
    /// Agent entry points started by the engine, run after each event.
    var pendingActions: [(ResourceKey, AgentOperation)] = []
    var log: [SimulatorLogEntry] = []
    /// Grows with every change the world logs.
    var revision = 0
    /// Events handled since the world began.
    var eventsHandled = 0

    init(config: ClusterConfig, settings: SimulatorSettings, guestClusters specs: [GuestClusterSpec] = []) {
        self.config = config
        self.settings = settings
        scenarioSeed = settings.seed
        let managed = config.managedGuests()
        guestSystems = Dictionary(managed.map { ($0.guest, $0.systems.sorted()) }, uniquingKeysWith: { a, _ in a })
        persistent = Set(config.groups.flatMap { $0.resources.filter(config.isPersistent).map(\.name) })
        frozenGroups = Set(config.groups.filter(config.isFrozen).map(\.name))
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
        var bySystemTargets: [String: [(ResourceKey, ResourceTarget)]] = [:]
        var byResource: [ResourceKey: ResourceTarget] = [:]
        for system in config.systems.map(\.name) {
            var found: [(ResourceKey, ResourceTarget)] = []
            for group in bySystem[system] ?? [] {
                for resource in group.resources {
                    let target = ResourceTarget.of(resource, on: system)
                    found.append((ResourceKey(group: group.name, resource: resource.name, system: system), target))
                    byResource[ResourceKey(group: "", resource: resource.name, system: system)] = target
                }
            }
            bySystemTargets[system] = found
        }
        targetsBySystem = bySystemTargets
        keysByTarget = bySystemTargets.mapValues { found in
            var keys: [ResourceTarget: [ResourceKey]] = [:]
            for (key, target) in found { keys[target, default: []].append(key) }
            return keys
        }
        targets = byResource
        for (index, system) in config.systems.enumerated() {
            systems[system.name] = SystemRuntime(name: system.name, nodeID: index)
            var defined: [String: GuestPower] = [:]
            for entry in managed where entry.systems.contains(system.name) { defined[entry.guest] = .off }
            guests[system.name] = defined
        }
        guestClusters = specs.map { spec in
            var inner = settings
            inner.startsPoweredOff = true
            inner.bootTime = settings.guestBootTime
            return GuestClusterWorld(spec: spec, world: World(config: spec.config, settings: inner))
        }
        if settings.startsPoweredOff {
            for name in systems.keys { systems[name]!.powered = false }
        } else {
            queue.schedule(.clusterStart, at: .zero)
        }
    }

    // MARK: Driving the clock

    /// Handles the next event if it is due by `limit` and returns true; else
    /// moves the clock to `limit` and returns false.
    mutating func step(until limit: Duration) -> Bool {
        if !guestClusters.isEmpty {
            syncGuestPower()
            if let (index, time) = nextGuestEvent(), time <= limit, queue.nextTime.map({ time < $0 }) ?? true {
                stepGuest(index, at: time)
                return true
            }
        }
        guard let next = queue.nextTime, next <= limit, let (time, event) = queue.popNext() else {
            now = max(now, limit)
            if !guestClusters.isEmpty { catchUpGuests() }
            return false
        }
        now = time
        handle(event)
        eventsHandled += 1
        if !guestClusters.isEmpty { syncGuestPower() }
        return true
    }

    /// Handles events due by `limit` until one changes something (the
    /// revision moves), then the rest of that instant, and returns true;
    /// false once none is left by `limit`. An observer sees the world
    /// between instants only: what lasts no time at all is not a state.
    mutating func advance(until limit: Duration) -> Bool {
        let seen = revision
        while step(until: limit) {
            guard revision != seen else { continue }
            while hasEvent(at: now), step(until: now) {}
            return true
        }
        return false
    }

    /// An event of this world or of a guest cluster is due at `time`.
    private func hasEvent(at time: Duration) -> Bool {
        queue.nextTime == time || (!guestClusters.isEmpty && nextGuestEvent()?.time == time)
    }

    /// Runs every event due by `limit`.
    mutating func run(until limit: Duration) {
        while step(until: limit) {}
    }

    private mutating func handle(_ event: SimEvent) {
        switch event {
        case .clusterStart: clusterStart()
        case .operationDone(let key, let operation, let incarnation): operationDone(key, operation, incarnation)
        case .operationTimedOut(let key, let operation, let incarnation): operationTimedOut(key, operation, incarnation)
        case .monitor(let key, let generation): monitor(key, generation: generation)
        case .monitorReported(let key, let generation, let up): monitorReported(key, generation: generation, up: up)
        case .peerSilent(let observer, let peer, let epoch): peerSilent(observer: observer, peer: peer, epoch: epoch)
        case .booted(let system, let incarnation): booted(system, incarnation: incarnation)
        }
        performPendingActions()
    }

    mutating func schedule(_ event: SimEvent, after delay: Duration) { queue.schedule(event, at: now + delay) }

    // MARK: Reading the state

    mutating func state() -> ClusterState {
        if systemsChanged {
            systemsChanged = false
            for (name, system) in systems where cachedState.systems[name] != system.status {
                cachedState.systems[name] = system.status
            }
        }
        refreshGroups()
        return cachedState
    }

    /// Recomputes the flags of the (group, system) slots written since.
    mutating func refreshGroups() {
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

    /// The state, with the groups that changed since the last call.
    mutating func observe() -> (state: ClusterState, changedGroups: Set<String>) {
        let state = state()
        defer { changedGroups = [] }
        return (state, changedGroups)
    }

    /// Log lines written since the last call.
    mutating func drainLog() -> [SimulatorLogEntry] {
        defer { log.removeAll() }
        return log
    }

    /// Every change of state is logged, so the log's length is a revision:
    /// observers look again only when it moved.
    mutating func note(_ text: String) {
        log.append(SimulatorLogEntry(time: now, text: text))
        revision += 1
    }

    /// A log line of a guest cluster, at its own time.
    mutating func record(_ entry: SimulatorLogEntry) {
        log.append(entry)
        revision += 1
    }

    /// The systems where `guest` has one of `powers`, in name order.
    func systems(where guest: String, has powers: Set<GuestPower>) -> [String] {
        (guestSystems[guest] ?? []).filter { guests[$0]?[guest].map(powers.contains) == true }
    }

    /// Starts a scenario's draws: the run's seed mixed with `salt`.
    mutating func reseed(_ salt: String) {
        var draw = SeededDraw(seed: settings.seed)
        draw.mix(salt)
        scenarioSeed = draw.value()
    }
}

/// A guest's power on one host, as libvirt would report it.
enum GuestPower: Sendable, Hashable {
    case off, running, paused
}

/// A cluster inside a guest and its world, on its host world's clock.
struct GuestClusterWorld: Sendable {
    let spec: GuestClusterSpec
    var world: World
}
