import Foundation
import Haywire
import VCSConfig

/// Figure 4: a generated 32-system, 256-group configuration through the plan
/// that `haywire plan` derives from it (4,096 scenarios) on the simulator,
/// with as many simulators at once as there are cores, as `haywire run` does.
/// The baseline is the wall clock: simulated seconds per wall second.
enum SimulatedBench {
    static let systems = 32, groups = 256

    /// 16 planned scenarios per group: 256 groups plan 4,096.
    static func generate(groups: Int = groups) -> String {
        var text = "cluster bench ( )\n"
        for s in 0..<systems { text += "system sys\(s) ( )\n" }
        for g in 0..<groups {
            let list = (0..<4).map { "sys\((g + $0 * 8) % systems) = \($0)" }.joined(separator: ", ")
            text += """
                group grp\(g) ( SystemList = { \(list) } AutoStartList = { sys\(g % systems) } )
                    DiskGroup dg\(g) ( DiskGroup = d\(g) )
                    Volume vol\(g) ( DiskGroup = d\(g) Volume = v\(g) )
                    Mount mnt\(g) ( MountPoint = "/m\(g)" )
                    Application app\(g) ( StartProgram = "/usr/bin/virsh start vm\(g)" StopProgram = "/usr/bin/virsh shutdown vm\(g)" PidFiles = { "/var/run/libvirt/qemu/vm\(g).pid" } )
                    vol\(g) requires dg\(g)
                    mnt\(g) requires vol\(g)
                    app\(g) requires mnt\(g)

                """
        }
        return text
    }

    /// The suite `haywire plan` derives from a generated main.cf.
    static func plannedSuite(groups: Int, in folder: String, limit: Int?) throws -> Suite {
        let dir = try scratchFolder(folder)
        let mainCf = dir.appendingPathComponent("main.cf").path
        try generate(groups: groups).write(toFile: mainCf, atomically: true, encoding: .utf8)
        let planner = Planner(config: try ConfigLoader.load(path: mainCf), configReference: mainCf)
        let suitePath = dir.appendingPathComponent("plan.yaml").path
        try planner.suite().write(toFile: suitePath, atomically: true, encoding: .utf8)
        let suite = try SuiteLoader.load(path: suitePath)
        return limit.map { suite.prefix($0) } ?? suite
    }

    static func run(jobs: Int, limit: Int?) async throws -> Figure {
        let suite = try plannedSuite(groups: groups, in: "sim", limit: limit)

        var result: SuiteResult?
        let factory = SimulatedBackendFactory(parallelism: jobs)
        let wall = await timed { result = await Runner(factory: factory).run(suite) }
        let events = await factory.eventsHandled()
        let scenarios = result?.scenarios ?? []
        let simulated = scenarios.map(\.duration).reduce(.zero, +)
        let passed = scenarios.filter { $0.verdict == .passed }.count
        let rate = seconds(simulated) / seconds(wall)
        print("simulated: \(systems) systems, \(groups) groups, \(scenarios.count) scenarios (\(passed) passed), \(jobs) at once")
        print("simulated: \(fixed(seconds(wall))) s wall, \(fixed(seconds(simulated), 0)) simulated s, \(events) events "
              + "(\(fixed(Double(events) / seconds(wall), 0)) per wall s), peak RSS \(peakRSSMegabytes()) MB")
        return Figure(4, "simulated throughput", measured: "\(fixed(seconds(simulated), 0)) simulated s",
                      baseline: "\(fixed(seconds(wall))) s wall", ratio: "\(fixed(rate, 0))×",
                      goal: "≥ 100,000×", met: rate >= 100_000)
    }
}
