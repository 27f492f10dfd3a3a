import Libvirt

/// Where a nested host runs: a domain on an outer hypervisor.
public struct OuterDomain: Sendable, Equatable {
    public let libvirt: String
    public let domain: String
}

/// The outer hypervisors of a lab's nested hosts. A nested host whose outer
/// domain is not running is unreachable: its libvirtd, its guests and its
/// shell are skipped instead of waited on.
actor OuterHypervisors {
    private let outers: [String: OuterDomain]
    private var connections: [String: Connection] = [:]

    private let callTimeout: Duration

    init(_ outers: [String: OuterDomain], callTimeout: Duration = .seconds(60)) {
        self.outers = outers
        self.callTimeout = callTimeout
    }

    func domain(of host: String) async throws -> Domain {
        guard let outer = outers[host] else { throw HarnessError("host \(host) has no outer hypervisor in the lab") }
        let connection: Connection
        if let open = connections[outer.libvirt], await open.isAlive() {
            connection = open
        } else {
            connection = try await Connection.open(outer.libvirt, callTimeout: callTimeout)
            connections[outer.libvirt] = connection
        }
        return try await connection.lookupDomain(name: outer.domain)
    }

    /// False only when the host is nested and its outer domain is not running.
    func isReachable(_ host: String) async -> Bool {
        guard outers[host] != nil else { return true }
        return (try? await domain(of: host).isRunning()) ?? false
    }

    func hasOuter(_ host: String) -> Bool { outers[host] != nil }
}
