import VCSConfig
import VCSSemantics

/// Where a group must come online.
public enum SystemRef: Sendable, Equatable, CustomStringConvertible {
    case named(String)
    case next
    case any

    public var description: String {
        switch self {
        case .named(let name): name
        case .next: "next"
        case .any: "any"
        }
    }
}

/// What the cluster must do after the fault, and by when.
public struct Expectation: Sendable {
    public enum Kind: Sendable, Equatable {
        /// `{ group, online: S|next|any }`: the group comes (back) fully
        /// online there.
        case online(SystemRef)
        /// `{ group, online: not S }`: the group comes online on a system
        /// other than S.
        case onlineElsewhere(String)
        /// `{ group, faulted: S }`: the group shows FAULTED on S.
        case faulted(String)
        /// `{ group, promoted: S }` (Pacemaker): a promotable clone is Promoted on S.
        case promoted(String)
        /// `{ system-state: S, state: RUNNING|FAULTED|EXITED }`.
        case systemState(String, SystemStatus)
        /// `{ group, stays: online|partial, for }`: the group stays up where
        /// it was at fault time for the whole window (no failover, no
        /// flapping); `partial` also accepts ONLINE|PARTIAL.
        case stays(partial: Bool)
        /// `{ group, offline: everywhere }`: not failed over: it never comes
        /// up elsewhere, and by the deadline it is online nowhere.
        case offlineEverywhere
        /// `{ no-concurrency-violation: G }`: never active on two systems
        /// at once during the window.
        case noConcurrencyViolation
    }

    /// The group it is about; empty for `system-state`.
    public let group: String
    public let kind: Kind
    /// The deadline after the fault, or the window of a windowed kind.
    public let within: Duration
    public let location: SourceLocation
    /// With `repeat`: bounds on recovery-time percentiles over the runs,
    /// `within: { p95: 90s, max: 3m }` (max is `within`).
    public var percentiles: [PercentileBound] = []

    public init(group: String, kind: Kind, within: Duration, location: SourceLocation) {
        self.group = group
        self.kind = kind
        self.within = within
        self.location = location
    }

    /// Expectations judged over a whole window rather than met once.
    public var isWindowed: Bool {
        switch kind {
        case .stays, .offlineEverywhere, .noConcurrencyViolation: true
        default: false
        }
    }

    public var description: String {
        let deadline = formatDuration(within)
        return switch kind {
        case .online(let system): "\(group) online on \(system) within \(deadline)"
        case .onlineElsewhere(let system): "\(group) online on a system other than \(system) within \(deadline)"
        case .faulted(let system): "\(group) FAULTED on \(system) within \(deadline)"
        case .promoted(let system): "\(group) promoted on \(system) within \(deadline)"
        case .systemState(let system, let state): "system \(system) \(state.rawValue) within \(deadline)"
        case .stays(let partial): "\(group) stays \(partial ? "up" : "online") for \(deadline)"
        case .offlineEverywhere: "\(group) offline everywhere within \(deadline)"
        case .noConcurrencyViolation: "no concurrency violation of \(group) for \(deadline)"
        }
    }
}

/// `p95: 90s`: 95 % of the runs' recovery times are at most 90 s.
public struct PercentileBound: Sendable, Equatable {
    /// 50, 90, 95 or 99.
    public let percentile: Int
    public let bound: Duration
}
