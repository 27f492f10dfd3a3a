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
    /// The cluster's scheduler's answer for the first fault, which `next`
    /// takes over main.cf's rules; or why it gave none.
    var scheduled: Result<SchedulerAnswer, HarnessError>?
    /// Each system that runs as a guest, and the host that carries it.
    var carriers: [String: String] = [:]

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
        switch scheduled {
        case .success(let answer):
            let nodes = answer.placements[group] ?? []
            guard nodes.count == 1 else {
                throw HarnessError("Pacemaker's scheduler says \(group) runs "
                                   + (nodes.isEmpty ? "nowhere" : "on \(nodes.joined(separator: ", "))") + " once the cluster settles after this fault")
            }
            return nodes[0]
        case .failure(let problem):
            throw HarnessError("next(\(group)) cannot be predicted: \(problem)")
        case nil: break
        }
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

    /// The host that carries `name` when it is a system running as a guest
    /// (KVM-KVM); otherwise `name`.
    func carrier(of name: String) -> String { carriers[name] ?? name }

    func host(_ ref: HostRef) throws -> String {
        switch ref {
        case .named(let name): name
        case .active(let group): try active(group)
        case .next(let group): try next(group)
        }
    }

    /// The suite's fault with every name resolved (`active(G)`, `next(G)`,
    /// every link), as the typed fault its kind makes.
    func fault(_ spec: FaultSpec, links allLinks: [String]) throws -> Fault {
        let targets: FaultTargets = switch spec.target {
        case .guest(let guest): FaultTargets(guest: guest)
        case .guestAt(let ref): FaultTargets(guest: try host(ref))
        // kill-host and pause-host: a host may be named through the system it carries (KVM-KVM: active(G)).
        case .host(let ref): FaultTargets(host: carrier(of: try host(ref)))
        case .links(let ref, let links): FaultTargets(host: try host(ref), links: links.isEmpty ? allLinks : links)
        case .mount(let ref, let mount): FaultTargets(host: try host(ref), mount: mount)
        case .guestLinks(let guest, let macs): FaultTargets(guest: try host(guest), links: macs)
        case .disk(let guest, let device): FaultTargets(guest: guest, device: device)
        case .outerLinks(let ref, let macs): FaultTargets(host: try host(ref), links: macs, outer: true)
        case .outerDisk(let ref, let device): FaultTargets(host: try host(ref), device: device, outer: true)
        case .process(let ref, let process): FaultTargets(host: try host(ref), process: process)
        case .guestProcess(let guest, let process): FaultTargets(guest: try host(guest), process: process)
        case .partition(let sides): FaultTargets(sides: sides)
        }
        do { return try Fault(kind: spec.kind, targets: targets) } catch { throw HarnessError("\(spec.description): \(error)") }
    }

    /// The system an expectation names, or nil for `any`.
    func system(for expectation: Expectation) throws -> String? {
        switch expectation.kind {
        case .stays: try active(expectation.group)
        case .online(.named(let name)): name
        case .online(.next): try next(expectation.group)
        case .online(.any), .offlineEverywhere, .noConcurrencyViolation: nil
        case .onlineElsewhere(let system), .faulted(let system), .promoted(let system), .systemState(let system, _): system
        }
    }
}
