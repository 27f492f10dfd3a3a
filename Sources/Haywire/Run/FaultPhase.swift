import VCSConfig
import VCSSemantics

/// One fault of a scenario's timeline, once injected.
struct ActiveFault {
    let injected: Injected
    /// Its journal entry, cleared by its heal.
    var journalID: String?
    /// When its `for` ends; nil heals at the end of the scenario.
    let healAt: Duration?
    var healed = false
    var healedAt: Duration?
}

/// The faults of a scenario: each injected at its offset (`at`) from the
/// end of the steady state, its targets resolved against the state at that
/// instant; expectations judged from the first fault's effect; each fault
/// healed when its `for` ends, the rest at the end, last first. Heal always
/// runs, whatever happens.
extension ScenarioRun {
    mutating func runFaults(_ backend: Backend) async -> ScenarioResult {
        let probe = backend.probe
        let start = await probe.now()
        auditing = true
        let planned = scenario.faults.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
        var next = 0
        var active: [ActiveFault] = []
        var judge: Judge?
        var healErrors: [String] = []
        var stopped: String?
        var atFault = ClusterState()

        run: while true {
            let now = await probe.now()
            while next < planned.count, start + planned[next].element.at <= now {
                switch await inject(planned[next].element, number: planned[next].offset, backend) {
                case .failure(let problem) where scenario.drawnFaults:
                    // A drawn fault that does not fit the moment is passed over.
                    healErrors += problem.healErrors
                    add(.note, "skipped: \(problem.message)", at: now)
                case .failure(let problem):
                    healErrors += problem.healErrors
                    stopped = problem.message
                    break run
                case .success(let (injected, journalID)):
                    if scope == nil { atFault = lastState ?? ClusterState() }
                    var widened = scope ?? FaultScope(expectations: scenario.expectations)
                    widened.widen(by: injected.fault, state: lastState ?? ClusterState(), heartbeats: backend.heartbeatLinks, facts: facts.scope)
                    scope = widened
                    if judge == nil {
                        do {
                            judge = try makeJudge(start: injected.effectiveAt)
                        } catch {
                            active.append(ActiveFault(injected: injected, journalID: journalID, healAt: nil))
                            stopped = "cannot resolve the scenario's expectations: \(error)"
                            break run
                        }
                    }
                    active.append(ActiveFault(injected: injected, journalID: journalID,
                                              healAt: planned[next].element.duration.map { injected.effectiveAt + $0 }))
                }
                next += 1
            }
            for index in active.indices where !active[index].healed {
                guard let healAt = active[index].healAt, healAt <= now else { continue }
                if let error = await heal(active[index].injected, backend, journalID: active[index].journalID) { healErrors.append(error) }
                active[index].healed = true
                active[index].healedAt = await probe.now()
            }
            let nextInjection = next < planned.count ? start + planned[next].element.at : nil
            let nextHeal = active.filter { !$0.healed }.compactMap(\.healAt).min()
            let judging = judge.map { !$0.isDone } ?? false
            if !judging, nextInjection == nil, nextHeal == nil { break }
            let horizon = [nextInjection, nextHeal, judging ? judge?.horizon : nil].compactMap { $0 }.min()!
            do {
                let report = self.report
                let (time, state) = try await watch(probe, until: horizon) { time, state in
                    judge?.observe(state, at: time)
                    if let judge { report(.waiting(elapsed: time - judge.start, sla: judge.lastDeadline - judge.start)) }
                    return time >= horizon || (judging && judge?.isDone == true)
                }
                judge?.close(at: time, state: state)
            } catch {
                stopped = error is CancellationError ? "interrupted: the faults were healed before stopping"
                    : "cannot observe the cluster: \(error)"
                break
            }
        }
        for index in active.indices.reversed() where !active[index].healed {
            if let error = await heal(active[index].injected, backend, journalID: active[index].journalID) { healErrors.append(error) }
            active[index].healed = true
            active[index].healedAt = await probe.now()
        }
        faultSpans = active.map {
            FaultSpan(fault: $0.injected.fault.description, from: $0.injected.effectiveAt, to: $0.healedAt, resolved: $0.injected.fault)
        }
        if stopped == nil || judge != nil {
            // What the heals set off goes on the timeline, until the cluster settles.
            await settle(probe, checked: stopped == nil, atFault: atFault)
        }
        guard let judge else {
            return errored(stopped ?? "no fault could be made" + (scenario.drawnFaults ? " of those drawn" : ""), healErrors: healErrors)
        }

        let results = await stamped(judge.results(state: lastState ?? ClusterState()), start: judge.start, backend)
        for result in results where result.decided {
            add(.verdict, (result.passed ? "met: " : "missed: ") + result.message, at: result.satisfiedAt ?? result.deadline)
        }
        let end = await probe.now()
        if let stopped { return finish(.error, stopped, results, end, backend, healErrors) }
        // What the expectations saw says nothing of a fault that never happened.
        if !traceless.isEmpty {
            if let reason = scenario.waived[.effect] {
                add(.note, "audit the fault took effect waived: \(reason)", at: end)
            } else {
                return finish(.error, "fault had no observable effect: " + traceless.joined(separator: "; "), results, end, backend, healErrors)
            }
        }
        let missed = results.filter { !$0.passed }
        // What no later look undid stands.
        resolvePendingCollateral(nil, at: end)
        let audits = auditFailures(besides: missed)
        if missed.isEmpty, audits.isEmpty { return finish(.passed, "", results, end, backend, healErrors) }
        return finish(.failed, (missed.map(\.message) + audits).joined(separator: "; "), results, end, backend, healErrors)
    }

    private struct InjectionProblem: Error {
        let message: String
        var healErrors: [String] = []
    }

    /// Resolves `spec` against the state now, checks it against the
    /// inventory and injects it. A failed injection is healed at once, in
    /// case it broke something before failing.
    private mutating func inject(_ spec: FaultSpec, number: Int, _ backend: Backend) async -> Result<(Injected, String?), InjectionProblem> {
        var targets = Targets(config: config, state: lastState ?? ClusterState())
        targets.scheduled = scheduled
        targets.carriers = facts.carriers
        let fault: Fault
        do {
            fault = try targets.fault(spec, links: backend.links)
            try inventory.check(fault)
        } catch {
            return .failure(InjectionProblem(message: "cannot resolve or allow \(spec.description): \(error)"))
        }
        // The cluster's scheduler is asked once, before the first fault is made.
        if let ask = backend.scheduler, scope == nil, scheduled == nil {
            do {
                let answer = try await ask(fault)
                scheduled = .success(answer)
                add(.note, answer.summary, at: await backend.probe.now())
            } catch {
                scheduled = .failure(HarnessError("\(error)"))
                add(.note, "Pacemaker's scheduler gave no answer for \(fault.description): \(error)", at: await backend.probe.now())
            }
        }
        let text = fault.description + (spec.at > .zero ? " at \(formatDuration(spec.at))" : "")
            + (spec.duration.map { " for \(formatDuration($0))" } ?? "")
        faultTexts[number] = text
        report(.injecting(text))
        // Journalled before it is made: a run killed now can still be healed.
        let journalID: String?
        do {
            journalID = try journal?.recordInjection(fault, suite: suitePath)
        } catch {
            return .failure(InjectionProblem(message: "not injecting \(fault.description): \(error)"))
        }
        do {
            add(.fault, "inject \(text)", at: await backend.probe.now())
            let injected = try await backend.injector.inject(fault)
            add(.fault, injected.detail, at: injected.effectiveAt)
            // What the backend sees of it at once, where it can look.
            do {
                if let evidence = try await backend.injector.verify(injected) {
                    add(.fault, "evidence: \(evidence)", at: await backend.probe.now())
                }
            } catch {
                add(.note, "no evidence that \(fault.description) took effect: \(error)", at: await backend.probe.now())
                traceless.append("\(fault.description): \(error)")
            }
            return .success((injected, journalID))
        } catch {
            let fallback = Injected(fault: fault, effectiveAt: await backend.probe.now(), detail: "failed injection")
            let healError = await heal(fallback, backend, journalID: journalID)
            return .failure(InjectionProblem(message: "cannot inject \(fault.description): \(error)", healErrors: healError.map { [$0] } ?? []))
        }
    }

    /// Recoveries the cluster itself timed (Pacemaker's alerts) instead of
    /// the poll that saw them: the alert's instant where it falls between
    /// the fault and that poll's answer, the poll's (and a note) where it
    /// does not. A poll is stamped when it asked; a loaded host may answer a
    /// few hundred milliseconds later, with a start that ended meanwhile.
    private mutating func stamped(_ results: [ExpectationResult], start: Duration, _ backend: Backend) async -> [ExpectationResult] {
        guard let stampOnline = backend.stampOnline else { return results }
        var stampedAll = true
        var refined: [ExpectationResult] = []
        for result in results {
            guard case .online = result.expectation.kind, let system = result.system, let seen = result.satisfiedAt else {
                refined.append(result)
                continue
            }
            let readBy = await backend.probe.answeredAt(askedAt: seen)
            guard let stamp = await stampOnline(result.expectation.group, system, start, readBy) else {
                stampedAll = false
                add(.note, "no alert says when \(result.expectation.group) came online on \(system): the poll's time stands", at: seen)
                refined.append(result)
                continue
            }
            add(.cluster, "\(stamp.source): \(result.expectation.group) online on \(system) at t=\(secondsText(stamp.at))s "
                + "(the probe saw it at t=\(secondsText(seen))s)", at: stamp.at)
            refined.append(result.stamped(at: max(stamp.at, start), latest: readBy))
        }
        if stampedAll, refined.contains(where: { $0.recovery != nil }) { stampedResolution = true }
        return refined
    }

    /// The judge, with each expectation's system resolved at the first fault.
    private func makeJudge(start: Duration) throws -> Judge {
        var targets = Targets(config: config, state: lastState ?? ClusterState(), firstFault: scenario.faults.min { $0.at < $1.at })
        targets.scheduled = scheduled
        targets.carriers = facts.carriers
        let systems = try scenario.expectations.map { try targets.system(for: $0) }
        return Judge(start: start, expectations: scenario.expectations, systems: systems, baseline: lastState ?? ClusterState(),
                     notBefore: scenario.scheduleEnd.map { start + $0 })
    }
}
