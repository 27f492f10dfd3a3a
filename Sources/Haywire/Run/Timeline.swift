import VCSConfig
import VCSSemantics

/// What changed between two observations, as timeline lines; only among
/// `groups` when given.
func stateChanges(from old: ClusterState?, to new: ClusterState, at time: Duration, groups: Set<String>? = nil) -> [TimelineEntry] {
    var entries: [TimelineEntry] = []
    for system in old?.systems == new.systems ? [] : new.systems.keys.sorted() where old?.systems[system] != new.systems[system] {
        // The first observation names every system; later ones only changes.
        let before = old?.systems[system].map { "\($0.rawValue) -> " } ?? ""
        var entry = TimelineEntry(time: time, kind: .state, text: "system \(system): \(before)\(new.systems[system]!.rawValue)")
        entry.system = system
        entry.state = new.systems[system]!.rawValue
        entries.append(entry)
    }
    // Only the groups that changed, sorted: a big cluster changes a few at a time.
    let candidates = groups.map { $0.filter { new.groups[$0] != nil } } ?? Array(new.groups.keys)
    let changed = candidates.filter { old?.groups[$0] != new.groups[$0] }
    for group in changed.sorted() {
        for system in (new.groups[group] ?? [:]).keys.sorted() {
            let now = new.flags(of: group, on: system)
            let before = old.map { $0.flags(of: group, on: system) }
            guard before != now else { continue }
            let prefix = before.map { "\($0) -> " } ?? ""
            var entry = TimelineEntry(time: time, kind: .state, text: "\(group) on \(system): \(prefix)\(now)")
            entry.group = group
            entry.system = system
            entry.state = now.description
            entries.append(entry)
        }
    }
    return entries
}

/// Failover groups online or partly online on more than one system: a
/// concurrency violation (split brain), written on the timeline when it starts.
func concurrencyViolations(from old: ClusterState?, to new: ClusterState, failoverGroups: Set<String>, at time: Duration,
                           groups: Set<String>? = nil) -> [TimelineEntry] {
    (groups.map { $0.intersection(failoverGroups) } ?? failoverGroups).sorted().compactMap { group in
        guard old?.groups[group] != new.groups[group] else { return nil }
        let active = new.activeSystems(of: group)
        guard active.count > 1, (old?.activeSystems(of: group).count ?? 0) <= 1 else { return nil }
        var entry = TimelineEntry(time: time, kind: .note,
                                  text: "concurrency violation: \(group) active on \(active.joined(separator: ", "))")
        entry.group = group
        return entry
    }
}

/// Groups that became active on a system outside their SystemList (or
/// node list): the cluster ran them where the configuration forbids.
func placementViolations(from old: ClusterState?, to new: ClusterState, allowed: [String: Set<String>], at time: Duration,
                         groups: Set<String>? = nil) -> [TimelineEntry] {
    (groups ?? Set(new.groups.keys)).sorted().compactMap { group in
        guard let systems = allowed[group], old?.groups[group] != new.groups[group] else { return nil }
        let outside = new.activeSystems(of: group).filter { !systems.contains($0) }
        let before = old.map { state in state.activeSystems(of: group).filter { !systems.contains($0) } } ?? []
        guard !outside.isEmpty, outside != before else { return nil }
        var entry = TimelineEntry(time: time, kind: .note, text: "\(group) active on \(outside.joined(separator: ", ")), outside its SystemList")
        entry.group = group
        return entry
    }
}
