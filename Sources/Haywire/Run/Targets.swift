import VCSConfig
import VCSSemantics

/// Resolves `active(G)`, `next(G)` and `next` from main.cf and the state at
/// fault time, with the failover rules the simulator and the planner use
/// (FailOverPolicy, Capacity and Load, group dependencies).
struct Targets {
    let config: ClusterConfig
    let state: ClusterState
    /// The system the first fault takes out of the cluster whole (a power
    /// loss, a frozen host, every link cut): its groups fail over together,
    /// one after the other, which RoundRobin and Load must count.
    var lostSystem: String?

    init(config: ClusterConfig, state: ClusterState, firstFault: FaultSpec? = nil) {
        self.config = config
        self.state = state
        lostSystem = nil
        if let firstFault { lostSystem = try? systemLost(by: firstFault) }
    }

    func active(_ group: String) throws -> String {
        guard let system = state.onlineSystems(of: group).first else {
            throw HarnessError("group \(group) is online nowhere at fault time: \(state.summary(of: group))")
        }
        return system
    }

    func next(_ group: String) throws -> String {
        let active = try active(group)
        guard let definition = config.group(named: group) else { throw HarnessError("no group \(group) in the configuration") }
        let target: String?
        let view = ObservedCluster(config: config, state: state)
        if lostSystem == active {
            let lost = config.groups(listing: active).filter { view.holds($0.name, on: active) }
            target = config.failoverTargets(of: lost, from: active, in: view)[group]
        } else {
            target = config.failoverTarget(of: definition, from: active, in: view)
        }
        guard let target else {
            throw HarnessError("group \(group) has no system to fail over to from \(active)")
        }
        return target
    }

    private func systemLost(by fault: FaultSpec) throws -> String? {
        switch (fault.kind, fault.target) {
        case (.killHost, .host(let ref)), (.pauseHost, .host(let ref)), (.linkDown, .links(let ref, [])):
            return try host(ref)
        case (.killGuest, .guestAt(let ref)), (.crashGuest, .guestAt(let ref)):
            return try host(ref)
        case (.killGuest, .guest(let name)), (.crashGuest, .guest(let name)):
            return config.systems.contains { $0.name == name } ? name : nil
        default:
            return nil
        }
    }

    func host(_ ref: HostRef) throws -> String {
        switch ref {
        case .named(let name): name
        case .active(let group): try active(group)
        case .next(let group): try next(group)
        }
    }

    func fault(_ spec: FaultSpec, links allLinks: [String]) throws -> ResolvedFault {
        switch spec.target {
        case .guest(let guest):
            return ResolvedFault(kind: spec.kind, guest: guest, duration: spec.duration)
        case .guestAt(let ref):
            return ResolvedFault(kind: spec.kind, guest: try host(ref), duration: spec.duration)
        case .host(let ref):
            return ResolvedFault(kind: spec.kind, host: try host(ref), duration: spec.duration)
        case .links(let ref, let links):
            return ResolvedFault(kind: spec.kind, host: try host(ref), links: links.isEmpty ? allLinks : links, duration: spec.duration)
        case .mount(let ref, let mount):
            return ResolvedFault(kind: spec.kind, host: try host(ref), mount: mount, duration: spec.duration)
        case .guestLinks(let guest, let macs):
            return ResolvedFault(kind: spec.kind, guest: guest, links: macs, duration: spec.duration)
        case .disk(let guest, let device):
            return ResolvedFault(kind: spec.kind, guest: guest, device: device, duration: spec.duration)
        case .process(let ref, let process):
            return ResolvedFault(kind: spec.kind, host: try host(ref), process: process, duration: spec.duration)
        case .guestProcess(let guest, let process):
            return ResolvedFault(kind: spec.kind, guest: guest, process: process, duration: spec.duration)
        case .partition(let sides):
            var fault = ResolvedFault(kind: spec.kind, duration: spec.duration)
            fault.sides = sides
            return fault
        }
    }

    /// The system an expectation names, or nil for `any`.
    func system(for expectation: Expectation) throws -> String? {
        switch expectation.kind {
        case .stays: try active(expectation.group)
        case .online(.named(let name)): name
        case .online(.next): try next(expectation.group)
        case .online(.any), .offlineEverywhere, .noConcurrencyViolation: nil
        case .onlineElsewhere(let system), .faulted(let system), .systemState(let system, _): system
        }
    }
}
