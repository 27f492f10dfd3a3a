import VCSConfig

/// When a resource's monitor runs: every MonitorInterval from the instant it
/// came online, as in VCS.
struct MonitorClock: Equatable {
    let base: Duration
    let interval: Duration

    /// The first monitor instant at or after `time` (strictly after when
    /// `inclusive` is false), never the base itself.
    func next(from time: Duration, inclusive: Bool) -> Duration {
        let elapsed = nanoseconds(time - base), step = nanoseconds(interval)
        guard elapsed > 0 else { return base + interval }
        var cycles = elapsed / step
        if elapsed % step != 0 || !inclusive { cycles += 1 }
        return base + interval * Int(max(1, cycles))
    }
}

func nanoseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
}

/// Monitors are virtual while nothing can have changed what they watch: a
/// monitor that finds its resource up changes nothing, so it need not run.
/// Whatever touches a target (an injected fault through a host's
/// connection, an unmount, a link, another agent) arms the monitors that
/// watch it at their next instant. The outcome is the same as running every
/// monitor; the cost is only that of the monitors that matter.
extension Simulator {
    func startMonitoring(_ key: ResourceKey, resource: Resource) {
        let interval = config.integer("MonitorInterval", of: resource, on: key.system).map { Duration.seconds($0) }
            ?? settings.monitorInterval
        monitorClocks[key] = MonitorClock(base: now, interval: interval)
        // Nothing local tells when a remote group changes: always watch.
        if case .remoteGroup = target(of: resource, on: key.system) { armMonitor(key, after: now) }
    }

    /// Cancels the resource's monitors: an operation on it has begun.
    func stopMonitoring(_ key: ResourceKey) {
        monitorGenerations[key, default: 0] += 1
        monitorClocks[key] = nil
        monitorDue[key] = nil
    }

    /// Schedules the resource's next monitor, unless one is pending.
    func armMonitor(_ key: ResourceKey, after time: Duration, inclusive: Bool = false) {
        guard monitorDue[key] == nil, let clock = monitorClocks[key] else { return }
        let due = clock.next(from: time, inclusive: inclusive)
        monitorDue[key] = due
        queue.schedule(.monitor(key, generation: monitorGenerations[key, default: 0]), at: due)
    }

    /// Something may have changed what these resources' agents watch.
    func touch(_ system: String, where matches: (AgentTarget) -> Bool) {
        for (key, target) in agentTargets(on: system) where matches(target) && resources[key] == .online {
            armMonitor(key, after: now, inclusive: true)
        }
    }

    /// A caller holds `system`'s hypervisor: any guest there may change.
    func touchGuests(on system: String) {
        touch(system) { if case .guest = $0 { true } else { false } }
    }

    /// Every resource of every group that may run on `system`, with its
    /// agent target, computed once.
    func agentTargets(on system: String) -> [(ResourceKey, AgentTarget)] {
        if let known = targetsBySystem[system] { return known }
        var found: [(ResourceKey, AgentTarget)] = []
        for group in config.groups where group.systemList.contains(where: { $0.system == system }) {
            for resource in group.resources {
                found.append((ResourceKey(group: group.name, resource: resource.name, system: system), target(of: resource, on: system)))
            }
        }
        targetsBySystem[system] = found
        return found
    }
}
