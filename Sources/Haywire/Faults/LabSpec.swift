import VCSConfig

/// The hosts and guests a suite's lab names: the only ones haywire may touch.
public struct LabSpec: Sendable {
    public struct Host: Sendable {
        public let name: String
        public let location: SourceLocation
        /// Real labs: the host's libvirt URI, its shell, its links, and the
        /// commands that cut and restore its power.
        public var libvirt: String? = nil
        public var shell: Shell? = nil
        public var links: [String] = ["eth0"]
        public var powerOff: String? = nil
        public var powerOn: String? = nil
        /// A nested host: its domain on the outer hypervisor.
        public var outer: OuterDomain? = nil
        /// Simulated KVM-KVM labs: the cluster systems that run as guests on
        /// this physical host (killing the host kills them all).
        public var systems: [String] = []
    }

    public struct Guest: Sendable {
        public let name: String
        public let hosts: [String]
        public let location: SourceLocation
        /// Real labs: a command (run locally in the suite's folder, with
        /// HAYWIRE_HOST and HAYWIRE_GUEST set) that succeeds once the guest
        /// has booted; scenarios wait for it before their fault.
        public var ready: String? = nil
        /// Real labs: commands inside the guest go through its qemu guest
        /// agent (`shell: guest-agent`); without it a guest has no shell.
        public var agentShell = false
        /// Pacemaker: the guest node this guest is (its VirtualDomain's
        /// `remote-node`), so resources may name it as one of their nodes.
        public var node: String? = nil
    }

    public let hosts: [Host]
    public let guests: [Guest]
    /// Real labs: how long any one libvirt call may go unanswered.
    public var libvirtTimeout: Duration = .seconds(60)

    public func host(named name: String) -> Host? { hosts.first { $0.name == name } }

    /// Each system that runs as a guest (KVM-KVM), and the host that carries it.
    public var carriers: [String: String] {
        Dictionary(hosts.flatMap { host in host.systems.map { ($0, host.name) } }, uniquingKeysWith: { a, _ in a })
    }
}
