import VCSConfig
import VCSSemantics

/// The audits every scenario is held to over its whole window, from the
/// first fault to the settled cluster after the heals.
extension ScenarioRun {
    /// State changes of what no fault touched and no expectation names:
    /// the first of each group or system, as what broke the audit.
    /// A polled cluster's collateral change, confirmed when the next look
    /// still shows it, dropped (with a note) when that look shows the state
    /// from before it: Pacemaker shows resources on surviving nodes stopped
    /// for a moment while a new DC rebuilds its status after a node loss. A
    /// real restart takes longer than one probe interval.
    mutating func resolvePendingCollateral(_ state: ClusterState?, at time: Duration, look: Int = 0) {
        for (entry, before, seenAt) in pendingCollateral {
            // Undone by the very next look (an unchanged look calls no observer).
            if let state, look == seenAt + 1, Self.word(of: entry, in: state) == before {
                add(.note, "not counted as collateral damage: \(entry.text) for one look only (t=\(secondsText(entry.time))s), a view in flux", at: time)
                collateralSeen.remove(entry.group.map { "group \($0)" } ?? entry.system.map { "system \($0)" } ?? entry.text)
            } else {
                auditBreaks.append((.collateral, entry))
            }
        }
        pendingCollateral = []
    }

    /// What a state change's group (on its system) or system reads in `state`.
    static func word(of change: TimelineEntry, in state: ClusterState?) -> String {
        guard let state, let system = change.system else { return "" }
        if let group = change.group { return state.flags(of: group, on: system).description }
        return state.systems[system]?.rawValue ?? "UNKNOWN"
    }

    mutating func collateral(_ changes: [TimelineEntry], scope: FaultScope) -> [TimelineEntry] {
        var broken: [TimelineEntry] = []
        for change in changes where !scope.contains(change) {
            let key = change.group.map { "group \($0)" } ?? change.system.map { "system \($0)" } ?? change.text
            guard collateralSeen.insert(key).inserted else { continue }
            broken.append(change)
        }
        return broken
    }

    /// After the heals: watches until the cluster has come to rest (every
    /// system running again, no group starting or stopping anew), for at most
    /// the settle time. Not the steady state of the start: what VCS leaves
    /// down by design (a frozen group whose system was lost, a fault that
    /// waits for `hagrp -clear`) is not a failure to settle; those groups are
    /// named in a note. When `checked`, not coming to rest breaks the
    /// settles audit; otherwise one look is taken.
    mutating func settle(_ probe: any ClusterProbe, checked: Bool, atFault: ClusterState) async {
        let members = facts.steady.members
        // Starting or stopping, unless it already was so when the faults came
        // (a group that waits for ever for what it requires).
        func moving(_ state: ClusterState) -> [String] {
            state.groups.compactMap { group, row in
                row.contains { system, flags in
                    !flags.isDisjoint(with: [.starting, .stopping]) && atFault.flags(of: group, on: system) != flags
                } ? group : nil
            }
        }
        func atRest(_ state: ClusterState) -> Bool {
            members.allSatisfy { state.systems[$0] == .running } && moving(state).isEmpty
        }
        let healedAt = await probe.now()
        var settled = false
        guard let (time, state) = try? await watch(probe, until: checked ? healedAt + facts.settle : healedAt, { _, state in
            settled = atRest(state)
            return settled
        }), checked else { return }
        guard settled else {
            let down = members.filter { state.systems[$0] != .running }.map { "\($0) \(state.systems[$0]?.rawValue ?? "UNKNOWN")" }
            let moving = moving(state).sorted().map(state.summary(of:))
            var entry = TimelineEntry(time: time, kind: .note, text: "not at rest \(formatDuration(facts.settle)) after the heals: "
                                      + (down.isEmpty ? "" : "not running: \(down.joined(separator: ", "))" + (moving.isEmpty ? "" : "; "))
                                      + moving.joined(separator: "; "))
            entry.state = "unsettled"
            auditBreaks.append((.settles, entry))
            return
        }
        let named = Set(scenario.expectations.map(\.group))
        let leftDown = atFault.groups.keys.filter { !named.contains($0) && !atFault.onlineSystems(of: $0).isEmpty && state.onlineSystems(of: $0).isEmpty }.sorted()
        if !leftDown.isEmpty {
            add(.note, "settled with \(leftDown.map(state.summary(of:)).joined(separator: "; ")), online before the faults", at: time)
        }
    }

    /// What broke the audits, unless the scenario waives them (the waiver
    /// goes on the timeline) or a missed expectation of its own already says so.
    mutating func auditFailures(besides missed: [ExpectationResult]) -> [String] {
        let reported = Set(missed.filter { $0.expectation.kind == .noConcurrencyViolation }.map(\.expectation.group))
        var failures: [String] = []
        for (audit, violation) in auditBreaks {
            if audit == .concurrency, reported.contains(violation.group ?? "") { continue }
            let text = "audit \(audit.title): \(audit == .concurrency ? String(violation.text.dropFirst("concurrency violation: ".count)) : violation.text) at t=\(secondsText(violation.time))s"
            if let reason = scenario.waived[audit] {
                add(.note, "\(text), waived: \(reason)", at: violation.time)
            } else {
                add(.verdict, "failed: \(text)", at: violation.time)
                failures.append(text)
            }
        }
        return failures
    }
}

extension Audit {
    /// As reports name it.
    var title: String {
        switch self {
        case .concurrency: "at most once"
        case .placement: "inside its SystemList"
        case .effect: "the fault took effect"
        case .settles: "settles"
        case .collateral: "no collateral damage"
        }
    }
}
