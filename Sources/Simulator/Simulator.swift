import Foundation
import Libvirt
import VCSConfig
import VCSSemantics

/// haywire's built-in VCS simulator: a discrete-event cluster on a virtual
/// clock (a `World` value, stepped synchronously) whose hosts are real
/// libvirt objects (test-driver hypervisors) at its edge. A host's
/// connection handed out is first made to match the world; what its holder
/// changed there (a destroyed guest) is read back into the world before the
/// simulator does anything else.
public actor Simulator {
    var world: World
    private var hosts: [String: SimulatedHost] = [:]
    /// Guest domain handles by "system/guest".
    private var domains: [String: Domain] = [:]
    /// Hosts whose connection was handed out since their guests were last read.
    private var handedOut: Set<String> = []
    private let directory: URL
    /// Events this simulator handled, across every restored snapshot.
    public private(set) var events = 0

    public nonisolated let config: ClusterConfig
    public nonisolated let settings: SimulatorSettings

    /// Builds the hosts (one test-driver node file per system, read from a
    /// fresh folder under `workDirectory` and removed) and schedules cluster start at time zero.
    public init(config: ClusterConfig, settings: SimulatorSettings = SimulatorSettings(), workDirectory: URL,
                guestClusters: [GuestClusterSpec] = []) async throws {
        self.config = config
        self.settings = settings
        world = World(config: config, settings: settings, guestClusters: guestClusters)
        directory = workDirectory.appendingPathComponent("sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for system in config.systems {
            let defined = (world.guests[system.name] ?? [:]).keys.sorted()
            hosts[system.name] = try await SimulatedHost.open(system: system.name, guests: defined, in: directory)
        }
        // The test driver has read the node files; nothing is left behind
        // even if the simulator is never shut down.
        try? FileManager.default.removeItem(at: directory)
    }

    /// Closes the hosts. The simulator is unusable afterwards.
    public func shutdown() async {
        domains = [:]
        for host in hosts.values { await host.connection.close() }
        hosts = [:]
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: The edge

    /// Reads back the guests of hosts whose connection was handed out: a
    /// fault may have destroyed, paused or started one there.
    private func syncIn() async {
        guard !handedOut.isEmpty else { return }
        for system in handedOut.sorted() {
            guard let connection = hosts[system]?.connection else { continue }
            var powers: [String: GuestPower] = [:]
            for name in (world.guests[system] ?? [:]).keys {
                guard let domain = await domain(name, on: connection, system: system),
                      let state = try? await domain.state().state else { continue }
                powers[name] = switch state {
                case .running, .blocked: .running
                case .paused: .paused
                default: .off
                }
            }
            world.guestsObserved(on: system, powers)
        }
        handedOut = []
    }

    /// Makes the host's libvirt guests match the world: started, resumed,
    /// paused or destroyed as the world has them.
    private func mirror(_ system: String) async {
        guard let connection = hosts[system]?.connection else { return }
        for (name, power) in (world.guests[system] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let domain = await domain(name, on: connection, system: system),
                  let state = try? await domain.state().state else { continue }
            switch (power, state) {
            case (.running, .paused): try? await domain.resume()
            case (.running, .running), (.running, .blocked), (.paused, .paused), (.off, .shutoff), (.off, .shutdown): break
            case (.running, _): try? await domain.start()
            case (.paused, .running), (.paused, .blocked): try? await domain.suspend()
            case (.paused, _):
                try? await domain.start()
                try? await domain.suspend()
            case (.off, _): try? await domain.destroy()
            }
        }
    }

    private func domain(_ name: String, on connection: Connection, system: String) async -> Domain? {
        let key = "\(system)/\(name)"
        if let known = domains[key] { return known }
        guard let domain = try? await connection.lookupDomain(name: name) else { return nil }
        domains[key] = domain
        return domain
    }

    /// The connection of `system`'s in-memory hypervisor, its guests as the
    /// world has them. Whoever holds it may change guests there, so their
    /// monitors are armed and the guests are read back before the next step.
    public func connection(of system: String) async -> Connection? {
        await syncIn()
        guard let connection = hosts[system]?.connection else { return nil }
        await mirror(system)
        handedOut.insert(system)
        world.touchGuests(on: system)
        return connection
    }

    // MARK: Driving the clock

    /// Handles the next event if it is due by `limit` and returns true; else
    /// moves the clock to `limit` and returns false.
    public func step(until limit: Duration) async -> Bool {
        await syncIn()
        return counted { $0.step(until: limit) }
    }

    /// Runs `body` on the world, counting the events it handles.
    private func counted<T>(_ body: (inout World) -> T) -> T {
        let before = world.eventsHandled
        defer { events += world.eventsHandled - before }
        return body(&world)
    }

    /// Handles events due by `limit` until one changes something and
    /// returns true; false once none is left by `limit`.
    public func advance(until limit: Duration) async -> Bool {
        await syncIn()
        return counted { $0.advance(until: limit) }
    }

    /// Runs every event due by `limit`.
    public func run(until limit: Duration) async {
        await syncIn()
        counted { $0.run(until: limit) }
    }

    /// Virtual time since the simulation began.
    public var now: Duration { world.now }

    /// The time of the next pending event of this cluster (not of the
    /// clusters inside its guests), if any.
    public var nextEventTime: Duration? { world.queue.nextTime }

    /// Grows with every change the simulator logs.
    public var revision: Int { world.revision }

    // MARK: Reading the state

    public func state() async -> ClusterState {
        await syncIn()
        return world.state()
    }

    /// The state, with the groups that changed since the last call: a big
    /// cluster changes a few groups at a time, so observers diff only those.
    public func observe() async -> (state: ClusterState, changedGroups: Set<String>) {
        await syncIn()
        return world.observe()
    }

    /// Log lines written since the last call.
    public func drainLog() -> [SimulatorLogEntry] { world.drainLog() }

    /// What an observer reads at one instant, in one call.
    public struct Look: Sendable {
        public let time: Duration
        public let log: [SimulatorLogEntry]
        public let state: ClusterState
        public let changedGroups: Set<String>
    }

    /// The log since the last look, the state and the groups that changed.
    public func look() async -> Look {
        await syncIn()
        let log = world.drainLog()
        let (state, changed) = world.observe()
        return Look(time: world.now, log: log, state: state, changedGroups: changed)
    }

    /// `advance(until:)` then `look()`, in one call; nil once no event that
    /// changes something is left by `limit` (the clock is then at `limit`).
    public func advanceAndLook(until limit: Duration) async -> Look? {
        guard await advance(until: limit) else { return nil }
        return await look()
    }

    /// The systems where `guest` is in one of `states`, in name order.
    public func systems(where guest: String, is states: Set<DomainState>) async -> [String] {
        await syncIn()
        var powers: Set<GuestPower> = []
        if states.contains(.running) || states.contains(.blocked) { powers.insert(.running) }
        if states.contains(.paused) { powers.insert(.paused) }
        if states.contains(.shutoff) || states.contains(.shutdown) { powers.insert(.off) }
        return world.systems(where: guest, has: powers)
    }

    public nonisolated func systemNames() -> [String] { config.systems.map(\.name) }

    /// Starts a scenario's draws: the run's seed mixed with `salt`.
    public func reseed(_ salt: String) { world.reseed(salt) }

    // MARK: Faults and commands

    /// Power loss: the system's guests and cluster engine stop at once.
    public func powerOff(_ system: String) async throws(SimulatorError) {
        await syncIn()
        try world.powerOff(system)
    }

    /// Power on: the cluster engine joins after `bootTime`.
    public func powerOn(_ system: String) async throws(SimulatorError) {
        await syncIn()
        try world.powerOn(system)
    }

    public func isPowered(_ system: String) -> Bool { world.systems[system]?.powered ?? false }

    /// Cuts or restores one link of `system`.
    public func setLink(_ link: String, on system: String, up: Bool) async throws(SimulatorError) {
        await syncIn()
        try world.setLink(link, on: system, up: up)
    }

    /// Makes a mount point disappear under the cluster. Returns false when it
    /// was not mounted there.
    public func unmount(_ mountPoint: String, on system: String) async throws(SimulatorError) -> Bool {
        await syncIn()
        return try world.unmount(mountPoint, on: system)
    }

    /// Mounts `mountPoint` again if its Mount resource still counts as online there.
    public func restoreMount(_ mountPoint: String, on system: String) async {
        await syncIn()
        world.restoreMount(mountPoint, on: system)
    }

    /// Kills every process named `name` (as `ps` shows it) that an agent
    /// started on `system`. Returns false when none ran.
    public func killProcess(_ name: String, on system: String) async throws(SimulatorError) -> Bool {
        await syncIn()
        return try world.killProcess(name, on: system)
    }

    /// Kills a process inside `guest`'s cluster systems. Returns false when
    /// no agent there had started it.
    public func killProcess(_ name: String, inGuest guest: String) async throws(SimulatorError) -> Bool {
        await syncIn()
        return try world.killProcess(name, inGuest: guest)
    }

    /// Whether `mountPoint` is mounted on `system` now.
    public func isMounted(_ mountPoint: String, on system: String) -> Bool { world.isMounted(mountPoint, on: system) }

    /// The link is down on the system (a fault cut it).
    public func isLinkDown(_ link: String, on system: String) -> Bool { world.systems[system]?.linksDown.contains(link) ?? false }

    public func linksDown(on system: String) -> Set<String> { world.systems[system]?.linksDown ?? [] }

    /// Cuts the heartbeats between every two sides; systems not named keep theirs.
    public func partition(_ sides: [[String]]) async throws(SimulatorError) {
        await syncIn()
        try world.partition(sides)
    }

    /// Ends every partition.
    public func joinPartitions() async {
        await syncIn()
        world.joinPartitions()
    }

    /// A kernel panic (NMI): what runs inside stops until the guest is restarted.
    public func crashGuest(_ guest: String) async throws(SimulatorError) -> String {
        await syncIn()
        return try world.crashGuest(guest)
    }

    /// Every NIC of `guest` down or up.
    public func setGuestLinks(_ guest: String, up: Bool) async throws(SimulatorError) -> String {
        await syncIn()
        return try world.setGuestLinks(guest, up: up)
    }

    /// A guest's disk detached or attached again.
    public func setGuestStorage(_ guest: String, attached: Bool) async throws(SimulatorError) -> String {
        await syncIn()
        return try world.setGuestStorage(guest, attached: attached)
    }

    /// The system's host freezes (pause-host).
    public func freeze(_ system: String) async throws(SimulatorError) {
        await syncIn()
        try world.freeze(system)
    }

    public func thaw(_ system: String) async {
        await syncIn()
        world.thaw(system)
    }

    public func isFrozen(_ system: String) -> Bool { world.frozenSystems.contains(system) }

    /// `hagrp -switch group -to system`.
    public func switchGroup(_ name: String, to system: String) async throws(SimulatorError) {
        await syncIn()
        try world.switchGroup(name, to: system)
    }

    // MARK: Snapshots

    /// The whole cluster now, guests included: a copy of the world.
    public func snapshot() async -> SimulatorSnapshot {
        await syncIn()
        world.performPendingActions()
        if !world.guestClusters.isEmpty { world.catchUpGuests() }
        _ = world.observe()
        return SimulatorSnapshot(world: world)
    }

    /// Puts the cluster back as it was at `snapshot`, guests included (a
    /// host's libvirt guests are made to match when its connection is next
    /// handed out).
    public func restore(_ snapshot: SimulatorSnapshot) async {
        handedOut = []
        world = snapshot.world
        world.pendingActions = []
        _ = world.drainLog()
        world.revision += 1
        world.changedGroups = []
    }
}
