import Foundation
import VCSConfig
import VCSSemantics

/// Runs scenarios: steady state, fault, expectations against their SLAs,
/// heal (always), and a timeline of it all.
public struct Runner: Sendable {
    let factory: any BackendFactory
    /// Recorded with the results; `haywire run --seed` repeats a run.
    let seed: UInt64
    /// Told where each scenario is, for a live display.
    public var progress: @Sendable (ScenarioProgress) -> Void = { _ in }
    /// Where faults on a real lab are recorded until healed.
    public var journal: Journal?

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
    /// reports each in suite order; a repeated scenario's percentile bounds
    /// are judged after its last run. Once cancelled, no scenario starts.
    public func run(_ suite: Suite, onScenario: (ScenarioResult) -> Void = { _ in }) async -> SuiteResult {
        let startedAt = Date()
        let facts = SuiteFacts(suite)
        let slots = RunSlot.plan(suite.scenarios)
        var results: [ScenarioResult?] = Array(repeating: nil, count: slots.count)
        var reported = 0
        var brokenAfter: String?
        await withTaskGroup(of: (Int, ScenarioResult).self) { group in
            var next = 0, running = 0
            func nextRun() -> (Int, Scenario)? {
                while next < slots.count {
                    defer { next += 1 }
                    if case .run(let scenario) = slots[next] { return (next, scenario) }
                }
                return nil
            }
            while running < max(1, factory.parallelism), let (index, scenario) = nextRun() {
                group.addTask { (index, await self.run(scenario, of: suite, facts: facts)) }
                running += 1
            }
            for await (index, result) in group {
                results[index] = result
                while reported < slots.count {
                    if case .percentiles(let scenario, let runs) = slots[reported] {
                        results[reported] = Percentiles.judge(scenario, runs: results[(reported - runs)..<reported].compactMap { $0 })
                    }
                    guard let ready = results[reported] else { break }
                    onScenario(ready)
                    reported += 1
                }
                if result.labBroken, factory.stopsOnBrokenLab { brokenAfter = result.name }
                if !Task.isCancelled, brokenAfter == nil, let (index, scenario) = nextRun() {
                    group.addTask { (index, await self.run(scenario, of: suite, facts: facts)) }
                }
            }
        }
        // A lab that did not come back: the rest do not inherit it.
        if let brokenAfter {
            for index in results.indices where results[index] == nil {
                guard case .run(let scenario) = slots[index] else { continue }
                let skipped = ScenarioResult(name: scenario.name, fault: scenario.faults.map(\.description).joined(separator: "; "),
                                             verdict: .error, message: "not run: the lab did not return to its steady state for \(brokenAfter)",
                                             expectations: [], timeline: [], duration: .zero, resolution: .zero, healErrors: [])
                results[index] = skipped
                onScenario(skipped)
            }
        }
        await factory.close()
        var result = SuiteResult(
            suite: suite.name, file: suite.file, manager: suite.cluster.manager, configPath: suite.cluster.configPath,
            scenarios: results.compactMap { $0 }, startedAt: startedAt, hostname: ProcessInfo.processInfo.hostName, seed: seed)
        result.sources = suite.sources
        result.selected = suite.scenarios.map(\.name)
        result.order = suite.order.isEmpty ? result.selected : suite.order
        result.shard = suite.shard.map { "\($0.index)/\($0.count)" }
        result.beforeSharding = suite.beforeSharding
        return result
    }

    /// How long before the first fault the cluster's log lines are kept.
    static let logLead: Duration = .seconds(5)

    public func run(_ scenario: Scenario, of suite: Suite) async -> ScenarioResult {
        await run(scenario, of: suite, facts: SuiteFacts(suite))
    }

    func run(_ scenario: Scenario, of suite: Suite, facts: SuiteFacts) async -> ScenarioResult {
        let scenario = scenario.drawn(seed: seed)
        let backend: Backend
        do {
            backend = try await factory.makeBackend(for: suite, scenario: scenario)
        } catch {
            return ScenarioRun(scenario: scenario, facts: facts, backend: nil).errored("cannot set up the lab: \(error)")
        }
        var run = ScenarioRun(scenario: scenario, facts: facts, backend: backend)
        let progress = self.progress, name = scenario.name
        run.report = { progress(ScenarioProgress(scenario: name, phase: $0)) }
        run.journal = journal
        var result = await run.execute(steadyStateLimit: suite.steadyWithin)
        if let logs = backend.clusterLog, let first = result.faultSpans.map(\.from).min() {
            // From a little before the first fault to the scenario's end.
            let lines = await logs(max(.zero, first - Self.logLead), result.duration)
            result.timeline = (result.timeline + lines).enumerated()
                .sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        }
        await backend.close()
        return result
    }
}

/// What every scenario of a suite derives from it, derived once.
struct SuiteFacts: Sendable {
    let model: ClusterConfig
    let inventory: Inventory
    let suitePath: String
    let failoverGroups: Set<String>
    /// Where each group may run.
    let systemLists: [String: Set<String>]
    let steady: SteadyState
    let scope: ScopeFacts
    /// How long the cluster may take to settle after the heals.
    let settle: Duration
    /// Each system that runs as a guest (KVM-KVM), and the host that carries it.
    let carriers: [String: String]

    init(_ suite: Suite) {
        model = suite.cluster.model
        inventory = Inventory(suite.lab)
        suitePath = URL(fileURLWithPath: suite.file).standardizedFileURL.path
        failoverGroups = Set(model.groups.filter { !$0.isParallel }.map(\.name))
        systemLists = Dictionary(model.groups.map { ($0.name, Set($0.systemList.map(\.system))) }, uniquingKeysWith: { a, _ in a })
        steady = SteadyState(config: model)
        scope = ScopeFacts(model: model, cluster: suite.cluster, lab: suite.lab)
        settle = suite.settleWithin ?? suite.steadyWithin
        carriers = suite.lab.carriers
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
    /// Each fault as written, then as resolved once injected.
    var faultTexts: [String]
    var faultText: String { faultTexts.joined(separator: "; ") }
    var faultSpans: [FaultSpan] = []
    /// From the first fault on, the audits watch the whole scenario.
    var auditing = false
    /// What broke an audit while auditing, with the audit it broke.
    var auditBreaks: [(audit: Audit, entry: TimelineEntry)] = []
    /// Faults whose backend looked and found no trace of them.
    var traceless: [String] = []
    /// What the faults injected so far may change; nil before the first.
    var scope: FaultScope?
    /// Every recovery was timed by the cluster's own record (alerts), not the poll.
    var stampedResolution = false
    /// What alert stamps are good to: their microseconds, on hosts' clocks
    /// that the bench measures to agree with haywire's to a few ms.
    static let alertResolution: Duration = .milliseconds(1)
    /// Pacemaker's scheduler's answer for the first fault, or why it gave none.
    var scheduled: Result<SchedulerAnswer, HarnessError>?
    /// Collateral changes seen once, each with the state before it: confirmed
    /// at the next look unless undone by then (a polled view in flux).
    var pendingCollateral: [(entry: TimelineEntry, before: String, look: Int)] = []
    /// Groups and systems already reported as collateral damage.
    var collateralSeen: Set<String> = []
    var report: @Sendable (ScenarioProgress.Phase) -> Void = { _ in }
    var journal: Journal?
    /// The suite file, absolute, for the journal.
    let suitePath: String
    /// What every scenario of the suite derives from it.
    let facts: SuiteFacts
    /// The groups the first observation writes on the timeline: all of a
    /// small cluster, only the scenario's own in a big one.
    private let initialGroups: Set<String>?


    init(scenario: Scenario, facts: SuiteFacts, backend: Backend?) {
        self.scenario = scenario
        self.config = facts.model
        self.inventory = facts.inventory
        self.backend = backend
        suitePath = facts.suitePath
        self.facts = facts
        faultTexts = scenario.faults.map(\.description)
        initialGroups = config.groups.count <= 32 ? nil : Set(scenario.expectations.map(\.group).filter { !$0.isEmpty } + scenario.given.map(\.group))
    }

    mutating func execute(steadyStateLimit: Duration) async -> ScenarioResult {
        guard let backend else { return errored("no backend") }
        let probe = backend.probe
        // Refused before the lab is touched: the backend has no handler for it.
        if let refusal = scenario.faults.lazy.compactMap({ backend.injector.refusal(of: $0.kind) }).first {
            return errored(refusal)
        }

        do {
            try await backend.prepare()
        } catch {
            return errored("cannot prepare the lab: \(error)")
        }
        report(.steady)
        let steady = facts.steady.with(given: scenario.given)
        if let unreached = await reachSteady(steady, probe, within: steadyStateLimit,
                                             missed: "steady state not reached within \(formatDuration(steadyStateLimit))") {
            return unreached
        }

        if let refusal = unmanagedRefusal() { return errored(refusal) }

        do {
            try await backend.guestsReady(steadyStateLimit)
        } catch {
            return errored(error is CancellationError ? "interrupted before the fault" : "steady state: \(error)")
        }
        // Waiting for guests to boot can take long, and the cluster may move
        // meanwhile: the state the fault is judged against is read again.
        if probe.resolution > .zero,
           let lost = await reachSteady(steady, probe, within: steadyStateLimit, missed: "steady state lost while the guests booted") {
            return lost
        }
        if let busy = await reachIdle(steady, backend, within: steadyStateLimit) { return busy }

        return await runFaults(backend)
    }

    /// Watches until `steady` holds; the errored result when it does not
    /// within `limit` (the lab is then broken) or the cluster cannot be seen.
    mutating func reachSteady(_ steady: SteadyState, _ probe: any ClusterProbe, within limit: Duration,
                                      missed: String) async -> ScenarioResult? {
        do {
            var reached = false
            let (time, state) = try await watch(probe, until: await probe.now() + limit) {
                reached = steady.holds($1)
                return reached
            }
            guard reached else {
                var result = errored("\(missed) (t=\(secondsText(time))s): " + steady.shortfall(state))
                result.labBroken = true
                return result
            }
            return nil
        } catch {
            return errored(error is CancellationError ? "interrupted before the fault" : "cannot observe the cluster: \(error)")
        }
    }

    /// A scenario about a group the cluster does not manage now would judge
    /// the cluster on what it was told not to do: refused, with why.
    private func unmanagedRefusal() -> String? {
        guard let state = lastState, !state.unmanaged.isEmpty else { return nil }
        let named = scenario.expectations.map(\.group) + scenario.given.map(\.group)
        guard let group = named.first(where: { state.unmanaged[$0] != nil }) else { return nil }
        return "refused: the cluster does not manage \(group) now (\(state.unmanaged[group]!)); a fault on it would test nothing"
    }

    /// Watches and records the cluster's events and every state change.
    mutating func watch(
        _ probe: any ClusterProbe, until deadline: Duration, _ observe: (Duration, ClusterState) -> Bool
    ) async throws -> (Duration, ClusterState) {
        var previous = lastState
        let last: Observation
        do {
            last = try await probe.watch(until: deadline) { observation in
                let groups = previous == nil ? initialGroups : observation.changedGroups
                timeline += observation.events
                let changes = stateChanges(from: previous, to: observation.state, at: observation.time, groups: groups)
                timeline += changes
                let violations = concurrencyViolations(from: previous, to: observation.state, failoverGroups: facts.failoverGroups,
                                                       at: observation.time, groups: groups)
                timeline += violations
                let misplaced = placementViolations(from: previous, to: observation.state, allowed: facts.systemLists,
                                                    at: observation.time, groups: groups)
                timeline += misplaced
                if auditing {
                    auditBreaks += violations.map { (.concurrency, $0) } + misplaced.map { (.placement, $0) }
                    if let scope {
                        let found = collateral(changes, scope: scope)
                        if probe.resolution > .zero {
                            resolvePendingCollateral(observation.state, at: observation.time, look: observation.look)
                            pendingCollateral = found.map { ($0, Self.word(of: $0, in: previous), observation.look) }
                        } else {
                            auditBreaks += found.map { (.collateral, $0) }
                        }
                    }
                }
                previous = observation.state
                return observe(observation.time, observation.state)
            }
        } catch {
            // What was seen before the probe failed stays on the timeline.
            timeline += (error as? ProbeBlind)?.events ?? []
            lastState = previous
            throw error
        }
        lastState = last.state
        return (last.time, last.state)
    }

    /// Heals, retrying for up to the backend's window while the lab cannot take it
    /// yet (a host still rebooting after fencing). It runs detached, so an
    /// interrupted run still heals.
    mutating func heal(_ injected: Injected, _ backend: Backend, journalID: String? = nil) async -> String? {
        report(.healing)
        let at = await backend.probe.now()
        let outcome: Result<String, Error> = await Task.detached {
            do { return .success(try await backend.healRetrying(injected)) } catch { return .failure(error) }
        }.value
        switch outcome {
        case .success(let detail):
            add(.heal, detail, at: at)
            if let journalID, let journal {
                do { try journal.recordHeal(journalID) } catch { return "healed, but \(error)" }
            }
            return nil
        case .failure(let error):
            add(.heal, "heal failed: \(error)", at: at)
            return "heal of \(injected.fault.description) failed: \(error)"
        }
    }

    mutating func add(_ kind: TimelineEntry.Kind, _ text: String, at time: Duration) {
        timeline.append(TimelineEntry(time: time, kind: kind, text: text))
    }

    private func ordered() -> [TimelineEntry] {
        timeline.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    func finish(
        _ verdict: Verdict, _ message: String, _ results: [ExpectationResult], _ end: Duration,
        _ backend: Backend, _ healErrors: [String]
    ) -> ScenarioResult {
        var result = ScenarioResult(name: scenario.name, fault: faultText, verdict: verdict, message: message, expectations: results,
                                    timeline: ordered(), duration: end,
                                    resolution: stampedResolution ? Self.alertResolution : backend.probe.resolution, healErrors: healErrors)
        result.faultSpans = faultSpans
        return result
    }

    func errored(_ message: String, healErrors: [String] = []) -> ScenarioResult {
        var result = ScenarioResult(name: scenario.name, fault: faultText, verdict: .error, message: message, expectations: [],
                                    timeline: ordered(), duration: timeline.last?.time ?? .zero,
                                    resolution: backend?.probe.resolution ?? .zero, healErrors: healErrors)
        result.faultSpans = faultSpans
        return result
    }
}
