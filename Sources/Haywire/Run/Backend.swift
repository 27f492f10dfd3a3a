import Foundation
import Simulator

/// What a scenario runs against: an injector and a probe on one clock.
public struct Backend: Sendable {
    public let injector: any FaultInjector
    public let probe: any ClusterProbe
    /// Every link a host has, for `link-down` without a `link`.
    public let links: [String]
    /// Readies the lab for a scenario (run before its steady state).
    public var prepare: @Sendable () async -> Void = {}
    /// Waits, up to the deadline, until the guests have booted (run after
    /// the steady state, before the fault).
    public var guestsReady: @Sendable (_ within: Duration) async throws -> Void = { _ in }
    public let close: @Sendable () async -> Void
}

public protocol BackendFactory: Sendable {
    /// A backend in its starting state for `scenario` of `suite`.
    func makeBackend(for suite: Suite, scenario: Scenario?) async throws -> Backend
}

/// A fresh simulated cluster per scenario, so scenarios cannot leak into
/// each other and every run repeats exactly.
public struct SimulatedBackendFactory: BackendFactory {
    public let settings: SimulatorSettings
    public let workDirectory: URL

    public init(settings: SimulatorSettings = SimulatorSettings(), workDirectory: URL = FileManager.default.temporaryDirectory) {
        self.settings = settings
        self.workDirectory = workDirectory
    }

    public func makeBackend(for suite: Suite, scenario: Scenario?) async throws -> Backend {
        var settings = self.settings
        for placement in scenario?.given ?? [] { settings.startOn[placement.group] = placement.system }
        let simulator = try await Simulator(config: suite.cluster.config, settings: settings, workDirectory: workDirectory)
        return Backend(
            injector: SimulatedInjector(simulator: simulator,
                                        carried: Dictionary(uniqueKeysWithValues: suite.lab.hosts.map { ($0.name, $0.systems) })),
            probe: SimulatedProbe(simulator: simulator),
            links: settings.links.keys.sorted(),
            close: { await simulator.shutdown() })
    }
}
