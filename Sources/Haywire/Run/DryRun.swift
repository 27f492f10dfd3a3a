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
                problems += check(scenario, against: state, backend: backend, suite: suite, into: &lines)
                var targets = Targets(config: suite.cluster.model, state: state)
                targets.carriers = suite.lab.carriers
                for spec in scenario.faults {
                    let when = spec.at > .zero ? "at \(formatDuration(spec.at))" : "at once"
                    let heal = spec.duration.map { "heal after \(formatDuration($0))" } ?? "heal at the end"
                    if let refusal = backend.injector.refusal(of: spec.kind) {
                        problems += 1
                        lines.append("  \(when): cannot make \(spec.description): \(refusal)")
                        continue
                    }
                    do {
                        let fault = try targets.fault(spec, links: backend.links)
                        try inventory.check(fault)
                        lines.append("  \(when): \(try await backend.injector.plan(fault)); \(heal)")
                    } catch {
                        problems += 1
                        lines.append("  \(when): cannot make \(spec.description): \(error)")
                    }
                }
                // Each expectation with the system it resolves to at the first fault.
                let judging = Targets(config: suite.cluster.model, state: state, firstFault: scenario.faults.min { $0.at < $1.at })
                for expectation in scenario.expectations {
                    do {
                        let system = try judging.system(for: expectation)
                        let resolved = if case .online(.next) = expectation.kind, let system { " (next: \(system))" } else { "" }
                        lines.append("  expect \(expectation.description)\(resolved)")
                    } catch {
                        problems += 1
                        lines.append("  expect \(expectation.description): cannot be judged: \(error)")
                    }
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

    /// `given:` as the run needs it: the simulator switches the groups; a
    /// real lab must already be so. Lines for each, and how many fail.
    private func check(_ scenario: Scenario, against state: ClusterState, backend: Backend, suite: Suite,
                       into lines: inout [String]) -> Int {
        var problems = 0
        for placement in scenario.given {
            if state.onlineSystems(of: placement.group).contains(placement.system) {
                lines.append("  given: \(placement.group) online on \(placement.system)")
            } else {
                problems += 1
                let how = suite.cluster.manager == .simulated ? "the simulator could not switch it there"
                    : "a real lab must already be so before the run"
                lines.append("  given: \(placement.group) online on \(placement.system): not so (\(state.summary(of: placement.group))); \(how)")
            }
        }
        return problems
    }

    /// The cluster of `suite` as a run would find it before its first
    /// scenario: `haywire status`.
    public func status(of suite: Suite) async throws -> ClusterStatus {
        let backend = try await factory.makeBackend(for: suite, scenario: nil)
        let none = Scenario(name: "status", faults: [], expectations: [], location: SourceLocation(file: suite.file, line: 1, column: 1))
        let outcome: Result<ClusterState, Error>
        do { outcome = .success(try await currentState(of: backend, suite: suite, scenario: none)) } catch { outcome = .failure(error) }
        await backend.close()
        await factory.close()
        return ClusterStatus(manager: suite.cluster.manager, state: try outcome.get())
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
