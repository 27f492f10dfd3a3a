import VCSConfig
import VCSSemantics

/// A frozen system (its host paused, or a hung kernel): its engine and
/// agents stop and its guests pause, keeping their state. Its peers hear
/// nothing and, after the heartbeat timeout, declare it dead. Thawed before
/// that, it carries on: what its agents were doing completes at once. Thawed
/// after, it finds itself outside the membership and GAB halts it.
extension World {
    mutating func freeze(_ system: String) throws(SimulatorError) {
        guard let runtime = systems[system] else { throw SimulatorError("no system '\(system)'") }
        guard runtime.running, !frozenSystems.contains(system) else { throw SimulatorError("\(system) is not running") }
        frozenSystems.insert(system)
        systems[system]!.running = false
        note("\(system): frozen")
        for (name, power) in guests[system] ?? [:] where power == .running { guests[system]![name] = .paused }
        connectivityChanged(around: system)
    }

    mutating func thaw(_ system: String) {
        guard frozenSystems.remove(system) != nil, systems[system]?.powered == true else { return }
        for (name, power) in guests[system] ?? [:] where power == .paused { guests[system]![name] = .running }
        systems[system]!.running = true
        note("\(system): thawed")
        let incarnation = systems[system]!.incarnation
        // Entry points that were running finish now; monitors look again.
        for (key, _) in agentTargets(on: system) {
            switch resources[key] {
            case .goingOnline?: schedule(.operationDone(key, .online, incarnation: incarnation), after: .zero)
            case .goingOffline?: schedule(.operationDone(key, .offline, incarnation: incarnation), after: .zero)
            case .cleaning?: schedule(.operationDone(key, .clean, incarnation: incarnation), after: .zero)
            case .online?: armMonitor(key, after: now, inclusive: true)
            default: break
            }
        }
        // It learns whom it was expelled by, so that GAB halts it, not them.
        for peer in systems.keys where peer != system && systems[peer]!.running && !systems[peer]!.view.contains(system) {
            systems[system]!.view.remove(peer)
        }
        connectivityChanged(around: system)
        performPendingActions()
    }

    func isFrozen(_ system: String) -> Bool { frozenSystems.contains(system) }
}
