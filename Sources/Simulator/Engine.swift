import Libvirt
import VCSConfig
import VCSSemantics

/// Service groups and resources: online child-first, offline parent-first,
/// monitors, faults, clean and failover (FailOverPolicy Priority).
extension World {
    mutating func clusterStart() {
        for name in systems.keys.sorted() {
            systems[name]!.running = true
            systems[name]!.member = true
            systems[name]!.view = Set(systems.keys)
        }
        let names = systems.keys.sorted()
        for (i, a) in names.enumerated() {
            for b in names[(i + 1)...] { pairConnected[SystemPair(a, b)] = canTalk(a, b) }
        }
        note("cluster \(config.name) started on \(config.systems.map(\.name).joined(separator: ", "))")
        for group in config.groups {
            var targets = config.autoStartSystems(of: group)
            if let system = settings.startOn[group.name] { targets = [system] }
            for system in targets { bringOnline(group, on: system) }
        }
    }

    mutating func bringOnline(_ group: ServiceGroup, on system: String) {
        note("\(system): bringing \(group.name) online")
        intents[GroupOnSystem(group: group.name, system: system)] = .online
        progress(group, on: system)
    }

    mutating func takeOffline(_ group: ServiceGroup, on system: String, failover: Bool, switchTo: String? = nil) {
        intents[GroupOnSystem(group: group.name, system: system)] = .offline(failover: failover, switchTo: switchTo)
        progress(group, on: system)
    }

    /// Starts whatever agent operations the group's intent allows now.
    mutating func progress(_ group: ServiceGroup, on system: String) {
        let slot = GroupOnSystem(group: group.name, system: system)
        guard let intent = intents[slot], systems[system]?.running == true else { return }
        switch intent {
        case .online:
            guard childrenAllow(group, on: system) else { return }
            var allOnline = true, moving = false, blocked = false
            for name in ResourceOrder.onlineOrder(of: group) {
                let key = ResourceKey(group: group.name, resource: name, system: system)
                let state = resources[key] ?? .offline
                if state != .online { allOnline = false }
                if state == .goingOnline || state == .goingOffline || state == .cleaning { moving = true }
                if state == .faulted || state == .adminWait || state == .stuck { blocked = true }
                guard state == .offline else { continue }
                let childrenOnline = group.children(of: name).allSatisfy {
                    resources[ResourceKey(group: group.name, resource: $0, system: system)] == .online
                }
                if childrenOnline {
                    start(.online, key)
                    moving = true
                }
            }
            if allOnline {
                intents[slot] = nil
                note("\(system): \(group.name) is ONLINE")
                groupCameOnline(group, on: system)
            } else if blocked && !moving {
                // A resource that is not critical faulted on the way: what
                // needs it never starts, and the online ends there.
                intents[slot] = nil
                note("\(system): \(group.name) comes no further online: a resource it needs is FAULTED")
            }
        case .offline(let failover, let switchTo):
            if parentsBlockOffline(of: group, on: system) { return }
            var busy = false
            for name in ResourceOrder.offlineOrder(of: group) {
                let key = ResourceKey(group: group.name, resource: name, system: system)
                guard !persistent.contains(name) else { continue }
                let state = resources[key] ?? .offline
                if state != .offline && state != .faulted { busy = true }
                guard state == .online else { continue }
                // A persistent parent is never taken offline, so it does not hold its children up.
                let parentsDown = group.parents(of: name).allSatisfy {
                    let parent = resources[ResourceKey(group: group.name, resource: $0, system: system)] ?? .offline
                    return parent == .offline || parent == .faulted || persistent.contains($0)
                }
                if parentsDown { start(.offline, key) }
            }
            if !busy {
                intents[slot] = nil
                note("\(system): \(group.name) is OFFLINE")
                groupWentOffline(group, on: system)
                if failover, retryInPlace(group, on: system) { return }
                if failover { failOver(group, from: system, decider: system) }
                if let switchTo, systems[switchTo]?.running == true { bringOnline(group, on: switchTo) }
            }
        }
    }

    /// The group's OnlineRetryLimit: a faulted group is brought online
    /// again where it was, that many times, before it fails over.
    mutating func retryInPlace(_ group: ServiceGroup, on system: String) -> Bool {
        let slot = GroupOnSystem(group: group.name, system: system)
        let limit = group.integer("OnlineRetryLimit") ?? 0, used = groupRetries[slot, default: 0]
        guard used < limit, systems[system]?.running == true else { return false }
        groupRetries[slot] = used + 1
        for resource in group.resources {
            let key = ResourceKey(group: group.name, resource: resource.name, system: system)
            if resources[key] == .faulted { resources[key] = .offline }
        }
        note("\(system): restarting \(group.name) in place (\(used + 1) of OnlineRetryLimit \(limit))")
        bringOnline(group, on: system)
        return true
    }

    /// Brings `group` online on the best system `decider` can see.
    mutating func failOver(_ group: ServiceGroup, from failed: String, decider: String) {
        guard !isFrozen(group) else {
            note("\(decider): \(group.name) is frozen: no failover")
            return
        }
        let view = systems[decider]?.view ?? []
        refreshGroups()
        let row = cachedState.groups[group.name] ?? [:]
        let alreadyThere = group.systemList.contains { entry in
            entry.system != failed && view.contains(entry.system) && holds(group, on: entry.system, flags: row[entry.system])
        }
        if alreadyThere { return }
        // Not where an operation of the group is under way already.
        func free(_ system: String) -> Bool { intents[GroupOnSystem(group: group.name, system: system)] == nil }
        // With no free candidate in the decider's view, the shared rule finds none.
        let reachable = group.systemList.contains { $0.system != failed && view.contains($0.system) && free($0.system) }
        guard reachable else {
            note("\(decider): no system left to fail \(group.name) over to")
            return
        }
        let placement = placement(decidedBy: decider)
        guard let target = config.failoverTarget(of: group, from: failed, in: placement, allowed: free) else {
            // It waits for the groups it requires only if a system could
            // take it once they are there.
            if !childDependencies(of: group).isEmpty,
               config.failoverTarget(of: group, from: failed, in: placement, ignoringDependencies: true, allowed: free) != nil {
                followers.insert(group.name)
                note("\(decider): \(group.name) waits for the groups it requires")
                return
            }
            note("\(decider): no system left to fail \(group.name) over to")
            return
        }
        note(failed.isEmpty ? "\(decider): \(group.name) follows the groups it requires to \(target)"
             : "\(decider): failing \(group.name) over from \(failed) to \(target)")
        bringOnline(group, on: target)
    }

    /// A resource went down unexpectedly: clean it, and if it is critical
    /// take its group offline and fail it over.
    mutating func fault(_ key: ResourceKey) {
        guard let group = config.group(named: key.group), let resource = group.resource(named: key.resource) else { return }
        note("\(key): FAULTED")
        if isFrozen(group) {
            // A frozen group: VCS reports the fault and takes no action.
            resources[key] = .faulted
            note("\(key.system): \(group.name) is frozen: no clean, no failover")
            return
        }
        if group.scalar("ManageFaults") == "NONE" {
            // ManageFaults NONE: no clean and no failover; an administrator
            // must act (hagrp -clearadminwait).
            resources[key] = .adminWait
            note("\(key): ADMIN_WAIT (ManageFaults NONE): no clean, no failover")
            return
        }
        start(.clean, key)
        guard resource.isCritical else { return }
        let autoFailOver = group.autoFailOver
        takeParentsOffline(of: group, on: key.system)
        let childrenLead = autoFailOver && takeHardChildrenAlong(group, on: key.system)
        takeOffline(group, on: key.system, failover: autoFailOver && !childrenLead)
    }

    func flags(of group: ServiceGroup, on system: String) -> GroupFlags {
        Self.flags(of: group, on: system, resources: resources, intents: intents, books: books, persistent: persistent)
    }

    /// A group's flags on a system, from its resources' states and its intent there.
    static func flags(of group: ServiceGroup, on system: String, resources: SlotTable<ResourceKey, ResourceState>,
                      intents: SlotTable<GroupOnSystem, GroupIntent>, books: [ResourceKey: ResourceBook],
                      persistent: Set<String>) -> GroupFlags {
        var up = 0, down = 0, faulted = false, adminWait = false
        for resource in group.resources {
            let key = ResourceKey(group: group.name, resource: resource.name, system: system)
            let state = resources[key] ?? .offline
            if state == .faulted || state == .stuck || state == .adminWait
                || (state == .cleaning && books[key]?.cleanPurpose == nil) { faulted = true }
            if state == .adminWait { adminWait = true }
            if persistent.contains(resource.name) { continue }
            if state == .online || state == .goingOffline || state == .stuck { up += 1 } else { down += 1 }
        }
        var flags: GroupFlags = up == 0 ? .offline : (down == 0 ? .online : [.online, .partial])
        if adminWait {
            flags.insert(.adminWait)
        } else if faulted {
            flags.insert(.faulted)
        }
        switch intents[GroupOnSystem(group: group.name, system: system)] {
        case .online?: flags.insert(.starting)
        case .offline?: flags.insert(.stopping)
        case nil: break
        }
        return flags
    }

    func onlineTimeout(of resource: Resource, on system: String) -> Duration {
        .seconds(config.integer("OnlineTimeout", of: resource, on: system) ?? 300)
    }

    func isFrozen(_ group: ServiceGroup) -> Bool { frozenGroups.contains(group.name) }

    /// The cluster as `decider` sees it, for the shared failover rules: it
    /// can only start a group where its heartbeats reach.
    mutating func placement(decidedBy decider: String?) -> WorldPlacement {
        refreshGroups()
        return WorldPlacement(world: self, decider: decider)
    }

    /// The group is online or partly online on `system`, or coming online
    /// there: starting, and not waiting for groups it requires that are
    /// not coming where it needs them (the shared rule, `ObservedCluster`).
    mutating func holdsNow(_ group: ServiceGroup, on system: String) -> Bool {
        placement(decidedBy: nil).holds(group, on: system)
    }

    /// `holdsNow`, from the cached flags.
    mutating func holds(_ group: ServiceGroup, on system: String) -> Bool {
        holds(group, on: system, flags: currentFlags(of: group, on: system))
    }

    /// `holds`, given the group's cached flags there (nil: off its SystemList).
    mutating func holds(_ group: ServiceGroup, on system: String, flags: GroupFlags?) -> Bool {
        guard let flags else { return holdsNow(group, on: system) }
        guard !flags.isActive else { return true }
        return flags.contains(.starting) && (group.groupDependencies.isEmpty || holdsNow(group, on: system))
    }

    /// The group's flags on a system of its SystemList, from the cache.
    mutating func currentFlags(of group: ServiceGroup, on system: String) -> GroupFlags {
        refreshGroups()
        return cachedState.groups[group.name]?[system] ?? flags(of: group, on: system)
    }

    /// `ResourceTarget.of`, computed once per resource and system.
    func target(of resource: Resource, on system: String) -> ResourceTarget {
        targets[ResourceKey(group: "", resource: resource.name, system: system)] ?? ResourceTarget.of(resource, on: system)
    }
}

extension World {
    /// `hagrp -switch group -to system`: offline where it runs, then online
    /// on `system`. Does nothing when it already runs there.
    mutating func switchGroup(_ name: String, to system: String) throws(SimulatorError) {
        guard let group = config.group(named: name) else { throw SimulatorError("no group '\(name)'") }
        guard group.systemList.contains(where: { $0.system == system }) else {
            throw SimulatorError("\(system) is not in \(name)'s SystemList")
        }
        guard !group.isParallel else { throw SimulatorError("\(name) is a parallel group: it cannot be switched") }
        guard systems[system]?.running == true else { throw SimulatorError("\(system) is not running") }
        let active = group.systemList.map(\.system).filter { holds(group, on: $0) }
        guard active != [system] else { return }
        note("switching \(name) to \(system)")
        if let from = active.first {
            takeOffline(group, on: from, failover: false, switchTo: system)
        } else {
            bringOnline(group, on: system)
        }
        performPendingActions()
    }
}

/// The world's answers to the shared failover rules, as `decider` sees
/// it (nil: as the cluster is).
struct WorldPlacement: PlacementView {
    let decider: String?
    private let config: ClusterConfig
    private let systems: [String: SystemRuntime]
    /// The flags of every group on every system of its SystemList, brought
    /// up to date (`World.refreshGroups`).
    private let groupFlags: [String: [String: GroupFlags]]
    private let blockedPairs: Set<SystemPair>
    private let links: [String: LinkKind]
    /// The decider's membership.
    private let view: Set<String>

    /// What the rules read of `world`, without copying the rest of it.
    fileprivate init(world: borrowing World, decider: String?) {
        self.decider = decider
        config = world.config
        systems = world.systems
        groupFlags = world.cachedState.groups
        blockedPairs = world.blockedPairs
        links = world.settings.links
        view = decider.flatMap { world.systems[$0]?.view } ?? []
    }

    func accepts(_ system: String) -> Bool {
        guard let decider else { return true }
        return view.contains(system) && systems[system]?.running == true
            && (system == decider || World.canTalk(decider, system, systems: systems, blockedPairs: blockedPairs, links: links))
    }

    func isFaulted(_ group: String, on system: String) -> Bool {
        flags(of: group, on: system).contains(.faulted)
    }

    func holds(_ group: String, on system: String) -> Bool {
        config.group(named: group).map { holds($0, on: system) } ?? false
    }

    /// `World.holds`, read from this copy.
    func holds(_ group: ServiceGroup, on system: String) -> Bool {
        let flags = flags(of: group.name, on: system)
        if flags.isActive { return true }
        guard flags.contains(.starting) else { return false }
        return config.dependenciesAllow(group, on: system, in: self)
    }

    /// Off its SystemList a group never ran: OFFLINE.
    private func flags(of group: String, on system: String) -> GroupFlags {
        groupFlags[group]?[system] ?? .offline
    }
}
