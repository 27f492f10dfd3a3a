import VCSConfig
import VCSSemantics

/// One look at the cluster, with what the cluster logged since the last one.
public struct Observation: Sendable {
    public let time: Duration
    public let state: ClusterState
    public let events: [TimelineEntry]
    /// The groups whose state may differ from the previous observation; nil
    /// when the probe cannot tell (then every group is compared).
    public var changedGroups: Set<String>? = nil
    /// A polling probe's count of its answered looks (unchanged ones too,
    /// which reach no observer); 0 where every change is seen.
    public var look = 0
}

/// Reads a cluster's state. Time is the backend's clock: virtual for the
/// simulator, the wall clock for real clusters.
public protocol ClusterProbe: Sendable {
    /// The smallest interval between two observations: how precisely a
    /// recovery time is measured. Zero when every change is seen.
    var resolution: Duration { get }

    /// The backend's clock, from the start of the scenario.
    func now() async -> Duration

    func state() async throws -> ClusterState

    /// Calls `observe` with each observation until it returns true or the
    /// clock reaches `deadline`. Returns the last observation.
    func watch(until deadline: Duration, _ observe: (Observation) -> Bool) async throws -> Observation

    /// When the read of the observation stamped `time` came back. A poll is
    /// stamped when it asked, and the state it read may be as late as this.
    func answeredAt(askedAt time: Duration) async -> Duration
}

extension ClusterProbe {
    /// A probe that sees each change as it happens reads in no time.
    public func answeredAt(askedAt time: Duration) async -> Duration { time }
}
