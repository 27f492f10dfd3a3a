import VCSConfig
import VCSSemantics

/// What a scenario's faults may change, for the no-collateral-damage
/// audit: the systems they hit and the groups that ran there, managed
/// what they hit, or are bound to those by a group dependency. A fault
/// that touches membership (every link of a host, a partition, a paused
/// host) may move anything: the audit then has nothing to hold it to.
struct FaultScope {
    var everything = false
    var systems: Set<String> = []
    var groups: Set<String> = []

    /// What the expectations name is in scope: they say how it changes.
    init(expectations: [Expectation]) {
        for expectation in expectations {
            if !expectation.group.isEmpty { groups.insert(expectation.group) }
            if case .systemState(let system, _) = expectation.kind { systems.insert(system) }
        }
    }

    func contains(_ entry: TimelineEntry) -> Bool {
        everything || entry.group.map(groups.contains) ?? entry.system.map(systems.contains) ?? true
    }

    /// Widens the scope by `fault`, made when the cluster stood at `state`.
    mutating func widen(by fault: Fault, state: ClusterState, config: ClusterConfig, heartbeats: Set<String>?, guests: GuestClusterFacts) {
        var hit: Set<String> = []
        var managing: Set<String> = []
        switch fault {
        case .partition, .pauseHost, .other:
            everything = true
        case .linkDown(let host, let cut):
            // A heartbeat cut changes membership, and without fencing both sides act.
            if heartbeats.map({ !$0.isDisjoint(with: cut) }) ?? true { everything = true } else { hit.insert(host) }
        case .killHost(let host):
            // With it go the guests it ran, nodes of a cluster themselves or hosting one.
            hit.insert(host)
            hit.formUnion(guests.carried[host] ?? [])
            for group in config.groups where state.flags(of: group.name, on: host) != .offline {
                for resource in group.resources {
                    for guest in ResourceTarget.of(resource, on: host).guests {
                        if config.systems.contains(where: { $0.name == guest }) { hit.insert(guest) }
                        hit.formUnion(guests.systems[guest] ?? [])
                    }
                }
            }
        case .unmount(let host, _), .killProcess(.host(let host), _):
            hit.insert(host)
        case .killGuest(let guest), .crashGuest(let guest), .pauseGuest(let guest), .shutdownGuest(let guest),
             .rebootGuest(let guest), .guestLinksDown(let guest, _), .detachDisk(let guest, _), .killProcess(.guest(let guest), _):
            // A guest that is a node (KVM-KVM), the nodes of a cluster inside it,
            // and the groups that start, stop or watch it.
            if config.systems.contains(where: { $0.name == guest }) { hit.insert(guest) }
            hit.formUnion(guests.systems[guest] ?? [])
            for group in config.groups {
                for entry in group.systemList where group.resources.contains(where: {
                    ResourceTarget.of($0, on: entry.system).guests.contains(guest)
                }) {
                    managing.insert(group.name)
                }
            }
        }
        guard !everything else { return }
        systems.formUnion(hit)
        groups.formUnion(managing)
        // What runs there, or is starting or stopping there.
        for group in config.groups where hit.contains(where: { state.flags(of: group.name, on: $0) != .offline }) {
            groups.insert(group.name)
        }
        closeOverDependencies(config, guests)
    }

    /// Groups bound to one in scope by a group dependency, either way; and
    /// across clusters, the RemoteGroup groups outside and the groups inside
    /// the guests, which watch or are driven by each other.
    private mutating func closeOverDependencies(_ config: ClusterConfig, _ guests: GuestClusterFacts) {
        var grew = true
        while grew {
            grew = false
            if !groups.isDisjoint(with: guests.linked), !guests.linked.isSubset(of: groups) {
                groups.formUnion(guests.linked)
                grew = true
            }
            for group in config.groups where !groups.contains(group.name) {
                let bound = group.groupDependencies.contains { groups.contains($0.child) }
                    || config.groups.contains { groups.contains($0.name) && $0.groupDependencies.contains { $0.child == group.name } }
                if bound {
                    groups.insert(group.name)
                    grew = true
                }
            }
        }
    }
}

/// The clusters inside guests and the nodes that are guests, as the
/// scope of a fault needs them.
struct GuestClusterFacts: Sendable {
    /// The systems of the cluster inside each guest.
    var systems: [String: [String]] = [:]
    /// The groups inside guests and the RemoteGroup groups that reach them.
    var linked: Set<String> = []
    /// The cluster systems each lab host runs as guests (KVM-KVM).
    var carried: [String: [String]] = [:]

    init() {}

    init(_ spec: ClusterSpec, lab: LabSpec) {
        for host in lab.hosts where !host.systems.isEmpty { carried[host.name] = host.systems }
        for inner in spec.guestClusters {
            systems[inner.guest, default: []] += inner.config.systems.map(\.name)
            linked.formUnion(inner.config.groups.map(\.name))
        }
        if !spec.guestClusters.isEmpty {
            linked.formUnion(spec.config.groups.filter { $0.resources.contains { $0.type == "RemoteGroup" } }.map(\.name))
        }
    }
}
