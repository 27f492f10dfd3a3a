import Libvirt
import VCSConfig

/// Service groups and resources: online child-first, offline parent-first,
/// monitors, faults, clean and failover (FailOverPolicy Priority).
extension Simulator {
    func clusterStart() {
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
            var targets = group.isParallel ? group.autoStartList : Array(group.autoStartList.prefix(1))
            if let system = settings.startOn[group.name] { targets = [system] }
            for system in targets { bringOnline(group, on: system) }
        }
    }

    func bringOnline(_ group: ServiceGroup, on system: String) {
        note("\(system): bringing \(group.name) online")
        intents[GroupOnSystem(group: group.name, system: system)] = .online
        progress(group, on: system)
    }

    func takeOffline(_ group: ServiceGroup, on system: String, failover: Bool, switchTo: String? = nil) {
        intents[GroupOnSystem(group: group.name, system: system)] = .offline(failover: failover, switchTo: switchTo)
        progress(group, on: system)
    }

    /// Starts whatever agent operations the group's intent allows now.
    func progress(_ group: ServiceGroup, on system: String) {
        let slot = GroupOnSystem(group: group.name, system: system)
        guard let intent = intents[slot], systems[system]?.running == true else { return }
        switch intent {
        case .online:
            guard childrenAllow(group, on: system) else { return }
            var allOnline = true
            for name in ResourceOrder.onlineOrder(of: group) {
                let key = ResourceKey(group: group.name, resource: name, system: system)
                let state = resources[key] ?? .offline
                if state != .online { allOnline = false }
                guard state == .offline else { continue }
                let childrenOnline = group.children(of: name).allSatisfy {
                    resources[ResourceKey(group: group.name, resource: $0, system: system)] == .online
                }
                if childrenOnline { start(.online, key) }
            }
            if allOnline {
                intents[slot] = nil
                note("\(system): \(group.name) is ONLINE")
                groupCameOnline(group, on: system)
            }
        case .offline(let failover, let switchTo):
            if parentsBlockOffline(of: group, on: system) { return }
            var busy = false
            for name in ResourceOrder.offlineOrder(of: group) {
                let key = ResourceKey(group: group.name, resource: name, system: system)
                guard let resource = group.resource(named: name), !isPersistent(resource, on: system) else { continue }
                let state = resources[key] ?? .offline
                if state != .offline && state != .faulted { busy = true }
                guard state == .online else { continue }
                let parentsDown = group.parents(of: name).allSatisfy {
                    let parent = resources[ResourceKey(group: group.name, resource: $0, system: system)] ?? .offline
                    return parent == .offline || parent == .faulted
                }
                if parentsDown { start(.offline, key) }
            }
            if !busy {
                intents[slot] = nil
                note("\(system): \(group.name) is OFFLINE")
                groupWentOffline(group, on: system)
                if failover { failOver(group, from: system, decider: system) }
                if let switchTo, systems[switchTo]?.running == true { bringOnline(group, on: switchTo) }
            }
        }
    }

    /// Brings `group` online on the best system `decider` can see.
    func failOver(_ group: ServiceGroup, from failed: String, decider: String) {
        guard !isFrozen(group) else {
            note("\(decider): \(group.name) is frozen: no failover")
            return
        }
        let view = systems[decider]?.view ?? []
        let alreadyThere = group.systemList.map(\.system).contains { system in
            system != failed && view.contains(system) && holds(group, on: system)
        }
        if alreadyThere { return }
        let eligible = group.systemList.map(\.system).filter { candidate in
            // The decider can only start it where its heartbeats reach.
            candidate != failed && view.contains(candidate) && systems[candidate]?.running == true
                && (candidate == decider || canTalk(decider, candidate))
                && childrenHeld(group, on: candidate)
                && !currentFlags(of: group, on: candidate).contains(.faulted)
                && !currentFlags(of: group, on: candidate).isActive
                && intents[GroupOnSystem(group: group.name, system: candidate)] == nil
        }
        // Priority: the lowest SystemList number. RoundRobin: the system
        // running the fewest groups, ties by priority.
        let target = group.scalar("FailOverPolicy") == "RoundRobin"
            ? eligible.min { a, b in
                let (ca, cb) = (groupsActive(on: a), groupsActive(on: b))
                return ca != cb ? ca < cb : eligible.firstIndex(of: a)! < eligible.firstIndex(of: b)!
            }
            : eligible.first
        guard let target else {
            if !childDependencies(of: group).isEmpty {
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

    func start(_ operation: AgentOperation, _ key: ResourceKey) {
        guard let group = config.group(named: key.group), let resource = group.resource(named: key.resource),
              let system = systems[key.system] else { return }
        resources[key] = switch operation {
        case .online: .goingOnline
        case .offline: .goingOffline
        case .clean: .cleaning
        }
        stopMonitoring(key)
        onlineStarted[key] = operation == .online ? now : nil
        let timing = settings.timing(of: resource.type)
        let delay = switch operation {
        case .online: timing.online
        case .offline: timing.offline
        case .clean: timing.clean
        }
        note("\(key): \(operation) (\(resource.type))")
        // The entry point acts at once; its result is checked when it is due.
        pendingActions.append((key, operation))
        schedule(.operationDone(key, operation, incarnation: system.incarnation), after: delay)
    }

    func operationDone(_ key: ResourceKey, _ operation: AgentOperation, _ incarnation: Int) async {
        guard let group = config.group(named: key.group), let resource = group.resource(named: key.resource),
              systems[key.system]?.incarnation == incarnation, systems[key.system]?.running == true else { return }
        let up = await isUp(resource, on: key.system)
        switch operation {
        case .online:
            guard resources[key] == .goingOnline else { return }
            if up {
                resources[key] = .online
                note("\(key): ONLINE")
                startMonitoring(key, resource: resource)
            } else if case .remoteGroup = target(of: resource, on: key.system), let started = onlineStarted[key],
                      now - started < onlineTimeout(of: resource, on: key.system) {
                // RemoteGroup's online lasts until the remote group is ONLINE
                // (the guest may still be booting), up to OnlineTimeout.
                let left = onlineTimeout(of: resource, on: key.system) - (now - started)
                pendingActions.append((key, .online))
                schedule(.operationDone(key, .online, incarnation: incarnation), after: min(settings.remoteGroupPoll, left))
                return
            } else {
                note("\(key): online did not bring it up")
                await fault(key)
                return
            }
        case .offline:
            guard resources[key] == .goingOffline else { return }
            resources[key] = .offline
            note("\(key): OFFLINE")
        case .clean:
            guard resources[key] == .cleaning else { return }
            if restarting.remove(key) != nil {
                resources[key] = .offline
                note("\(key): cleaned, online again")
                start(.online, key)
                return
            }
            resources[key] = .faulted
            note("\(key): cleaned, stays FAULTED")
        }
        progress(group, on: key.system)
    }

    func monitor(_ key: ResourceKey, generation: Int) async {
        guard monitorGenerations[key] == generation else { return }
        monitorDue[key] = nil
        guard resources[key] == .online, systems[key.system]?.running == true,
              let resource = config.group(named: key.group)?.resource(named: key.resource) else { return }
        if await isUp(resource, on: key.system) {
            // All well: the monitor goes quiet until its target is touched.
            monitorMisses[key] = nil
            if case .remoteGroup = target(of: resource, on: key.system) { armMonitor(key, after: now) }
            return
        }
        // ToleranceLimit: that many monitors may find it down before it faults.
        let misses = monitorMisses[key, default: 0] + 1
        let tolerance = config.integer("ToleranceLimit", of: resource, on: key.system) ?? 0
        if misses <= tolerance {
            monitorMisses[key] = misses
            note("\(key): monitor found it down (\(misses) of ToleranceLimit \(tolerance) tolerated)")
            armMonitor(key, after: now)
            return
        }
        monitorMisses[key] = nil
        note("\(key): monitor found it down")
        // RestartLimit: restart in place before faulting.
        let limit = config.integer("RestartLimit", of: resource, on: key.system) ?? 0
        if restartsUsed[key, default: 0] < limit {
            restartsUsed[key, default: 0] += 1
            note("\(key): restarting in place (\(restartsUsed[key]!) of RestartLimit \(limit))")
            restarting.insert(key)
            start(.clean, key)
            return
        }
        await fault(key)
    }

    /// A resource went down unexpectedly: clean it, and if it is critical
    /// take its group offline and fail it over.
    func fault(_ key: ResourceKey) async {
        guard let group = config.group(named: key.group), let resource = group.resource(named: key.resource) else { return }
        note("\(key): FAULTED")
        if isFrozen(group) {
            // A frozen group: VCS reports the fault and takes no action.
            resources[key] = .faulted
            note("\(key.system): \(group.name) is frozen: no clean, no failover")
            return
        }
        start(.clean, key)
        guard resource.isCritical else { return }
        let autoFailOver = group.integer("AutoFailOver") != 0
        takeParentsOffline(of: group, on: key.system)
        let childrenLead = autoFailOver && takeHardChildrenAlong(group, on: key.system)
        takeOffline(group, on: key.system, failover: autoFailOver && !childrenLead)
    }

    func flags(of group: ServiceGroup, on system: String) -> GroupFlags {
        var up = 0, down = 0, faulted = false
        for resource in group.resources {
            let key = ResourceKey(group: group.name, resource: resource.name, system: system)
            let state = resources[key] ?? .offline
            if state == .faulted || (state == .cleaning && !restarting.contains(key)) { faulted = true }
            if isPersistent(resource, on: system) { continue }
            if state == .online || state == .goingOffline { up += 1 } else { down += 1 }
        }
        var flags: GroupFlags = up == 0 ? .offline : (down == 0 ? .online : [.online, .partial])
        if faulted { flags.insert(.faulted) }
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

    func isFrozen(_ group: ServiceGroup) -> Bool {
        group.integer("Frozen") == 1 || group.integer("TFrozen") == 1
    }

    func groupsActive(on system: String) -> Int {
        (groupsBySystem[system] ?? []).filter { holds($0, on: system) }.count
    }

    /// The group is online or partly online on `system`, or coming online.
    func holds(_ group: ServiceGroup, on system: String) -> Bool {
        currentFlags(of: group, on: system).isActive || intents[GroupOnSystem(group: group.name, system: system)] == .online
    }

    func isPersistent(_ resource: Resource, on system: String) -> Bool {
        target(of: resource, on: system).isPersistent
    }

    /// `Agents.target`, computed once per resource and system.
    func target(of resource: Resource, on system: String) -> AgentTarget {
        let key = ResourceKey(group: "", resource: resource.name, system: system)
        if let known = targets[key] { return known }
        let target = Agents.target(of: resource, on: system)
        targets[key] = target
        return target
    }
}

extension Simulator {
    /// `hagrp -switch group -to system`: offline where it runs, then online
    /// on `system`. Does nothing when it already runs there.
    public func switchGroup(_ name: String, to system: String) async throws(SimulatorError) {
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
        await performPendingActions()
    }
}
