import Libvirt

/// A fault with every target resolved to a concrete name.
public struct ResolvedFault: Sendable, Equatable, Codable {
    public let kind: FaultKind
    public let host: String?
    public let guest: String?
    public let links: [String]
    public let mount: String?
    public let process: String?
    /// A guest's disk target (detach-disk).
    public let device: String?
    public let duration: Duration?
    /// A partition's sides.
    public var sides: [[String]] = []

    public init(kind: FaultKind, host: String? = nil, guest: String? = nil, links: [String] = [],
                mount: String? = nil, process: String? = nil, device: String? = nil, duration: Duration? = nil) {
        self.kind = kind
        self.host = host
        self.guest = guest
        self.links = links
        self.mount = mount
        self.process = process
        self.device = device
        self.duration = duration
    }

    public var description: String {
        var parts = [kind.rawValue]
        if let guest { parts.append("guest \(guest)") }
        if let host { parts.append("host \(host)") }
        if !links.isEmpty { parts.append("links \(links.joined(separator: ","))") }
        if let mount { parts.append("mount \(mount)") }
        if let process { parts.append("process \(process)") }
        if let device { parts.append("disk \(device)") }
        if !sides.isEmpty { parts.append(sides.map { $0.joined(separator: ",") }.joined(separator: " | ")) }
        return parts.joined(separator: " ")
    }
}

/// A fault as made: what to undo, and when it took effect.
public struct Injected: Sendable, Equatable, Codable {
    public let fault: ResolvedFault
    /// The backend clock when the fault took effect.
    public let effectiveAt: Duration
    /// What was done, e.g. "destroyed vm1 on hosta".
    public let detail: String
}

/// Breaks things on purpose and undoes them (after Jepsen's nemesis).
/// `heal` is idempotent and always runs, even after a failed verdict.
public protocol FaultInjector: Sendable {
    var supportedFaults: Set<FaultKind> { get }
    func inject(_ fault: ResolvedFault) async throws -> Injected
    func heal(_ injected: Injected) async throws -> String
    /// What `inject` would do, found out without changing anything
    /// (`--dry-run`).
    func plan(_ fault: ResolvedFault) async throws -> String
}

extension FaultInjector {
    public func plan(_ fault: ResolvedFault) async throws -> String { fault.description }
}

/// The harness could not inject, heal or observe: an `<error>`, not a failure.
public struct HarnessError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Guest faults made through libvirt: the same on every backend, wherever
/// the backend found the guest running.
enum GuestFault {
    static func inject(_ kind: FaultKind, _ guest: String, on host: String, _ domain: Domain) async throws -> String {
        switch kind {
        case .killGuest:
            try await domain.destroy()
            return "virDomainDestroy \(guest) on \(host)"
        case .crashGuest:
            try await domain.injectNMI()
            return "virDomainInjectNMI \(guest) on \(host)"
        case .pauseGuest:
            try await domain.suspend()
            return "virDomainSuspend \(guest) on \(host)"
        case .shutdownGuest:
            try await domain.shutdown()
            return "virDomainShutdown \(guest) on \(host)"
        case .rebootGuest:
            try await domain.reboot()
            return "virDomainReboot \(guest) on \(host)"
        default:
            throw HarnessError("\(kind.rawValue) is not a guest fault")
        }
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

extension ResolvedFault {
    /// A field the fault must carry, or a harness error naming it.
    func required(_ value: String?, _ what: String) throws -> String {
        guard let value else { throw HarnessError("the fault has no \(what)") }
        return value
    }
}
