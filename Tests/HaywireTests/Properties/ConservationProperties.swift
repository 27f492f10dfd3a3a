import Foundation
import Testing
import VCSConfig
import VCSSemantics
@testable import Haywire

/// Random single faults on generated configs, each healed after a random
/// while: no failover group runs twice outside a partition without fencing
/// (or a frozen host), and once the cluster settles every system runs and
/// every group is up somewhere unless VCS had nowhere left to put it.
@Suite struct ConservationProperties {
    static let rounds = 6

    @Test(arguments: PropertyBudget.seeds)
    func afterAHealTheClusterSettlesWithNothingLost(_ seed: UInt64) async throws {
        try await check(try PlannedConfig(seed: seed))
    }

    @Test(arguments: PropertyBudget.regressions)
    func regressionsStayFixed(_ file: String) async throws {
        try await check(try PlannedConfig(regression: file))
    }

    private func check(_ planned: PlannedConfig) async throws {
        let seed = planned.seed
        defer { planned.remove() }
        guard let suite = planned.suite else { return }
        let config = suite.cluster.model
        let factory = SimulatedBackendFactory(seed: seed, parallelism: 1)
        var random = SplitMix(seed: seed ^ 0x5eed)
        var problems: [String] = []
        for round in 0..<Self.rounds {
            let backend = try await factory.makeBackend(for: suite, scenario: nil)
            let steady = try await backend.probe.state()
            guard let fault = RandomFault.draw(&random, config: config, state: steady, links: backend.links) else {
                await backend.close()
                continue
            }
            let label = "round \(round): \(fault.description)"
            let splitBrainAllowed = fault.kind == .pauseHost || (fault.kind == .linkDown && !config.usesFencing)
            var twice: [String] = []
            var stranded: Set<String> = []
            var log: [String] = []
            let failover = config.groups.filter { !$0.isParallel }.map(\.name)
            let noteTwice: (Observation) -> Bool = { observation in
                log += observation.events.map { "t=\($0.time.components.seconds) \($0.text)" }
                // The engine found no system to take it at that moment.
                for event in observation.events where event.text.contains("no system left to fail ") {
                    if let name = event.text.components(separatedBy: "no system left to fail ").last?.components(separatedBy: " ").first { stranded.insert(name) }
                }
                for group in failover where observation.state.activeSystems(of: group).count > 1 {
                    twice.append("\(group) on \(observation.state.activeSystems(of: group).joined(separator: ", ")) at t=\(observation.time)")
                }
                return false
            }
            let injected: Injected
            do { injected = try await backend.injector.inject(fault) } catch {
                problems.append("\(label): cannot inject: \(error)")
                await backend.close()
                continue
            }
            let healAt = injected.effectiveAt + .seconds(random.next(in: 0...600))
            _ = try await backend.probe.watch(until: healAt, noteTwice)
            if !splitBrainAllowed, let first = twice.first { problems.append("\(label): online twice: \(first)") }
            twice = []
            _ = try await backend.injector.heal(injected)
            // Rejoining after a partition halts one side; give it a reboot to come back.
            let settled = try await backend.probe.watch(until: await backend.probe.now() + .seconds(1800), noteTwice)
            if !splitBrainAllowed, let first = twice.first { problems.append("\(label): online twice after the heal: \(first)") }
            for group in failover where settled.state.activeSystems(of: group).count > 1 {
                problems.append("\(label): \(settled.state.summary(of: group)) once settled")
            }
            problems += config.systems.map(\.name).filter { settled.state.systems[$0] != .running }
                .map { "\(label): \($0) is \(settled.state.systems[$0]?.rawValue ?? "unknown") once settled" }
            // A partition without fencing may leave either copy, or neither.
            let splitWithoutFencing = fault.kind == .linkDown && !config.usesFencing
            for problem in splitWithoutFencing ? [] : Self.lost(in: settled.state, config: config, steady: steady, stranded: stranded) {
                let group = problem.components(separatedBy: " ").first ?? ""
                let story = log.filter { $0.contains(" \(group) ") || $0.contains(" \(group):") }.suffix(12)
                problems.append("\(label): \(problem)\n    " + story.joined(separator: "\n    "))
            }
            await backend.close()
        }
        await factory.close()
        let summary = problems.isEmpty ? "" : planned.kept("\(problems.count) problems")
        #expect(problems.isEmpty, "\(summary)\n\(problems.prefix(12).joined(separator: "\n"))")
    }

    /// Groups the settled cluster lost: up before, down now although a
    /// system of their SystemList could take them.
    static func lost(in state: ClusterState, config: ClusterConfig, steady: ClusterState, stranded: Set<String>) -> [String] {
        var found: [String] = []
        let view = ObservedCluster(config: config, state: state)
        let faulted = Set(config.groups.filter { group in group.systemList.contains { state.flags(of: group.name, on: $0.system).contains(.faulted) } }.map(\.name))
        for group in config.groups where !config.isFrozen(group) && !steady.activeSystems(of: group.name).isEmpty {
            guard state.activeSystems(of: group.name).isEmpty else { continue }
            // Taken offline for a firm or hard partner that faulted: VCS
            // brings it back only with that partner.
            let partners = config.groups.filter { other in
                other.groupDependencies.contains { $0.child == group.name && $0.strength != .soft }
                    || group.groupDependencies.contains { $0.child == other.name && $0.strength != .soft }
            }
            if partners.contains(where: { faulted.contains($0.name) }) { continue }
            // It faulted when no system could take it: VCS leaves it for an administrator.
            if stranded.contains(group.name) { continue }
            // A fault of a resource that is not critical fails nothing over.
            if !group.resources.contains(where: { $0.isCritical && !config.isPersistent($0) }) { continue }
            let open = group.systemList.map(\.system).filter {
                state.systems[$0] == .running && !state.flags(of: group.name, on: $0).contains(.faulted)
                    && config.dependenciesAllow(group, on: $0, in: view)
            }
            if !open.isEmpty && (config.failsOver(group) || group.isParallel) {
                found.append("\(state.summary(of: group.name)) settled down although \(open.joined(separator: ", ")) could run it")
            }
        }
        return found
    }
}

/// One fault drawn from what the steady state offers.
enum RandomFault {
    static func draw(_ random: inout SplitMix, config: ClusterConfig, state: ClusterState, links: [String]) -> Fault? {
        let systems = config.systems.map(\.name)
        let active = config.groups.flatMap { group in state.onlineSystems(of: group.name).map { (group, $0) } }
        guard let (group, system) = active.isEmpty ? nil : random.pick(active) else { return nil }
        switch random.next(in: 0...5) {
        case 0: return Fault.killHost(host: random.pick(systems))
        case 1: return Fault.linkDown(host: system, links: links)
        case 2: return Fault.pauseHost(host: system)
        case 3:
            let guests = group.resources.flatMap { ResourceTarget.of($0, on: system).guests }
            return guests.isEmpty ? Fault.killHost(host: system) : Fault.killGuest(guest: random.pick(guests))
        case 4:
            let names = group.resources.flatMap { ResourceTarget.of($0, on: system).processNames }
            return names.isEmpty ? Fault.linkDown(host: system, links: links)
                : Fault.killProcess(where: .host(system), process: random.pick(names))
        default:
            let mounts = group.resources.filter { $0.type == "Mount" }.compactMap { $0.scalar("MountPoint", on: system) }
            return mounts.isEmpty ? Fault.killHost(host: system) : Fault.unmount(host: system, mount: random.pick(mounts))
        }
    }
}
