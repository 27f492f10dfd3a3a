import VCSConfig
import VCSSemantics

/// Agent entry points: online, offline and clean, each taking the modelled
/// duration of its agent type, or failing at its timeout (OnlineTimeout,
/// OfflineTimeout, CleanTimeout) when the modelled duration is longer.
/// - An online whose resource is not up waits OnlineWaitLimit monitor
///   intervals, then is retried (OnlineRetryLimit, after a clean) or faults.
/// - An offline that times out is finished by a clean.
/// - A clean that times out leaves the resource UNABLE_TO_OFFLINE: its
///   group cannot go offline, so it does not fail over.
extension World {
    mutating func start(_ operation: AgentOperation, _ key: ResourceKey) {
        guard let group = config.group(named: key.group), let resource = group.resource(named: key.resource),
              let system = systems[key.system] else { return }
        resources[key] = switch operation {
        case .online: .goingOnline
        case .offline: .goingOffline
        case .clean: .cleaning
        }
        stopMonitoring(key)
        if operation == .online { books[key, default: ResourceBook()].onlineStarted = now }
        let timing = settings.timing(of: resource.type)
        let modelled = switch operation {
        case .online: timing.online
        case .offline: timing.offline
        case .clean: timing.clean
        }
        let delay = jittered(modelled, key, operation)
        note("\(key): \(operation) (\(resource.type))")
        // The entry point acts at once; its result is checked when it is due.
        pendingActions.append((key, operation))
        let limit = timeout(operation, of: resource, on: key.system)
        if delay > limit {
            schedule(.operationTimedOut(key, operation, incarnation: system.incarnation), after: limit)
        } else {
            schedule(.operationDone(key, operation, incarnation: system.incarnation), after: delay)
        }
    }

    /// `duration` varied by up to `settings.jitter` either way, drawn from
    /// the seed, the resource, the operation and the instant: the same seed
    /// gives the same durations, in whatever order scenarios run.
    func jittered(_ duration: Duration, _ key: ResourceKey, _ operation: AgentOperation) -> Duration {
        guard settings.jitter > 0, duration > .zero else { return duration }
        var hash = SeededDraw(seed: scenarioSeed)
        for text in [key.group, key.resource, key.system, operation.rawValue] { hash.mix(text) }
        hash.mix(UInt64(bitPattern: nanoseconds(now)))
        let factor = 1 + settings.jitter * (2 * hash.unit() - 1)
        let milliseconds = (Double(nanoseconds(duration)) / 1e6 * factor).rounded()
        return .milliseconds(Int64(max(0, milliseconds)))
    }

    func timeout(_ operation: AgentOperation, of resource: Resource, on system: String) -> Duration {
        let attribute = switch operation {
        case .online: "OnlineTimeout"
        case .offline: "OfflineTimeout"
        case .clean: "CleanTimeout"
        }
        return .seconds(config.integer(attribute, of: resource, on: system) ?? 300)
    }

    /// The resource's state while `operation` runs.
    private func during(_ operation: AgentOperation) -> ResourceState {
        switch operation {
        case .online: .goingOnline
        case .offline: .goingOffline
        case .clean: .cleaning
        }
    }

    mutating func operationDone(_ key: ResourceKey, _ operation: AgentOperation, _ incarnation: Int) {
        guard let group = config.group(named: key.group), let resource = group.resource(named: key.resource),
              systems[key.system]?.incarnation == incarnation, systems[key.system]?.running == true,
              resources[key] == during(operation) else { return }
        switch operation {
        case .online:
            guard isUp(resource, on: key.system) else {
                notUpAfterOnline(key, resource, incarnation)
                return
            }
            resources[key] = .online
            books[key]?.onlineWaits = 0
            books[key]?.onlineRetries = 0
            note("\(key): ONLINE")
            startMonitoring(key, resource: resource)
        case .offline:
            resources[key] = .offline
            note("\(key): OFFLINE")
        case .clean:
            switch books[key]?.cleanPurpose {
            case .restart?, .retryOnline?:
                books[key]?.cleanPurpose = nil
                resources[key] = .offline
                note("\(key): cleaned, online again")
                start(.online, key)
                return
            case .finishOffline?:
                books[key]?.cleanPurpose = nil
                resources[key] = .offline
                note("\(key): cleaned: OFFLINE")
            case nil:
                resources[key] = .faulted
                note("\(key): cleaned, stays FAULTED")
            }
        }
        progress(group, on: key.system)
    }

    /// Online finished but the resource is not up (yet).
    private mutating func notUpAfterOnline(_ key: ResourceKey, _ resource: Resource, _ incarnation: Int) {
        let book = books[key] ?? ResourceBook()
        if case .remoteGroup = target(of: resource, on: key.system),
           now - book.onlineStarted < timeout(.online, of: resource, on: key.system) {
            // RemoteGroup's online lasts until the remote group is ONLINE
            // (the guest may still be booting), up to OnlineTimeout.
            let left = timeout(.online, of: resource, on: key.system) - (now - book.onlineStarted)
            pendingActions.append((key, .online))
            schedule(.operationDone(key, .online, incarnation: incarnation), after: min(settings.remoteGroupPoll, left))
            return
        }
        let waitLimit = config.integer("OnlineWaitLimit", of: resource, on: key.system) ?? 2
        if book.onlineWaits < waitLimit {
            books[key, default: ResourceBook()].onlineWaits += 1
            note("\(key): not up after online; waiting a monitor cycle (\(book.onlineWaits + 1) of OnlineWaitLimit \(waitLimit))")
            schedule(.operationDone(key, .online, incarnation: incarnation), after: monitorInterval(of: resource, on: key.system))
            return
        }
        note("\(key): online did not bring it up")
        onlineFailed(key, resource)
    }

    /// OnlineRetryLimit: clean and try again, else fault.
    private mutating func onlineFailed(_ key: ResourceKey, _ resource: Resource) {
        books[key, default: ResourceBook()].onlineWaits = 0
        let limit = config.integer("OnlineRetryLimit", of: resource, on: key.system) ?? 0
        let used = books[key]!.onlineRetries
        guard used < limit else {
            books[key]!.onlineRetries = 0
            fault(key)
            return
        }
        books[key]!.onlineRetries = used + 1
        books[key]!.cleanPurpose = .retryOnline
        note("\(key): retrying online (\(used + 1) of OnlineRetryLimit \(limit))")
        start(.clean, key)
    }

    mutating func operationTimedOut(_ key: ResourceKey, _ operation: AgentOperation, _ incarnation: Int) {
        guard let group = config.group(named: key.group), let resource = group.resource(named: key.resource),
              systems[key.system]?.incarnation == incarnation, systems[key.system]?.running == true,
              resources[key] == during(operation) else { return }
        let limit = timeout(operation, of: resource, on: key.system)
        note("\(key): \(operation) timed out after \(limit.components.seconds) s")
        switch operation {
        case .online:
            onlineFailed(key, resource)
        case .offline:
            books[key, default: ResourceBook()].cleanPurpose = .finishOffline
            start(.clean, key)
        case .clean:
            resources[key] = .stuck
            note("\(key): UNABLE_TO_OFFLINE: \(group.name) cannot go offline on \(key.system), so it cannot fail over")
            progress(group, on: key.system)
        }
    }
}
