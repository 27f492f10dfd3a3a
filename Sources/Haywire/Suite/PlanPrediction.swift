import VCSConfig
import VCSSemantics

/// What the plan expects of the cluster before a fault: where every group
/// runs once it has started and the scenario's `given:` has moved one.
extension Planner {
    /// A group with no AutoStartList that no group starting by itself
    /// waits for: where the operator puts it decides its fate.
    func operatorStarted(_ group: ServiceGroup) -> Bool {
        !config.groups.contains { starting.contains($0.name) && $0.groupDependencies.contains { $0.child == group.name } }
    }

    /// What `given:` brings online before `group` on `system`, children
    /// first: each group it requires online that nothing starts (a local
    /// one on the same system, another on the first of its SystemList), as
    /// an operator would before `hagrp -online`. Nil when one of them
    /// cannot be placed; empty when `group` starts by itself.
    func givenChain(_ group: ServiceGroup, on system: String, visiting: Set<String> = []) -> [(group: ServiceGroup, system: String)]? {
        guard group.autoStartList.isEmpty, !visiting.contains(group.name) else { return group.autoStartList.isEmpty ? nil : [] }
        var chain: [(group: ServiceGroup, system: String)] = []
        for dependency in group.groupDependencies where dependency.category == .online {
            guard let child = config.group(named: dependency.child) else { return nil }
            if starting.contains(child.name) { continue }
            let place = dependency.locality == .local ? system
                : child.systemList.map(\.system).first { dependency.locality == .global || $0 != system }
            guard let place, child.systemList.contains(where: { $0.system == place }), config.canComeOnline(child),
                  let below = givenChain(child, on: place, visiting: visiting.union([group.name])) else { return nil }
            for entry in below + [(child, place)] where !chain.contains(where: { $0.group.name == entry.group.name }) { chain.append(entry) }
        }
        return chain
    }

    /// Where a resource fault of `group` on `active` sends it.
    func expectedTarget(of group: ServiceGroup, from active: String) -> String? {
        config.failoverTarget(of: group, from: active, in: ObservedCluster(config: config, state: predictedSteadyState(with: group, on: active)))
    }

    /// The cluster as the plan expects it when the fault comes: every
    /// system running, every group that comes online by itself where it
    /// starts, and `group` switched to `active` (the scenario's `given:`).
    func predictedSteadyState(with group: ServiceGroup, on active: String) -> ClusterState {
        // `given:` switches the group once the cluster has started; what it
        // leaves behind stays up (its soft parents), and what waited for it
        // elsewhere may start.
        var cluster = started
        // What `given:` brings online first, then the group.
        for (child, system) in givenChain(group, on: active) ?? [] {
            cluster.waiting.removeAll { $0.name == child.name }
            cluster.place(child, on: [system])
        }
        cluster.waiting.removeAll { $0.name == group.name }
        cluster.place(group, on: [active])
        cluster.startWhatCan(config)
        for other in cluster.waiting { cluster.place(other, on: []) }
        return cluster.state
    }

    /// Where `group` goes from `active` after a resource fault and after
    /// the loss of `active`, and why the target may not be knowable.
    func outlook(for group: ServiceGroup, on active: String) -> PlanOutlook {
        let predicted = predictedSteadyState(with: group, on: active)
        let steady = ObservedCluster(config: config, state: predicted)
        let parents = config.groups.filter { parent in
            parent.groupDependencies.contains { $0.category == .online && $0.child == group.name && $0.strength != .soft }
        }
        // A resource fault takes the group's firm and hard parents offline
        // before it fails over: they no longer count where they ran.
        var withoutParents = predicted
        for parent in parents { withoutParents.groups[parent.name] = nil }
        let lost = config.groups(listing: active).filter { steady.holds($0.name, on: active) }
        // Parents elsewhere go offline as it does, racing its own offline:
        // RoundRobin and Load count them or not.
        let racing = parents.filter { parent in
            parent.groupDependencies.contains { $0.child == group.name && $0.locality != .local }
                && !predicted.activeSystems(of: parent.name).isEmpty
        }
        let policy = FailOverPolicy(of: group)
        return PlanOutlook(
            afterResourceFault: config.failoverTarget(of: group, from: active, in: ObservedCluster(config: config, state: withoutParents)),
            afterSystemLoss: config.failoverTargets(of: lost, from: active, in: steady)[group.name],
            lost: lost,
            parentRace: racing.isEmpty || policy == .priority ? nil
                : "\(racing.map(\.name).joined(separator: ", ")) go offline as \(group.name) does, and \(policy.rawValue) counts them or not by which finishes first, so any other system will do")
    }
}

struct PlanOutlook {
    let afterResourceFault: String?
    let afterSystemLoss: String?
    /// The groups that leave `active` with it when it is lost.
    let lost: [ServiceGroup]
    /// Why its target after a resource fault cannot be known in advance.
    let parentRace: String?
}

/// The cluster once it has started, before any `given:`: every group online
/// where it starts once what it requires is there, and those still waiting.
struct StartedCluster: Sendable {
    var state = ClusterState()
    var waiting: [ServiceGroup]

    init(_ config: ClusterConfig) {
        for system in config.systems { state.systems[system.name] = .running }
        waiting = config.groups.filter { config.canComeOnline($0) && !config.autoStartSystems(of: $0).isEmpty }
        startWhatCan(config)
    }

    mutating func place(_ group: ServiceGroup, on places: [String]) {
        var perSystem: [String: GroupFlags] = [:]
        for entry in group.systemList { perSystem[entry.system] = places.contains(entry.system) ? .online : .offline }
        state.groups[group.name] = perSystem
    }

    /// Starts every waiting group whose required groups are where it needs them, until none is left that can.
    mutating func startWhatCan(_ config: ClusterConfig) {
        var progressed = true
        while progressed {
            progressed = false
            for other in waiting {
                let places = config.autoStartSystems(of: other)
                let view = ObservedCluster(config: config, state: state)
                guard places.allSatisfy({ config.dependenciesAllow(other, on: $0, in: view) }) else { continue }
                place(other, on: places)
                waiting.removeAll { $0.name == other.name }
                progressed = true
            }
        }
    }
}
