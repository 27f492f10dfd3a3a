import Foundation
import Simulator
import VCSConfig

/// Simulated clusters that start each scenario from the suite's steady
/// state: the cluster is started once, snapshotted when steady, and every
/// scenario begins from a restored copy, then switches groups to its
/// `given:` systems as `hagrp -switch` would. Scenarios cannot leak into
/// each other and every run repeats exactly.
public struct SimulatedBackendFactory: BackendFactory {
    /// Drives what the simulation draws (agent jitter): the same seed gives
    /// the same timelines.
    public let seed: UInt64
    /// Scenarios run at once, each on its own simulator: one per core.
    public let parallelism: Int
    private let pool: SimulatorPool
    /// What the simulated backend can break; a test or a plug-in may
    /// register more kinds.
    public var faultHandlers = SimulatedInjector.standard

    public init(seed: UInt64 = 0, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
                workDirectory: URL = FileManager.default.temporaryDirectory) {
        self.seed = seed
        self.parallelism = max(1, parallelism)
        pool = SimulatorPool(workDirectory: workDirectory)
    }

    public func makeBackend(for suite: Suite, scenario: Scenario?) async throws -> Backend {
        var settings = suite.cluster.simulator
        settings.seed = seed
        let (simulator, snapshot) = try await pool.take(for: suite, settings: settings)
        await simulator.restore(snapshot)
        await simulator.reseed(scenario?.name ?? "")
        let given = scenario?.given ?? []
        var backend = Backend(
            injector: SimulatedInjector(simulator: simulator,
                                        carried: Dictionary(uniqueKeysWithValues: suite.lab.hosts.map { ($0.name, $0.systems) }),
                                        handlers: faultHandlers),
            probe: SimulatedProbe(simulator: simulator),
            links: settings.links.keys.sorted(),
            close: { [pool] in await pool.give(back: simulator) })
        backend.healRetryWindow = .zero
        backend.heartbeatLinks = Set(settings.links.filter { $0.value == .heartbeat }.keys)
        backend.prepare = {
            for placement in given {
                do { try await simulator.switchGroup(placement.group, to: placement.system) } catch {
                    throw HarnessError("given: \(placement.group) online on \(placement.system): \(error)")
                }
            }
        }
        return backend
    }

    public func close() async { await pool.close() }

    /// Events the simulators handled so far (for the benchmark).
    public func eventsHandled() async -> Int { await pool.eventsHandled() }

    /// Each scenario starts from the snapshot: none inherits another's state.
    public var stopsOnBrokenLab: Bool { false }
}

/// Simulators with the snapshot of their steady state, one per cluster
/// configuration, handed to one scenario at a time.
actor SimulatorPool {
    private struct Entry {
        let config: ClusterConfig
        let settings: SimulatorSettings
        let simulator: Simulator
        let snapshot: SimulatorSnapshot
        var inUse: Bool
    }

    let workDirectory: URL
    private var entries: [Entry] = []

    init(workDirectory: URL) {
        self.workDirectory = workDirectory
    }

    func take(for suite: Suite, settings: SimulatorSettings) async throws -> (Simulator, SimulatorSnapshot) {
        let config = suite.cluster.model
        if let index = entries.firstIndex(where: { !$0.inUse && $0.settings == settings && $0.config == config }) {
            entries[index].inUse = true
            return (entries[index].simulator, entries[index].snapshot)
        }
        let simulator = try await Simulator(config: suite.cluster.config, settings: settings, workDirectory: workDirectory,
                                            guestClusters: suite.cluster.guestClusters)
        let steady = SteadyState(config: config)
        if !steady.holds(await simulator.state()) {
            while await simulator.advance(until: suite.steadyWithin), !steady.holds(await simulator.state()) {}
        }
        let snapshot = await simulator.snapshot()
        entries.append(Entry(config: config, settings: settings, simulator: simulator, snapshot: snapshot, inUse: true))
        return (simulator, snapshot)
    }

    func give(back simulator: Simulator) {
        if let index = entries.firstIndex(where: { $0.simulator === simulator }) { entries[index].inUse = false }
    }

    /// Events of the simulators closed so far.
    private var closedEvents = 0

    func eventsHandled() async -> Int {
        var total = closedEvents
        for entry in entries { total += await entry.simulator.events }
        return total
    }

    func close() async {
        for entry in entries { closedEvents += await entry.simulator.events }
        for entry in entries { await entry.simulator.shutdown() }
        entries = []
    }
}
