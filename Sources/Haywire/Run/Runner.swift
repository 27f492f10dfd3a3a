import Foundation
import VCSConfig

/// Runs scenarios: steady state, fault, expectations against their SLAs,
/// heal (always), and a timeline of it all.
public struct Runner: Sendable {
    let factory: any BackendFactory
    /// Recorded with the results; `haywire run --seed` repeats a run.
    let seed: UInt64

    public init(factory: any BackendFactory, seed: UInt64 = 0) {
        self.factory = factory
        self.seed = seed
    }

    /// The backend a suite's cluster manager needs.
    public static func factory(for suite: Suite, seed: UInt64 = 0) -> any BackendFactory {
        suite.cluster.manager == .simulated ? SimulatedBackendFactory(seed: seed) : LabBackendFactory()
    }

    /// Runs the suite's scenarios, as many at once as the factory allows
    /// (simulated clusters are independent; a lab takes one at a time), and
    /// reports each in suite order. Once cancelled, no scenario starts.
    public func run(_ suite: Suite, onScenario: (ScenarioResult) -> Void = { _ in }) async -> SuiteResult {
        let startedAt = Date()
        let scenarios = suite.scenarios
        var results: [ScenarioResult?] = Array(repeating: nil, count: scenarios.count)
        var reported = 0
        await withTaskGroup(of: (Int, ScenarioResult).self) { group in
            var started = 0
            while started < min(max(1, factory.parallelism), scenarios.count) {
                let index = started
                group.addTask { (index, await self.run(scenarios[index], of: suite)) }
                started += 1
            }
            for await (index, result) in group {
                results[index] = result
                while reported < results.count, let ready = results[reported] {
                    onScenario(ready)
                    reported += 1
                }
                if started < scenarios.count, !Task.isCancelled {
                    let next = started
                    group.addTask { (next, await self.run(scenarios[next], of: suite)) }
                    started += 1
                }
            }
        }
        await factory.close()
        return SuiteResult(
            suite: suite.name, file: suite.file, manager: suite.cluster.manager, configPath: suite.cluster.configPath,
            scenarios: results.compactMap { $0 }, startedAt: startedAt, hostname: ProcessInfo.processInfo.hostName, seed: seed)
    }

    public func run(_ scenario: Scenario, of suite: Suite) async -> ScenarioResult {
        let backend: Backend
        do {
            backend = try await factory.makeBackend(for: suite, scenario: scenario)
        } catch {
            return ScenarioRun(scenario: scenario, suite: suite, backend: nil).errored("cannot set up the lab: \(error)")
        }
        var run = ScenarioRun(scenario: scenario, suite: suite, backend: backend)
        let result = await run.execute(steadyStateLimit: suite.steadyWithin)
        await backend.close()
        return result
    }
}

/// How long a heal is retried before it counts as failed.
let healWithin: Duration = .seconds(60)

/// The state of one scenario while it runs.
struct ScenarioRun {
    let scenario: Scenario
    let config: ClusterConfig
    let inventory: Inventory
    let backend: Backend?
    var timeline: [TimelineEntry] = []
    var lastState: ClusterState?
    var faultText: String
    private let failoverGroups: Set<String>
    /// The groups the first observation writes on the timeline: all of a
    /// small cluster, only the scenario's own in a big one.
    private let initialGroups: Set<String>?

    init(scenario: Scenario, suite: Suite, backend: Backend?) {
        self.scenario = scenario
        self.config = suite.cluster.model
        self.inventory = Inventory(suite.lab)
        self.backend = backend
        faultText = scenario.fault.description
        failoverGroups = Set(config.groups.filter { !$0.isParallel }.map(\.name))
        initialGroups = config.groups.count <= 32 ? nil : Set(scenario.expectations.map(\.group).filter { !$0.isEmpty } + scenario.given.map(\.group))
    }

    mutating func execute(steadyStateLimit: Duration) async -> ScenarioResult {
        guard let backend else { return errored("no backend") }
        let probe = backend.probe

        do {
            try await backend.prepare()
        } catch {
            return errored("cannot prepare the lab: \(error)")
        }
        let steady = SteadyState(config: config, given: scenario.given)
        do {
            let (time, state) = try await watch(probe, until: await probe.now() + steadyStateLimit) { steady.holds($1) }
            guard steady.holds(state) else {
                return errored("steady state not reached within \(formatDuration(steadyStateLimit)) (t=\(secondsText(time))s): "
                               + steady.shortfall(state))
            }
        } catch {
            return errored(error is CancellationError ? "interrupted before the fault" : "cannot observe the cluster: \(error)")
        }

        do {
            try await backend.guestsReady(steadyStateLimit)
        } catch {
            return errored(error is CancellationError ? "interrupted before the fault" : "steady state: \(error)")
        }

        // Resolve every target against the state at fault time.
        let targets = Targets(config: config, state: lastState ?? ClusterState())
        let fault: ResolvedFault
        var systems: [String?] = []
        do {
            fault = try targets.fault(scenario.fault, links: backend.links)
            try inventory.check(fault)
            for expectation in scenario.expectations { systems.append(try targets.system(for: expectation)) }
        } catch {
            return errored("cannot resolve or allow the scenario's targets: \(error)")
        }
        faultText = fault.description + (fault.duration.map { " for \(formatDuration($0))" } ?? "")

        // Inject; heal always runs, whatever happens next.
        let injected: Injected
        do {
            add(.fault, "inject \(faultText)", at: await probe.now())
            injected = try await backend.injector.inject(fault)
            add(.fault, injected.detail, at: injected.effectiveAt)
        } catch {
            let at = await probe.now()
            let fallback = Injected(fault: fault, effectiveAt: at, detail: "failed injection")
            let healError = await heal(fallback, backend)
            return errored("cannot inject \(fault.description): \(error)", healErrors: healError.map { [$0] } ?? [])
        }

        var judge = Judge(start: injected.effectiveAt, expectations: scenario.expectations, systems: systems, baseline: lastState ?? ClusterState())
        var healed = false
        var healErrors: [String] = []
        var observeError: String?
        let healAt = fault.duration.map { injected.effectiveAt + $0 }
        while !(judge.isDone && (healed || healAt == nil)) {
            var horizon = judge.isDone ? injected.effectiveAt : judge.lastDeadline
            if !healed, let healAt { horizon = judge.isDone ? healAt : min(horizon, healAt) }
            do {
                let (time, state) = try await watch(probe, until: horizon) { time, state in
                    judge.observe(state, at: time)
                    return judge.isDone && (healed || healAt == nil || time >= healAt!)
                }
                judge.close(at: time, state: state)
            } catch {
                observeError = error is CancellationError ? "interrupted: the fault was healed before stopping"
                    : "cannot observe the cluster: \(error)"
                break
            }
            let now = await probe.now()
            if !healed, let healAt, now >= healAt {
                if let error = await heal(injected, backend) { healErrors.append(error) }
                healed = true
            }
        }
        if !healed, let error = await heal(injected, backend) { healErrors.append(error) }
        if observeError == nil {
            // One more look, so what the heal set off is on the timeline.
            _ = try? await watch(probe, until: await probe.now()) { _, _ in true }
        }

        let results = judge.results(state: lastState ?? ClusterState())
        for result in results where result.decided {
            add(.verdict, (result.passed ? "met: " : "missed: ") + result.message, at: result.satisfiedAt ?? result.deadline)
        }
        let end = await probe.now()
        if let observeError {
            return finish(.error, observeError, results, end, backend, healErrors)
        }
        let missed = results.filter { !$0.passed }
        if missed.isEmpty {
            return finish(.passed, "", results, end, backend, healErrors)
        }
        return finish(.failed, missed.map(\.message).joined(separator: "; "), results, end, backend, healErrors)
    }

    /// Watches and records the cluster's events and every state change.
    private mutating func watch(
        _ probe: any ClusterProbe, until deadline: Duration, _ observe: (Duration, ClusterState) -> Bool
    ) async throws -> (Duration, ClusterState) {
        var entries: [TimelineEntry] = []
        var previous = lastState
        let last = try await probe.watch(until: deadline) { observation in
            let groups = previous == nil ? initialGroups : observation.changedGroups
            entries += observation.events
            entries += stateChanges(from: previous, to: observation.state, at: observation.time, groups: groups)
            entries += concurrencyViolations(from: previous, to: observation.state, failoverGroups: failoverGroups,
                                             at: observation.time, groups: groups)
            previous = observation.state
            return observe(observation.time, observation.state)
        }
        timeline += entries
        lastState = last.state
        return (last.time, last.state)
    }

    /// Heals, retrying for up to the backend's window while the lab cannot take it
    /// yet (a host still rebooting after fencing). It runs detached, so an
    /// interrupted run still heals.
    private mutating func heal(_ injected: Injected, _ backend: Backend) async -> String? {
        let at = await backend.probe.now()
        let injector = backend.injector
        let outcome: Result<String, Error> = await Task.detached {
            let clock = ContinuousClock()
            let deadline = clock.now + backend.healRetryWindow
            while true {
                do {
                    return .success(try await injector.heal(injected))
                } catch {
                    guard clock.now < deadline else { return .failure(error) }
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }.value
        switch outcome {
        case .success(let detail):
            add(.heal, detail, at: at)
            return nil
        case .failure(let error):
            add(.heal, "heal failed: \(error)", at: at)
            return "heal of \(injected.fault.description) failed: \(error)"
        }
    }

    private mutating func add(_ kind: TimelineEntry.Kind, _ text: String, at time: Duration) {
        timeline.append(TimelineEntry(time: time, kind: kind, text: text))
    }

    private func ordered() -> [TimelineEntry] {
        timeline.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    private func finish(
        _ verdict: Verdict, _ message: String, _ results: [ExpectationResult], _ end: Duration,
        _ backend: Backend, _ healErrors: [String]
    ) -> ScenarioResult {
        ScenarioResult(name: scenario.name, fault: faultText, verdict: verdict, message: message, expectations: results,
                       timeline: ordered(), duration: end, resolution: backend.probe.resolution, healErrors: healErrors)
    }

    func errored(_ message: String, healErrors: [String] = []) -> ScenarioResult {
        ScenarioResult(name: scenario.name, fault: faultText, verdict: .error, message: message, expectations: [],
                       timeline: ordered(), duration: timeline.last?.time ?? .zero,
                       resolution: backend?.probe.resolution ?? .zero, healErrors: healErrors)
    }
}
