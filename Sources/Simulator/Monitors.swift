import VCSConfig
import VCSSemantics

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
extension World {
    func monitorInterval(of resource: Resource, on system: String) -> Duration {
        config.integer("MonitorInterval", of: resource, on: system).map { Duration.seconds($0) } ?? settings.monitorInterval
    }

    mutating func startMonitoring(_ key: ResourceKey, resource: Resource) {
        monitors[key, default: MonitorRecord()].clock = MonitorClock(base: now, interval: monitorInterval(of: resource, on: key.system))
        if alwaysMonitored(resource, on: key.system) { armMonitor(key, after: now) }
    }

    /// Monitors that must run although nothing local touched their target:
    /// a remote group, a proxy of another resource, or a monitor that
    /// times out.
    mutating func alwaysMonitored(_ resource: Resource, on system: String) -> Bool {
        switch target(of: resource, on: system) {
        case .remoteGroup, .proxy: return true
        default: return monitorTimesOut(resource, on: system)
        }
    }

    /// The agent's modelled monitor takes longer than MonitorTimeout.
    mutating func monitorTimesOut(_ resource: Resource, on system: String) -> Bool {
        settings.timing(of: resource.type).monitor > .seconds(config.integer("MonitorTimeout", of: resource, on: system) ?? 60)
    }

    /// A monitor runs: it reports what it saw once its modelled duration
    /// has passed.
    mutating func monitor(_ key: ResourceKey, generation: Int) {
        guard monitors[key]?.generation == generation else { return }
        monitors[key]!.due = nil
        guard resources[key] == .online, systems[key.system]?.running == true,
              let resource = config.group(named: key.group)?.resource(named: key.resource) else { return }
        if monitorTimesOut(resource, on: key.system) {
            monitorTimedOut(key, resource)
            return
        }
        let up = isUp(resource, on: key.system)
        let duration = settings.timing(of: resource.type).monitor
        if up || duration == .zero {
            monitorReported(key, generation: generation, up: up)
        } else {
            schedule(.monitorReported(key, generation: generation, up: false), after: duration)
        }
    }

    /// FaultOnMonitorTimeouts: that many monitors in a row may time out
    /// before the resource faults.
    private mutating func monitorTimedOut(_ key: ResourceKey, _ resource: Resource) {
        let limit = config.integer("FaultOnMonitorTimeouts", of: resource, on: key.system) ?? 4
        books[key, default: ResourceBook()].monitorTimeouts += 1
        let count = books[key]!.monitorTimeouts
        note("\(key): monitor timed out (\(count) of FaultOnMonitorTimeouts \(limit))")
        guard limit > 0, count >= limit else {
            armMonitor(key, after: now)
            return
        }
        books[key]!.monitorTimeouts = 0
        fault(key)
    }

    mutating func monitorReported(_ key: ResourceKey, generation: Int, up: Bool) {
        guard monitors[key]?.generation == generation, resources[key] == .online,
              let resource = config.group(named: key.group)?.resource(named: key.resource) else { return }
        if up {
            // All well: the monitor goes quiet until its target is touched.
            books[key]?.misses = 0
            if alwaysMonitored(resource, on: key.system) { armMonitor(key, after: now) }
            return
        }
        var book = books[key] ?? ResourceBook()
        // ConfInterval: online that long, earlier misses and restarts are forgotten.
        let confInterval = Duration.seconds(config.integer("ConfInterval", of: resource, on: key.system) ?? 600)
        if let clock = monitors[key]?.clock, now - clock.base >= confInterval {
            book.restarts = 0
        }
        // ToleranceLimit: that many monitors may find it down before it faults.
        let tolerance = config.integer("ToleranceLimit", of: resource, on: key.system) ?? 0
        book.misses += 1
        if book.misses <= tolerance {
            books[key] = book
            note("\(key): monitor found it down (\(book.misses) of ToleranceLimit \(tolerance) tolerated)")
            armMonitor(key, after: now)
            return
        }
        book.misses = 0
        note("\(key): monitor found it down")
        // RestartLimit: restart in place before faulting.
        let limit = config.integer("RestartLimit", of: resource, on: key.system) ?? 0
        if book.restarts < limit {
            book.restarts += 1
            book.cleanPurpose = .restart
            books[key] = book
            note("\(key): restarting in place (\(book.restarts) of RestartLimit \(limit))")
            start(.clean, key)
            return
        }
        books[key] = book
        fault(key)
    }

    /// Cancels the resource's monitors: an operation on it has begun.
    mutating func stopMonitoring(_ key: ResourceKey) {
        let generation = (monitors[key]?.generation ?? 0) + 1
        monitors[key] = MonitorRecord(generation: generation)
    }

    /// Schedules the resource's next monitor, unless one is pending.
    mutating func armMonitor(_ key: ResourceKey, after time: Duration, inclusive: Bool = false) {
        guard let record = monitors[key], record.due == nil, let clock = record.clock else { return }
        let due = clock.next(from: time, inclusive: inclusive)
        monitors[key]!.due = due
        queue.schedule(.monitor(key, generation: record.generation ?? 0), at: due)
    }

    /// Something may have changed what these resources' agents watch.
    mutating func touch(_ system: String, where matches: (ResourceTarget) -> Bool) {
        for (key, target) in agentTargets(on: system) where matches(target) && resources[key] == .online {
            armMonitor(key, after: now, inclusive: true)
        }
    }

    /// `touch(system) { $0 == target }`, looked up rather than searched.
    mutating func touch(_ system: String, target: ResourceTarget) {
        for key in keysByTarget[system]?[target] ?? [] where resources[key] == .online {
            armMonitor(key, after: now, inclusive: true)
        }
    }

    /// A caller holds `system`'s hypervisor: any guest there may change.
    mutating func touchGuests(on system: String) {
        touch(system) { if case .guest = $0 { true } else { false } }
    }

    /// Every resource of every group that may run on `system`, with its
    /// agent target, computed once.
    func agentTargets(on system: String) -> [(ResourceKey, ResourceTarget)] { targetsBySystem[system] ?? [] }
}
