import Foundation
import Testing
import VCSConfig
@testable import Haywire

@Suite struct PlannerTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../VCSConfigTests/Corpus/valid").standardizedFileURL.path

    /// Plans `mainCf` into a temp folder, runs the suite in the simulator
    /// and checks every scenario came out as planned: a split brain the
    /// plan expects (no fencing) fails on its concurrency violation, and
    /// every other scenario passes.
    private func planAndRun(_ mainCf: String) async throws -> SuiteResult {
        let config = try ConfigLoader.load(path: mainCf)
        let planner = Planner(config: config, configReference: mainCf)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("plan.yaml").path
        try planner.suite().write(toFile: file, atomically: true, encoding: .utf8)
        let suite = try SuiteLoader.load(path: file)
        #expect(suite.scenarios.count == planner.scenarioCount)
        let result = await Runner(factory: SimulatedBackendFactory()).run(suite)
        let splitBrains = Set(suite.scenarios.filter { $0.tags.contains("split-brain") }.map(\.name))
        for scenario in result.scenarios {
            if splitBrains.contains(scenario.name) {
                #expect(scenario.verdict == .failed && scenario.message.contains("concurrency violation"), "\(scenario.name): \(scenario.message)")
            } else {
                #expect(scenario.verdict == .passed, "\(scenario.name): \(scenario.message)")
            }
        }
        return result
    }

    /// Published configurations nobody here wrote (Corpus/real, with provenance).
    static let real = URL(fileURLWithPath: corpus).deletingLastPathComponent().appendingPathComponent("real").path

    @Test(arguments: ["\(suitesFolder)/configs/pm-pm.main.cf", "\(corpus)/04-kvm-kvm.cf", "\(corpus)/29-volume-dg.cf",
                      "\(real)/akshatapshetty24-ksp-cvm-cfs-main.cf", "\(real)/linbit-drbd-utils-main.cf"])
    func generatedSuitesPassInTheSimulatorAsGenerated(_ mainCf: String) async throws {
        #expect(!(try await planAndRun(mainCf)).scenarios.isEmpty)
    }

    @Test func slasShowTheirFormula() throws {
        let config = try ConfigLoader.load(path: "\(suitesFolder)/configs/pm-pm.main.cf")
        let text = Planner(config: config, configReference: "pm-pm.main.cf").suite()
        #expect(text.contains("# SLA 2220 s = MonitorInterval 60 x (ToleranceLimit 0 + 1) + CleanTimeout 60 + OfflineTimeouts 900 + OnlineTimeouts 1200"))
        #expect(text.contains("# SLA 1221 s = heartbeat timeout 21 + OnlineTimeouts 1200"))
        #expect(text.contains("{ group: vmgrp, online: hostb, within: 2220s }"))
        // From hostb too: the group is placed there first, and fails over to hosta.
        #expect(text.contains("    given: [ { group: vmgrp, online: hostb } ]"))
        #expect(text.contains("{ group: vmgrp, online: hosta, within: 2220s }"))
    }

    static let special = """
        cluster c ( )
        system a ( )
        system b ( )
        group pinned ( SystemList = { a = 0, b = 1 } AutoStartList = { a } AutoFailOver = 0 )
            Application app ( StartProgram = "/usr/bin/virsh start g1" PidFiles = { "/var/run/libvirt/qemu/g1.pid" } )
        group soft ( SystemList = { a = 0, b = 1 } AutoStartList = { a } )
            Application other ( StartProgram = "/usr/bin/virsh start g2" Critical = 0 )
            Process helper ( PathName = /bin/helper )
        group idle ( SystemList = { a = 0, b = 1 } )
        group cold ( SystemList = { a = 0, b = 1 } AutoStartList = { b } Frozen = 1 )
            Application coldapp ( StartProgram = "/usr/bin/virsh start g3" PidFiles = { "/var/run/libvirt/qemu/g3.pid" } )
        group empty ( SystemList = { a = 0, b = 1 } AutoStartList = { a } )
        """

    @Test func whereVCSWouldNotFailOverThePlanSaysSo() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let mainCf = dir.appendingPathComponent("main.cf").path
        try Self.special.write(toFile: mainCf, atomically: true, encoding: .utf8)
        let planner = Planner(config: try ConfigLoader.load(path: mainCf), configReference: mainCf)
        let text = planner.suite()
        #expect(text.contains("# AutoFailOver = 0: VCS must not fail pinned over"))
        #expect(text.contains("{ group: pinned, offline: everywhere, within: 120s }"))
        #expect(text.contains("# not critical: VCS keeps soft up on a, ONLINE|PARTIAL, and does not fail it over"))
        #expect(text.contains("{ group: soft, stays: partial, for: 180s }"))
        #expect(text.contains("# frozen: VCS must not fail cold over"))
        #expect(text.contains("# idle: no resource to bring online, so it is never ONLINE: nothing to break"))
        #expect(text.contains("# empty: no resource to bring online, so it is never ONLINE: nothing to break"))
        // pinned: kill guest and kill host; soft: kill guest, kill host, links
        // and kill its critical Process helper; cold: kill guest, kill host;
        // each from a and from b.
        #expect(text.contains("fault: { kill-process: { host: a, process: helper } }"))
        #expect(planner.scenarioCount == 16)
        _ = try await planAndRun(mainCf)
    }

    @Test func roundRobinPicksTheLeastBusySystem() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system a ( )
            system b ( )
            system d ( )
            group g1 ( SystemList = { a = 0, b = 1, d = 2 } AutoStartList = { a } FailOverPolicy = RoundRobin )
                Phantom p1 ( )
            group g2 ( SystemList = { b = 0, a = 1 } AutoStartList = { b } )
                Phantom p2 ( )
            """)
        let planner = Planner(config: config, configReference: "x.cf")
        #expect(planner.expectedTarget(of: config.groups[0], from: "a") == "d")
        #expect(planner.expectedTarget(of: config.groups[1], from: "b") == "a")
    }

    @Test func loadPicksTheSystemWithTheMostCapacityLeftAndTheSimulatorAgrees() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let mainCf = dir.appendingPathComponent("main.cf").path
        try """
            cluster c ( )
            system a ( )
            system b ( Capacity = 100 )
            system d ( Capacity = 200 )
            group heavy ( SystemList = { d = 0, b = 1 } AutoStartList = { d } Load = 150 )
                Process p1 ( PathName = /bin/p1 )
            group g ( SystemList = { a = 0, d = 1, b = 2 } AutoStartList = { a } FailOverPolicy = Load Load = 30 )
                Process p2 ( PathName = /bin/p2 )
            """.write(toFile: mainCf, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: mainCf)
        let planner = Planner(config: config, configReference: mainCf)
        #expect(planner.expectedTarget(of: config.groups[1], from: "a") == "b")
        #expect(!(try await planAndRun(mainCf)).scenarios.isEmpty)
    }
}
