import VCSConfig
import VCSSemantics

/// `haywire run --dry-run`: each scenario's faults resolved against the
/// cluster as it stands (the simulator: its steady state), checked against
/// the inventory, and what each would do, found without changing anything.
/// A real lab is only read: no cleanup, no fault, no heal.
extension Runner {
    public func dryRun(_ suite: Suite) async -> (lines: [String], problems: Int) {
        var lines: [String] = [], problems = 0
        let inventory = Inventory(suite.lab)
        for written in suite.scenarios {
            let scenario = written.drawn(seed: seed)
            lines.append("scenario \(scenario.name)" + (scenario.repeats > 1 ? " (x\(scenario.repeats))" : ""))
            let backend: Backend
            do {
                backend = try await factory.makeBackend(for: suite, scenario: scenario)
            } catch {
                problems += 1
                lines.append("  cannot reach the lab: \(error)")
                continue
            }
            do {
                let state = try await currentState(of: backend, suite: suite, scenario: scenario)
                let targets = Targets(config: suite.cluster.model, state: state)
                for spec in scenario.faults {
                    let when = spec.at > .zero ? "at \(formatDuration(spec.at))" : "at once"
                    let heal = spec.duration.map { "heal after \(formatDuration($0))" } ?? "heal at the end"
                    do {
                        let fault = try targets.fault(spec, links: backend.links)
                        try inventory.check(fault)
                        lines.append("  \(when): \(try await backend.injector.plan(fault)); \(heal)")
                    } catch {
                        problems += 1
                        lines.append("  \(when): cannot make \(spec.description): \(error)")
                    }
                }
                for expectation in scenario.expectations {
                    lines.append("  expect \(expectation.description)")
                }
            } catch {
                problems += 1
                lines.append("  cannot read the cluster: \(error)")
            }
            await backend.close()
        }
        await factory.close()
        return (lines, problems)
    }

    /// The simulator's steady state (reached on virtual time), or a real
    /// cluster's state read once.
    private func currentState(of backend: Backend, suite: Suite, scenario: Scenario) async throws -> ClusterState {
        guard suite.cluster.manager == .simulated else { return try await backend.probe.state() }
        try await backend.prepare()
        let steady = SteadyState(config: suite.cluster.model, given: scenario.given)
        let last = try await backend.probe.watch(until: await backend.probe.now() + suite.steadyWithin) { steady.holds($0.state) }
        return last.state
    }
}
