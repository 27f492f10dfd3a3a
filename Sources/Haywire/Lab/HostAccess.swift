import Libvirt

/// How haywire reaches one real host.
public struct HostAccess: Sendable {
    public let name: String
    public let libvirtURI: String?
    public let shell: Shell
    /// Commands (run locally, in the suite's folder) that cut and restore power.
    public let powerOff: String?
    public let powerOn: String?
    public var outer: OuterDomain? = nil
    /// How long any one libvirt call to this host (or its outer
    /// hypervisor) may go unanswered.
    public var libvirtTimeout: Duration = .seconds(60)

    /// Opens this host's libvirt connection with its timeout.
    func openLibvirt() async throws -> Connection {
        guard let libvirtURI else { throw HarnessError("host \(name) has no libvirt URI") }
        return try await Connection.open(libvirtURI, callTimeout: libvirtTimeout)
    }
}
