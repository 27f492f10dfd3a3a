import Libvirt
import VCSConfig
import VCSSemantics

/// The whole simulated cluster at one instant: its clock, pending events,
/// systems, resources and the guests running on each host. A suite reaches
/// its steady state once and starts every scenario from a copy of it.
public struct SimulatorSnapshot: Sendable {
    let now: Duration
    let queue: EventQueue
    let systems: [String: SystemRuntime]
    let resources: SlotTable<ResourceKey, ResourceState>
    let intents: SlotTable<GroupOnSystem, GroupIntent>
    let monitorGenerations: [ResourceKey: Int]
    let monitorClocks: [ResourceKey: MonitorClock]
    let monitorDue: [ResourceKey: Duration]
    let pairEpochs: [SystemPair: Int]
    let pairConnected: [SystemPair: Bool]
    let blockedPairs: Set<SystemPair>
    let heldAtSilence: [DirectedPair: [String]]
    let crashedGuests: Set<String>
    let frozenSystems: Set<String>
    let books: [ResourceKey: ResourceBook]
    let followers: Set<String>
    let groupRetries: [GroupOnSystem: Int]
    let revision: Int
    let cachedState: ClusterState
    /// The clusters inside guests, in order.
    let guestClusters: [SimulatorSnapshot]
    /// Running guests per host.
    let running: [String: Set<String>]

    /// Virtual time of the snapshot.
    public var time: Duration { now }
}

extension Simulator {
    /// Takes a snapshot after every pending agent action has been made.
    public func snapshot() async -> SimulatorSnapshot {
        await performPendingActions()
        if !guestClusters.isEmpty { await catchUpGuests() }
        _ = observe()
        var running: [String: Set<String>] = [:]
        for (system, host) in hosts {
            running[system] = await runningGuests(host.connection)
        }
        touchedHosts = []
        var guests: [SimulatorSnapshot] = []
        for inner in guestClusters { guests.append(await inner.simulator.snapshot()) }
        return SimulatorSnapshot(
            now: now, queue: queue, systems: systems, resources: resources, intents: intents,
            monitorGenerations: monitorGenerations, monitorClocks: monitorClocks, monitorDue: monitorDue,
            pairEpochs: pairEpochs, pairConnected: pairConnected, blockedPairs: blockedPairs, heldAtSilence: heldAtSilence, crashedGuests: crashedGuests, frozenSystems: frozenSystems, books: books,
            followers: followers, groupRetries: groupRetries, revision: revision,
            cachedState: cachedState, guestClusters: guests, running: running)
    }

    /// Puts the cluster back as it was at `snapshot`, guests included. Only
    /// hosts whose guests may have changed since are read and corrected.
    public func restore(_ snapshot: SimulatorSnapshot) async {
        now = snapshot.now
        queue = snapshot.queue
        systems = snapshot.systems
        resources = snapshot.resources
        intents = snapshot.intents
        monitorGenerations = snapshot.monitorGenerations
        monitorClocks = snapshot.monitorClocks
        monitorDue = snapshot.monitorDue
        pairEpochs = snapshot.pairEpochs
        pairConnected = snapshot.pairConnected
        blockedPairs = snapshot.blockedPairs
        heldAtSilence = snapshot.heldAtSilence
        crashedGuests = snapshot.crashedGuests
        frozenSystems = snapshot.frozenSystems
        books = snapshot.books
        followers = snapshot.followers
        groupRetries = snapshot.groupRetries
        pendingHalts = []
        pendingActions = []
        _ = drainLog()
        revision = snapshot.revision + 1
        cachedState = snapshot.cachedState
        changedGroups = []
        for (inner, saved) in zip(guestClusters, snapshot.guestClusters) { await inner.simulator.restore(saved) }
        for system in touchedHosts.sorted() {
            guard let connection = hosts[system]?.connection else { continue }
            await setRunningGuests(snapshot.running[system] ?? [], on: connection)
        }
        touchedHosts = []
    }

    private func runningGuests(_ connection: Connection) async -> Set<String> {
        var names: Set<String> = []
        for domain in (try? await connection.listDomains(activeOnly: true)) ?? [] where (try? await domain.isRunning()) == true {
            names.insert(domain.name)
        }
        return names
    }

    /// Starts, resumes or destroys guests until exactly `names` run.
    private func setRunningGuests(_ names: Set<String>, on connection: Connection) async {
        var active: Set<String> = []
        for domain in (try? await connection.listDomains(activeOnly: true)) ?? [] {
            active.insert(domain.name)
            if !names.contains(domain.name) {
                try? await domain.destroy()
            } else if (try? await domain.state().state) == .paused {
                try? await domain.resume()
            }
        }
        for name in names.subtracting(active).sorted() {
            try? await connection.lookupDomain(name: name).start()
        }
    }
}
