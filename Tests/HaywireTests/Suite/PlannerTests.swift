import Foundation
import Testing
import VCSConfig
@testable import Haywire

@Suite struct PlannerTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../VCSConfigTests/Corpus/valid").standardizedFileURL.path

    /// Plans `mainCf` into a temp folder and runs the suite in the simulator.
    private func planAndRun(_ mainCf: String) async throws -> SuiteResult {
        let config = try ConfigLoader.load(path: mainCf)
        let planner = Planner(config: config, configReference: mainCf)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("plan.yaml").path
        try planner.suite().write(toFile: file, atomically: true, encoding: .utf8)
        let suite = try SuiteLoader.load(path: file)
        #expect(suite.scenarios.count == planner.scenarioCount)
        return await Runner(factory: SimulatedBackendFactory()).run(suite)
    }

    @Test(arguments: ["\(suitesFolder)/configs/pm-pm.main.cf", "\(corpus)/04-kvm-kvm.cf", "\(corpus)/29-volume-dg.cf"])
    func generatedSuitesPassInTheSimulatorAsGenerated(_ mainCf: String) async throws {
        let result = try await planAndRun(mainCf)
        #expect(!result.scenarios.isEmpty)
        for scenario in result.scenarios {
            #expect(scenario.verdict == .passed, "\(scenario.name): \(scenario.message)")
        }
    }

    @Test func slasShowTheirFormula() throws {
        let config = try ConfigLoader.load(path: "\(suitesFolder)/configs/pm-pm.main.cf")
        let text = Planner(config: config, configReference: "pm-pm.main.cf").suite()
        #expect(text.contains("# SLA 2220 s = MonitorInterval 60 x (ToleranceLimit 0 + 1) + CleanTimeout 60 + OfflineTimeouts 900 + OnlineTimeouts 1200"))
        #expect(text.contains("# SLA 1221 s = heartbeat timeout 21 + OnlineTimeouts 1200"))
        #expect(text.contains("{ group: vmgrp, online: hostb, within: 2220s }"))
    }

    @Test func whereVCSWouldNotFailOverThePlanSaysSo() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system a ( )
            system b ( )
            group pinned ( SystemList = { a = 0, b = 1 } AutoStartList = { a } AutoFailOver = 0 )
                Application app ( StartProgram = "/usr/bin/virsh start g1" PidFiles = { "/var/run/libvirt/qemu/g1.pid" } )
            group soft ( SystemList = { a = 0, b = 1 } AutoStartList = { a } )
                Application other ( StartProgram = "/usr/bin/virsh start g2" Critical = 0 )
            group idle ( SystemList = { a = 0, b = 1 } )
            """)
        let planner = Planner(config: config, configReference: "x.cf")
        let text = planner.suite()
        #expect(text.contains("# pinned: kill guest g1: VCS would not fail over (AutoFailOver = 0)"))
        #expect(text.contains("# soft: kill g2: other is not critical, so VCS keeps soft ONLINE|PARTIAL on a; not planned"))
        #expect(text.contains("# idle: no AutoStartList, so VCS does not start it: nothing to break"))
        // soft still gets its host faults.
        #expect(planner.scenarioCount == 2)
    }

    @Test func roundRobinPicksTheLeastBusySystem() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system a ( )
            system b ( )
            system d ( )
            group g1 ( SystemList = { a = 0, b = 1, d = 2 } AutoStartList = { a } FailOverPolicy = RoundRobin )
            group g2 ( SystemList = { b = 0, a = 1 } AutoStartList = { b } )
            """)
        let planner = Planner(config: config, configReference: "x.cf")
        #expect(planner.failoverTarget(config.groups[0], from: "a") == "d")
        #expect(planner.failoverTarget(config.groups[1], from: "b") == "a")
    }
}
