import Foundation
import Libvirt

// haywire's benchmark: the figures of issue #8, each against a baseline
// measured in the same run. Build it in release and run it from the
// repository's root:
//
//   swift run -c release haywire-bench [FIGURE...] [--jobs N] [--limit N]
//
// FIGURE is operations, detection, resolution, simulated, scale or reports
// (all by default). Figures that need the local lab (ci/lab/up) say so
// when it is down. Each figure runs in a process of its own, so that its
// peak memory is its own; a Markdown table of all of them ends the output.
let figures = ["operations", "detection", "resolution", "simulated", "scale", "reports"]
var arguments = Array(CommandLine.arguments.dropFirst())

@MainActor func option(_ name: String) -> Int? {
    guard let flag = arguments.firstIndex(of: name), flag + 1 < arguments.count, let value = Int(arguments[flag + 1]) else { return nil }
    arguments.removeSubrange(flag...flag + 1)
    return value
}

let jobs = option("--jobs") ?? ProcessInfo.processInfo.activeProcessorCount
let limit = option("--limit")
let single = arguments.first == "--one"
if single { arguments.removeFirst() }
if let unknown = arguments.first(where: { !figures.contains($0) }) {
    FileHandle.standardError.write(Data("haywire-bench: unknown figure '\(unknown)' (expected \(figures.joined(separator: ", ")))\n".utf8))
    exit(2)
}
let chosen = arguments.isEmpty ? figures : arguments

/// Runs one figure in this process.
@MainActor func measure(_ figure: String) async throws -> [Figure] {
    let lab = Lab.find()
    let needsLab = "needs the local lab (ci/lab/up)"
    switch figure {
    case "operations":
        var results = try await OperationsBench.run(uri: "test:///default", domain: "test", where: "test:///default",
                                                    queries: 20_000, virshCalls: 30, cycles: 2_000)
        guard let lab else {
            return results + [Figure.notMeasured(1, "operations, local lab", goal: "≥ 20×, < 1 ms added", why: needsLab)]
        }
        let connection = try await Connection.open(lab.uri(1))
        let domain = try await lab.startBenchDomain(connection)
        do {
            results += try await OperationsBench.run(uri: lab.uri(1), domain: Lab.benchDomain, where: "local lab",
                                                     queries: 2_000, virshCalls: 30, cycles: 20)
        } catch {
            await lab.removeBenchDomain(domain)
            throw error
        }
        await lab.removeBenchDomain(domain)
        return results
    case "detection":
        guard let lab else { return [Figure.notMeasured(2, "detection latency", goal: "events, < 50 ms", why: needsLab)] }
        return [try await DetectionBench.run(lab, kills: 10, pollInterval: .milliseconds(200))]
    case "resolution":
        guard let lab else {
            return [Figure.notMeasured(3, "recovery-time error", goal: "≤ 200 ms", why: needsLab),
                    Figure.notMeasured(5, "harness overhead", goal: "≤ 1.05", why: needsLab)]
        }
        return try await ResolutionBench.run(lab, runs: 3)
    case "simulated":
        return [try await SimulatedBench.run(jobs: jobs, limit: limit)]
    case "scale":
        return [try await ScaleBench.run()]
    default:
        return [try await ReportsBench.run(count: 10_000)]
    }
}

if single {
    var status: Int32 = 0
    for figure in chosen {
        do {
            for result in try await measure(figure) { print(result.line) }
        } catch {
            print("haywire-bench: \(figure): \(error)")
            status = 3
        }
    }
    removeScratch()
    exit(status)
}

// The parent: one child per figure, its lines passed through, its figures kept.
var collected: [Figure] = []
var failed = false
for figure in chosen {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = ["--one", figure, "--jobs", String(jobs)] + (limit.map { ["--limit", String($0)] } ?? [])
    let pipe = Pipe()
    child.standardOutput = pipe
    try child.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.waitUntilExit()
    for line in output.split(separator: "\n").map(String.init) {
        if let result = Figure(line: line) { collected.append(result) } else { print(line) }
    }
    failed = failed || child.terminationStatus != 0
}

let machine = "\(ProcessInfo.processInfo.hostName), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
    + "\(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB, \(ProcessInfo.processInfo.operatingSystemVersionString)"
let date = ISO8601DateFormatter().string(from: Date()).prefix(10)
#if DEBUG
let build = "DEBUG build: not representative, use swift run -c release haywire-bench"
#else
let build = "release build"
#endif
print("\n\(date), \(machine), \(build)\n")
print("| # | Figure | haywire | Baseline | Ratio | Goal | |")
print("|---|---|---|---|---|---|---|")
for result in collected.sorted(by: { $0.number < $1.number }) {
    let verdict = result.met.map { $0 ? "met" : "**missed**" } ?? "not measured"
    print("| \(result.number) | \(result.name) | \(result.measured) | \(result.baseline) | \(result.ratio) | \(result.goal) | \(verdict) |")
}
exit(failed ? 3 : 0)
