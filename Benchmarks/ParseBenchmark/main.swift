import Foundation
import VCSConfig

// Parses a generated main.cf of 64 systems, 512 groups and 5,000 resources
// and prints how long it took (best and median of several runs). Run it in
// a release build: swift run -c release haywire-parse-bench
let systems = 64, groups = 512, resources = 5_000

func generate() -> String {
    var text = "include \"types.cf\"\ncluster big (\n    UseFence = SCSI3\n)\n"
    for s in 0..<systems { text += "system sys\(s) (\n)\n" }
    var made = 0
    for g in 0..<groups {
        let list = (0..<4).map { "sys\((g + $0) % systems) = \($0)" }.joined(separator: ", ")
        text += "group grp\(g) (\n    SystemList = { \(list) }\n    AutoStartList = { sys\(g % systems) }\n)\n"
        let count = resources / groups + (g < resources % groups ? 1 : 0)
        for r in 0..<count {
            let name = "r\(g)_\(r)"
            switch r % 4 {
            case 0: text += "    DiskGroup \(name) (\n        DiskGroup = dg\(g)\n    )\n"
            case 1: text += "    Volume \(name) (\n        DiskGroup = dg\(g)\n        Volume = v\(r)\n    )\n"
            case 2: text += "    Mount \(name) (\n        MountPoint = \"/m/\(g)/\(r)\"\n        BlockDevice = \"/dev/vx/dsk/dg\(g)/v\(r)\"\n        FSType = vxfs\n    )\n"
            default: text += "    Application \(name) (\n        StartProgram = \"/usr/bin/virsh start vm\(g)_\(r)\"\n        PidFiles = { \"/var/run/libvirt/qemu/vm\(g)_\(r).pid\" }\n    )\n"
            }
            if r > 0 { text += "    \(name) requires r\(g)_\(r - 1)\n" }
            made += 1
        }
    }
    precondition(made == resources)
    return text
}

let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
let path = dir.appendingPathComponent("main.cf").path
try generate().write(toFile: path, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(at: dir) }

let clock = ContinuousClock()
var times: [Duration] = []
var config: ClusterConfig?
for _ in 0..<7 {
    let start = clock.now
    config = try ConfigLoader.load(path: path)
    times.append(clock.now - start)
}
times.sort()
let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
func ms(_ d: Duration) -> String { String(format: "%.1f ms", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15) }
print("parse: \(systems) systems, \(config?.groups.count ?? 0) groups, \(config?.groups.map(\.resources.count).reduce(0, +) ?? 0) resources, \(bytes / 1024) KiB")
print("parse: best \(ms(times[0])), median \(ms(times[times.count / 2])) (goal: under 200 ms in a release build)")
