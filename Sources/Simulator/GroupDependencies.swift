import VCSConfig
import VCSSemantics

/// Online group dependencies (`requires group C online local|global|remote
/// soft|firm|hard`):
/// - a parent comes online only once its child is online: on the same
///   system (local), anywhere (global) or on another system (remote);
/// - when a child faults, firm and hard parents go offline first, then
///   follow it wherever it comes online again; soft parents stay up;
/// - when a parent of a hard dependency faults, its child is taken offline
///   too and fails over, and the parent follows it.
/// Offline dependencies are not modelled.
extension World {
    /// The online dependencies `group` has on its children.
    func childDependencies(of group: ServiceGroup) -> [GroupDependency] {
        group.groupDependencies.filter { $0.category == .online }
    }

    /// Groups that depend on `child`, with the dependency.
    func parentDependencies(of child: String) -> [(ServiceGroup, GroupDependency)] {
        parentsByChild[child] ?? []
    }

    private mutating func isOnline(_ group: String, on system: String) -> Bool {
        guard let child = config.group(named: group) else { return false }
        return currentFlags(of: child, on: system).contains(.online) && intents[GroupOnSystem(group: group, system: system)] == nil
    }

    private mutating func systems(of group: String) -> [String] {
        config.group(named: group)?.systemList.map(\.system) ?? []
    }

    /// Whether every child is online where `group` needs it on `system`.
    mutating func childrenAllow(_ group: ServiceGroup, on system: String) -> Bool {
        childDependencies(of: group).allSatisfy { dependency in
            switch dependency.locality {
            case .local: isOnline(dependency.child, on: system)
            case .global: systems(of: dependency.child).contains { isOnline(dependency.child, on: $0) }
            case .remote: systems(of: dependency.child).contains { $0 != system && isOnline(dependency.child, on: $0) }
            }
        }
    }

    /// Firm and hard parents of `child` still up where they must go first.
    mutating func parentsBlockOffline(of child: ServiceGroup, on system: String) -> Bool {
        parentDependencies(of: child.name).contains { parent, dependency in
            dependency.strength != .soft && dependency.locality == .local
                && followers.contains(parent.name) && currentFlags(of: parent, on: system).isActive
        }
    }

    /// A child faulted on `system`: its firm and hard parents go offline
    /// there (everywhere for global and remote ones) and will follow it.
    mutating func takeParentsOffline(of child: ServiceGroup, on system: String) {
        for (parent, dependency) in parentDependencies(of: child.name) where dependency.strength != .soft {
            // The engine that saw the fault reaches only its own side.
            let reachable = { (place: String) in place == system || (self.systems[system]?.view.contains(place) == true && self.canTalk(system, place)) }
            let places = dependency.locality == .local ? [system] : parent.systemList.map(\.system).filter(reachable)
            for place in places where holds(parent, on: place) {
                note("\(place): taking \(parent.name) offline: it requires \(child.name) (\(dependency.locality.rawValue) \(dependency.strength.rawValue))")
                followers.insert(parent.name)
                takeOffline(parent, on: place, failover: false)
            }
        }
    }

    /// A parent of a hard local dependency faulted on `system`: its
    /// failover children go offline there and fail over; it will follow
    /// them. A parallel child runs everywhere already and stays.
    /// Returns true when it did, so the parent does not fail over alone.
    mutating func takeHardChildrenAlong(_ parent: ServiceGroup, on system: String) -> Bool {
        let children = childDependencies(of: parent).filter { $0.strength == .hard && $0.locality == .local }
            .compactMap { config.group(named: $0.child) }.filter { !$0.isParallel && holds($0, on: system) }
        guard !children.isEmpty else { return false }
        followers.insert(parent.name)
        for child in children {
            note("\(system): \(parent.name) faulted: its hard child \(child.name) fails over with it")
            takeOffline(child, on: system, failover: child.autoFailOver)
        }
        return true
    }

    /// `group` is online on `system`: waiting parents start, followers follow.
    mutating func groupCameOnline(_ group: ServiceGroup, on system: String) {
        for (parent, _) in parentDependencies(of: group.name) {
            for entry in parent.systemList where intents[GroupOnSystem(group: parent.name, system: entry.system)] == .online {
                progress(parent, on: entry.system)
            }
            if followers.contains(parent.name), !parent.systemList.contains(where: { holds(parent, on: $0.system) }) {
                followers.remove(parent.name)
                failOver(parent, from: "", decider: system)
            }
        }
    }

    /// `group` went offline on `system`: children waiting for it go on.
    /// A follower whose children came back while it was still going
    /// offline follows them now: nothing else would wake it.
    mutating func groupWentOffline(_ group: ServiceGroup, on system: String) {
        for dependency in childDependencies(of: group) {
            guard let child = config.group(named: dependency.child),
                  case .offline? = intents[GroupOnSystem(group: child.name, system: system)] else { continue }
            progress(child, on: system)
        }
        guard followers.contains(group.name), !group.systemList.contains(where: { holds(group, on: $0.system) }) else { return }
        let childrenBack = childDependencies(of: group).allSatisfy { dependency in
            guard let child = config.group(named: dependency.child) else { return false }
            return child.systemList.contains { isOnline(child.name, on: $0.system) }
        }
        guard childrenBack else { return }
        followers.remove(group.name)
        failOver(group, from: "", decider: system)
    }
}
