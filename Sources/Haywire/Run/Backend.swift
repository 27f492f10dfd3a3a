
/// What a scenario runs against: an injector and a probe on one clock.
public struct Backend: Sendable {
    public let injector: any FaultInjector
    public var probe: any ClusterProbe
    /// Every link a host has, for `link-down` without a `link`.
    public let links: [String]
    /// The links that carry the cluster's heartbeats; nil when unknown (a
    /// real lab), and then any cut link may change membership.
    public var heartbeatLinks: Set<String>?
    /// Readies the lab for a scenario (run before its steady state).
    public var prepare: @Sendable () async throws -> Void = {}
    /// Waits, up to the deadline, until the guests have booted (run after
    /// the steady state, before the fault).
    public var guestsReady: @Sendable (_ within: Duration) async throws -> Void = { _ in }
    public let close: @Sendable () async -> Void
    /// How long a failing heal is retried: a real lab may not take it yet
    /// (a host still rebooting); a simulated one never will later.
    public var healRetryWindow: Duration = healWithin
    /// Where the cluster's own scheduler says each group goes after a fault
    /// (Pacemaker's crm_simulate on the live CIB); nil where `next` follows
    /// main.cf's rules.
    public var scheduler: (@Sendable (Fault) async throws -> SchedulerAnswer)?
    /// What the cluster itself would still do now (Pacemaker: crm_simulate's
    /// first transition on the live CIB); empty once it is idle, and a fault
    /// waits for that. Nil where the backend cannot tell.
    public var pendingWork: (@Sendable () async throws -> [String])?
    /// When the cluster itself says `group` came online on `system` between
    /// two instants of the backend clock (Pacemaker's alerts), with what
    /// said so; nil where it keeps no such record, and the probe's time stands.
    public var stampOnline: (@Sendable (_ group: String, _ system: String, _ after: Duration, _ before: Duration) async -> Stamp?)?
    /// The cluster's own log lines between two instants of the backend
    /// clock (real labs), for the timeline.
    public var clusterLog: (@Sendable (_ from: Duration, _ to: Duration) async -> [TimelineEntry])?
}

/// An instant the cluster recorded, and the record.
public struct Stamp: Sendable, Equatable {
    public let at: Duration
    public let source: String
}

extension Backend {
    /// Heals, retrying for up to `healRetryWindow` while the lab cannot
    /// take it yet (a host still rebooting after fencing).
    func healRetrying(_ injected: Injected) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + healRetryWindow
        while true {
            do {
                return try await injector.heal(injected)
            } catch {
                guard clock.now < deadline else { throw error }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}

public protocol BackendFactory: Sendable {
    /// A backend in its starting state for `scenario` of `suite`.
    func makeBackend(for suite: Suite, scenario: Scenario?) async throws -> Backend
    /// Releases what the factory keeps between scenarios.
    func close() async
    /// How many scenarios may run at once.
    var parallelism: Int { get }
    /// Whether a lab that does not come back stops the run (a real one).
    var stopsOnBrokenLab: Bool { get }
}

extension BackendFactory {
    public func close() async {}
    public var parallelism: Int { 1 }
    public var stopsOnBrokenLab: Bool { true }
}
