import VCSConfig
import VCSSemantics

/// What a scenario's faults may change, for the no-collateral-damage
/// audit: the systems they hit and the groups that ran there, managed
/// what they hit, or are bound to those by a group dependency. A fault
/// that touches membership (a heartbeat link cut, a partition, a paused
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
    mutating func widen(by fault: Fault, state: ClusterState, heartbeats: Set<String>?, facts: ScopeFacts) {
        var hit: Set<String> = []
        var touched: Set<String> = []
        func guestHit(_ guest: String) {
            // A guest that is a node (KVM-KVM), the nodes of a cluster inside
            // it, and the groups that start, stop or watch it.
            if facts.systems.contains(guest) { hit.insert(guest) }
            if let node = facts.guestNodes[guest] { hit.insert(node) }
            hit.formUnion(facts.guestSystems[guest] ?? [])
            touched.formUnion(facts.managers[guest] ?? [])
        }
        switch fault {
        case .partition, .pauseHost, .other:
            everything = true
        case .linkDown(let host, let cut):
            if heartbeats.map({ !$0.isDisjoint(with: cut) }) ?? true { everything = true } else { hit.insert(host) }
        case .killHost(let host):
            // With it go the guests it carries and those its groups run there.
            hit.insert(host)
            hit.formUnion(facts.carried[host] ?? [])
            // A node the suite does not name (a guest node of a guest it does
            // not list) may have run on the host: where, the suite cannot say.
            hit.formUnion(state.systems.keys.filter { !facts.systems.contains($0) })
            // A Pacemaker guest node whose guest ran there: by the resource
            // named after the guest, or, with none, wherever it ran.
            for (guest, _) in facts.guestNodes {
                let carriers = state.onlineSystems(of: guest)
                if carriers.isEmpty || carriers.contains(host) { guestHit(guest) }
            }
            for group in facts.groupsBySystem[host] ?? [] where state.flags(of: group, on: host) != .offline {
                (facts.guests[group] ?? []).forEach(guestHit)
            }
        case .outerLinksDown:
            // Cut from outside, a nested host's NIC carries its heartbeats too.
            everything = true
        case .unmount(let host, _), .killProcess(.host(let host), _), .outerDiskDetach(let host, _):
            hit.insert(host)
        case .killGuest(let guest), .crashGuest(let guest), .pauseGuest(let guest), .shutdownGuest(let guest),
             .rebootGuest(let guest), .guestLinksDown(let guest, _), .detachDisk(let guest, _), .killProcess(.guest(let guest), _):
            guestHit(guest)
        }
        guard !everything else { return }
        systems.formUnion(hit)
        groups.formUnion(touched)
        // What runs there, or is starting or stopping there.
        for system in hit {
            for group in facts.groupsBySystem[system] ?? [] where state.flags(of: group, on: system) != .offline { groups.insert(group) }
        }
        close(over: facts)
    }

    /// Groups bound to one in scope by a group dependency, either way; and
    /// across clusters, the RemoteGroup groups outside and the groups inside
    /// the guests, which watch or are driven by each other.
    private mutating func close(over facts: ScopeFacts) {
        var queue = Array(groups)
        var crossed = false
        while let group = queue.popLast() {
            var next = facts.bound[group] ?? []
            if !crossed, facts.linked.contains(group) {
                next.formUnion(facts.linked)
                crossed = true
            }
            for other in next where groups.insert(other).inserted { queue.append(other) }
        }
    }
}

/// What the scope of a fault is read from, derived once per suite.
struct ScopeFacts: Sendable {
    var systems: Set<String> = []
    /// The groups whose SystemList names each system.
    var groupsBySystem: [String: [String]] = [:]
    /// Each group's neighbours by a group dependency, either way.
    var bound: [String: Set<String>] = [:]
    /// The guests each group's resources start, stop or watch, and the
    /// groups that do so for each guest.
    var guests: [String: Set<String>] = [:]
    var managers: [String: Set<String>] = [:]
    /// The systems of the cluster inside each guest.
    var guestSystems: [String: [String]] = [:]
    /// The groups inside guests and the RemoteGroup groups that reach them.
    var linked: Set<String> = []
    /// The cluster systems each lab host runs as guests (KVM-KVM).
    var carried: [String: [String]] = [:]
    /// Pacemaker: the guest node each lab guest is (its `node:`).
    var guestNodes: [String: String] = [:]

    init() {}

    init(model: ClusterConfig, cluster: ClusterSpec, lab: LabSpec) {
        systems = Set(model.systems.map(\.name))
        for guest in lab.guests { if let node = guest.node { guestNodes[guest.name] = node } }
        for group in model.groups {
            for entry in group.systemList { groupsBySystem[entry.system, default: []].append(group.name) }
            for dependency in group.groupDependencies {
                bound[group.name, default: []].insert(dependency.child)
                bound[dependency.child, default: []].insert(group.name)
            }
            for entry in group.systemList {
                for resource in group.resources {
                    for guest in ResourceTarget.of(resource, on: entry.system).guests {
                        guests[group.name, default: []].insert(guest)
                        managers[guest, default: []].insert(group.name)
                    }
                }
            }
        }
        for host in lab.hosts where !host.systems.isEmpty { carried[host.name] = host.systems }
        for inner in cluster.guestClusters {
            guestSystems[inner.guest, default: []] += inner.config.systems.map(\.name)
            linked.formUnion(inner.config.groups.map(\.name))
        }
        if !cluster.guestClusters.isEmpty {
            linked.formUnion(cluster.config.groups.filter { $0.resources.contains { $0.type == "RemoteGroup" } }.map(\.name))
        }
    }
}
