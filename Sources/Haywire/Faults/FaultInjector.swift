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
}

/// The harness could not inject, heal or observe: an `<error>`, not a failure.
public struct HarnessError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
