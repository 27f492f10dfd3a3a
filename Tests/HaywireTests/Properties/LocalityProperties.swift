import Foundation
import Testing
import Libvirt
import Simulator
import VCSConfig
import VCSSemantics
@testable import Haywire

/// Adding groups on systems of their own, sharing no name or dependency
/// with a configuration, changes nothing of what that configuration's
/// systems do after a fault on one of them: event for event, at the same
/// instants. (Partitions are left out: they change memberships, which the
/// property allows.)
@Suite struct LocalityProperties {
    @Test(arguments: PropertyBudget.seeds)
    func groupsElsewhereChangeNothingHere(_ seed: UInt64) async throws {
        var base = ConfigGenerator(seed: seed)
        let baseText = base.config(PropertyBudget.limits)
        var extra = ConfigGenerator(seed: seed &+ 7919)
        extra.systemPrefix = "x"
        extra.groupPrefix = "h"
        let extendedText = baseText + extra.extraSystemsAndGroups(ConfigGenerator.Limits(systems: 1...4, groups: 1...8))
        let small = try ConfigLoader.parse(text: baseText)
        let large = try ConfigLoader.parse(text: extendedText)
        var random = SplitMix(seed: seed ^ 0x10ca1)
        var problems: [String] = []
        var compared = 0, injected = 0
        for round in 0..<4 {
            let settle = Duration.seconds(600)
            let alone = try await started(small, until: settle), among = try await started(large, until: settle)
            let state = await alone.state()
            guard let fault = RandomFault.draw(&random, config: small, state: state, links: ["eth0", "llt0", "llt1"]),
                  fault.kind != .linkDown else {
                await alone.shutdown()
                await among.shutdown()
                continue
            }
            var results: [String] = []
            for simulator in [alone, among] {
                let injector = SimulatedInjector(simulator: simulator)
                do { _ = try await injector.inject(fault); results.append("injected") } catch { results.append("\(error)") }
            }
            guard results[0] == results[1] else {
                problems.append("round \(round): \(fault.description): \(results[0]) alone, \(results[1]) among others")
                await alone.shutdown()
                await among.shutdown()
                continue
            }
            if results[0] == "injected" { injected += 1 }
            await alone.run(until: settle + .seconds(3600))
            await among.run(until: settle + .seconds(3600))
            let ownSystems = small.systems.map(\.name), extraSystems = Set(large.systems.map(\.name)).subtracting(ownSystems)
            let local = { (entries: [SimulatorLogEntry]) in
                entries.filter { entry in
                    ownSystems.contains { entry.text.hasPrefix("\($0): ") } && !entry.text.contains("members ")
                        && !extraSystems.contains { entry.text.contains($0) }
                }.map { "t=\($0.time.components.seconds) \($0.text)" }
            }
            let a = local(await alone.drainLog()), b = local(await among.drainLog())
            if !a.isEmpty { compared += 1 }
            if a != b {
                let at = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                problems.append("round \(round): \(fault.description): alone \(a.count) events, among others \(b.count); first difference at \(at): "
                                + "\(at < a.count ? a[at] : "-") | \(at < b.count ? b[at] : "-")")
            }
            let aState = await alone.state(), bState = await among.state()
            for group in small.groups where aState.groups[group.name] != bState.groups[group.name] {
                problems.append("round \(round): \(fault.description): \(aState.summary(of: group.name)) alone, \(bState.summary(of: group.name)) among others")
            }
            await alone.shutdown()
            await among.shutdown()
        }
        #expect(injected == 0 || compared > 0, "seed \(seed): faults were made, and nothing happened to compare")
        if !problems.isEmpty {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-locality-seed-\(seed).cf").path
            try? extendedText.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("seed \(seed): extended config kept at \(path)\n\(problems.prefix(8).joined(separator: "\n"))")
        }
    }

    private func started(_ config: ClusterConfig, until time: Duration) async throws -> Simulator {
        let simulator = try await Simulator(config: config, workDirectory: FileManager.default.temporaryDirectory)
        await simulator.run(until: time)
        _ = await simulator.drainLog()
        return simulator
    }
}
