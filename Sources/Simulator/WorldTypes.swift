import VCSConfig
import VCSSemantics

/// The values a world is made of.
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

/// A resource's monitor. A generation is bumped when an operation starts,
/// so the monitors scheduled before it are dropped; nil until the first.
struct MonitorRecord: Equatable {
    var generation: Int?
    var clock: MonitorClock?
    var due: Duration?
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
