import Foundation
import Haywire
import VCSConfig

// Runs a generated 32-system, 256-group configuration through the plan that
// `haywire plan` derives from it (4,096 scenarios) on the simulator, and
// prints simulated seconds per wall second, the wall time and peak memory.
// Scenarios run on as many simulators at once as there are cores, as
// `haywire run` does; --jobs 1 measures one simulator alone.
// Run it in a release build: swift run -c release haywire-sim-bench [LIMIT] [--jobs N]
let systems = 32, groups = 256
var arguments = Array(CommandLine.arguments.dropFirst())
var jobs = ProcessInfo.processInfo.activeProcessorCount
if let flag = arguments.firstIndex(of: "--jobs"), flag + 1 < arguments.count, let value = Int(arguments[flag + 1]) {
    jobs = value
    arguments.removeSubrange(flag...flag + 1)
}
let limit = arguments.first.flatMap(Int.init)

func generate() -> String {
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

let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-simbench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }
let mainCf = dir.appendingPathComponent("main.cf").path
try generate().write(toFile: mainCf, atomically: true, encoding: .utf8)
let planner = Planner(config: try ConfigLoader.load(path: mainCf), configReference: mainCf)
let suitePath = dir.appendingPathComponent("plan.yaml").path
try planner.suite().write(toFile: suitePath, atomically: true, encoding: .utf8)
var suite = try SuiteLoader.load(path: suitePath)
if let limit { suite = suite.prefix(limit) }

let clock = ContinuousClock()
let start = clock.now
let result = await Runner(factory: SimulatedBackendFactory(parallelism: jobs)).run(suite)
let wall = clock.now - start
let simulated = result.scenarios.map(\.duration).reduce(.zero, +)
let seconds = { (d: Duration) in Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let passed = result.scenarios.filter { $0.verdict == .passed }.count
print("sim: \(systems) systems, \(groups) groups, \(result.scenarios.count) scenarios (\(passed) passed), \(jobs) at once")
print(String(format: "sim: %.1f s wall, %.0f simulated s, %.0f simulated s per wall s, peak RSS %d MB",
             seconds(wall), seconds(simulated), seconds(simulated) / seconds(wall), usage.ru_maxrss / 1024))
print("sim: goals: at least 10,000 simulated s per wall s, the plan under 30 s, peak memory under 500 MB")
