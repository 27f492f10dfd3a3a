import Libvirt

/// A fault as made: what to undo, and when it took effect.
public struct Injected: Sendable, Equatable, Codable {
    public let fault: Fault
    /// The backend clock when the fault took effect.
    public let effectiveAt: Duration
    /// What was done, e.g. "destroyed vm1 on hosta".
    public let detail: String
}

/// Breaks things on purpose and undoes them (after Jepsen's nemesis).
/// `heal` is idempotent and always runs, even after a failed verdict.
public protocol FaultInjector: Sendable {
    /// The backend's name in errors ("the simulator").
    var name: String { get }
    /// The kinds this backend has a handler for.
    var supportedFaults: Set<FaultKind> { get }
    func inject(_ fault: Fault) async throws -> Injected
    func heal(_ injected: Injected) async throws -> String
    /// What `inject` would do, found out without changing anything
    /// (`--dry-run`).
    func plan(_ fault: Fault) async throws -> String
    /// Evidence that the fault took effect, or nil where the backend has
    /// no way to look; throws when it did not take effect.
    func verify(_ injected: Injected) async throws -> String?
}

extension FaultInjector {
    /// Why this backend refuses faults of `kind`, or nil when it makes them:
    /// the run and the dry run refuse with the same words.
    func refusal(of kind: FaultKind) -> String? {
        supportedFaults.contains(kind) ? nil
            : "\(name) cannot make \(kind.rawValue) faults (it makes: \(supportedFaults.sorted().map(\.rawValue).joined(separator: ", ")))"
    }
}

extension FaultInjector {
    public var name: String { "this backend" }
    public func plan(_ fault: Fault) async throws -> String { fault.description }
    public func verify(_ injected: Injected) async throws -> String? { nil }
}

/// Guest faults made through libvirt: the same on every backend, wherever
/// the backend found the guest running.
enum GuestFault {
    /// The libvirt call that makes a guest fault.
    static func call(for fault: Fault) throws -> String {
        switch fault {
        case .killGuest: "virDomainDestroy"
        case .crashGuest: "virDomainInjectNMI"
        case .pauseGuest: "virDomainSuspend"
        case .shutdownGuest: "virDomainShutdown"
        case .rebootGuest: "virDomainReboot"
        default: throw HarnessError("\(fault.kind.rawValue) is not a guest fault")
        }
    }

    static func inject(_ fault: Fault, _ guest: String, on host: String, _ domain: Domain) async throws -> String {
        switch fault {
        case .killGuest: try await domain.destroy()
        case .crashGuest: try await domain.injectNMI()
        case .pauseGuest: try await domain.suspend()
        case .shutdownGuest: try await domain.shutdown()
        case .rebootGuest: try await domain.reboot()
        default: throw HarnessError("\(fault.kind.rawValue) is not a guest fault")
        }
        return "\(try call(for: fault)) \(guest) on \(host)"
    }

    /// Resumes the first of `candidates` that is paused.
    static func resume(_ guest: String, among candidates: [(host: String, domain: Domain)]) async throws -> String? {
        for (host, domain) in candidates where (try? await domain.state().state) == .paused {
            try await domain.resume()
            return "virDomainResume \(guest) on \(host)"
        }
        return nil
    }
}

extension Fault {
    /// A handler was given a fault of another kind: a bug in its table.
    func mismatch(_ handler: String) -> HarnessError {
        HarnessError("the \(handler) handler was given \(description)")
    }
}
