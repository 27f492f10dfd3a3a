import VCSConfig

/// FailOverPolicy, as VCS spells it; Priority unless the group says otherwise.
public enum FailOverPolicy: String, Sendable {
    case priority = "Priority"
    case roundRobin = "RoundRobin"
    case load = "Load"

    public init(of group: ServiceGroup) {
        self = group.scalar("FailOverPolicy").flatMap(FailOverPolicy.init(rawValue:)) ?? .priority
    }
}

/// What failover needs to know of the cluster at one instant. The
/// simulator answers from its own state; target resolution and the planner
/// from a `ClusterState`.
public protocol PlacementView {
    /// The system runs and is a member that can take groups.
    func accepts(_ system: String) -> Bool
    /// The group has faulted there and not been cleared.
    func isFaulted(_ group: String, on system: String) -> Bool
    /// The group is online, partly online or coming online there.
    func holds(_ group: String, on system: String) -> Bool
}

extension ClusterConfig {
    /// Where VCS fails `group` over to from `failed`: among the systems of
    /// its SystemList that accept it (and `allowed` ones, for what only the
    /// caller knows), the one its FailOverPolicy picks. Priority takes the
    /// lowest SystemList number; RoundRobin the system holding the fewest
    /// groups; Load the one with the most AvailableCapacity (Capacity, 100
    /// by default, less the Load of the groups it holds). Ties go by
    /// priority. Nil when no system can take it.
    public func failoverTarget(of group: ServiceGroup, from failed: String, in view: some PlacementView,
                               ignoringDependencies: Bool = false, allowed: (String) -> Bool = { _ in true }) -> String? {
        let eligible = group.systemList.map(\.system).filter { candidate in
            candidate != failed && view.accepts(candidate) && !view.isFaulted(group.name, on: candidate)
                && !view.holds(group.name, on: candidate)
                && (ignoringDependencies || dependenciesAllow(group, on: candidate, in: view))
                && allowed(candidate)
        }
        return choose(among: eligible, for: group, in: view)
    }

    /// The system FailOverPolicy picks among `eligible`, given in priority order.
    public func choose(among eligible: [String], for group: ServiceGroup, in view: some PlacementView) -> String? {
        let policy = FailOverPolicy(of: group)
        guard policy != .priority, eligible.count > 1 else { return eligible.first }
        let score: (String) -> Int = switch policy {
        case .roundRobin: { system in self.groupsHeld(on: system, in: view).count }
        case .load: { system in -self.availableCapacity(of: system, in: view) }
        case .priority: { _ in 0 }
        }
        let scores = eligible.map(score)
        return eligible.indices.min { (scores[$0], $0) < (scores[$1], $1) }.map { eligible[$0] }
    }

    /// Capacity (100 unless the system sets it) less the Load of the groups it holds.
    public func availableCapacity(of system: String, in view: some PlacementView) -> Int {
        let capacity = systems.first { $0.name == system }?.integer("Capacity") ?? 100
        return capacity - groupsHeld(on: system, in: view).map { $0.integer("Load") ?? 0 }.reduce(0, +)
    }

    /// The groups whose SystemList names `system` and that it holds.
    public func groupsHeld(on system: String, in view: some PlacementView) -> [ServiceGroup] {
        groups(listing: system).filter { view.holds($0.name, on: system) }
    }

    /// Whether the groups `group` requires online are, or are coming,
    /// online where it needs them if it runs on `system`.
    public func dependenciesAllow(_ group: ServiceGroup, on system: String, in view: some PlacementView) -> Bool {
        group.groupDependencies.filter { $0.category == .online }.allSatisfy { dependency in
            guard let child = self.group(named: dependency.child) else { return false }
            return switch dependency.locality {
            case .local: view.holds(child.name, on: system)
            case .global: child.systemList.contains { view.holds(child.name, on: $0.system) }
            case .remote: child.systemList.contains { $0.system != system && view.holds(child.name, on: $0.system) }
            }
        }
    }

    /// Where each of `lost` goes when `system` leaves the cluster, decided
    /// one group after the other in configuration order, as the surviving
    /// engine does: each choice counts the groups placed before it.
    public func failoverTargets(of lost: [ServiceGroup], from system: String, in view: some PlacementView) -> [String: String] {
        var placed = Placed(base: view, lost: Set(lost.map(\.name)), from: system)
        var targets: [String: String] = [:]
        // Children before their parents: a parent follows what it requires.
        for group in childrenFirst(groups) where placed.lost.contains(group.name) && failsOver(group) && !isFrozen(group) && !group.isParallel {
            guard let target = failoverTarget(of: group, from: system, in: placed) else { continue }
            targets[group.name] = target
            placed.extra.insert(GroupPlace(group: group.name, system: target))
        }
        return targets
    }
}

extension ClusterConfig {
    /// `groups` in their order, except that each comes after the groups it
    /// requires online (a cycle keeps the configuration's order).
    func childrenFirst(_ groups: [ServiceGroup]) -> [ServiceGroup] {
        var ordered: [ServiceGroup] = [], done: Set<String> = [], visiting: Set<String> = []
        func visit(_ group: ServiceGroup) {
            guard !done.contains(group.name), visiting.insert(group.name).inserted else { return }
            for dependency in group.groupDependencies where dependency.category == .online {
                if let child = groups.first(where: { $0.name == dependency.child }) { visit(child) }
            }
            visiting.remove(group.name)
            if done.insert(group.name).inserted { ordered.append(group) }
        }
        groups.forEach(visit)
        return ordered
    }
}

private struct GroupPlace: Hashable {
    let group: String
    let system: String
}

/// A view with some groups gone from one system and others placed.
private struct Placed<Base: PlacementView>: PlacementView {
    let base: Base
    let lost: Set<String>
    let from: String
    var extra: Set<GroupPlace> = []

    func accepts(_ system: String) -> Bool { system != from && base.accepts(system) }
    func isFaulted(_ group: String, on system: String) -> Bool { base.isFaulted(group, on: system) }
    func holds(_ group: String, on system: String) -> Bool {
        if extra.contains(GroupPlace(group: group, system: system)) { return true }
        if system == from && lost.contains(group) { return false }
        return base.holds(group, on: system)
    }
}

/// A probe's observation of the cluster as a placement view.
public struct ObservedCluster: PlacementView {
    public let config: ClusterConfig
    public let state: ClusterState

    public init(config: ClusterConfig, state: ClusterState) {
        self.config = config
        self.state = state
    }

    public func accepts(_ system: String) -> Bool { state.systems[system] == .running }

    public func isFaulted(_ group: String, on system: String) -> Bool { state.flags(of: group, on: system).contains(.faulted) }

    /// Online or partly online, or starting and not waiting for groups it
    /// requires that are not coming where it needs them: a parent that can
    /// never start there holds nothing.
    public func holds(_ group: String, on system: String) -> Bool {
        let flags = state.flags(of: group, on: system)
        if flags.isActive { return true }
        guard flags.contains(.starting), let definition = config.group(named: group) else { return false }
        return config.dependenciesAllow(definition, on: system, in: self)
    }
}
