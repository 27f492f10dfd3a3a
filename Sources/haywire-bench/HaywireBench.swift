import ArgumentParser
import Bench
import Foundation

@main
struct HaywireBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haywire-bench",
        abstract: "Measure haywire against its performance goals, each figure against a baseline from the same run.",
        discussion: """
            Build in release and run from the repository's root: swift run -c release haywire-bench (or haywire bench once built). \
            detection, resolution and the lab half of operations need the lab-in-a-box (ci/lab/up). \
            Ends with a Markdown table of the figures.
            """)

    @Argument(help: "Figures to measure: \(Benchmarks.figures.joined(separator: ", ")) (default: all).")
    var figures: [String] = []

    @Option(help: "Simulators at once for the simulated figure (default: the cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Only the first N scenarios of the simulated and reports plans.")
    var limit: Int?

    @Flag(help: .hidden)
    var one = false

    func validate() throws {
        if let unknown = figures.first(where: { !Benchmarks.figures.contains($0) }) {
            throw ValidationError("unknown figure '\(unknown)' (expected \(Benchmarks.figures.joined(separator: ", ")))")
        }
        guard jobs > 0, (limit ?? 1) > 0 else { throw ValidationError("--jobs and --limit must be positive") }
    }

    /// Exit codes as haywire's: 2 for invalid input, 3 for a figure that failed.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
        } catch is FigureFailed {
            Foundation.exit(3)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            writeAll(fullMessage(for: error) + "\n", to: STDERR_FILENO)
            Foundation.exit(2)
        }
    }

    func run() async throws {
        let chosen = figures.isEmpty ? Benchmarks.figures : figures
        if one { return try await measureHere(chosen) }
        // Each figure in a process of its own, so its peak memory is its own.
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
                if let result = Figure(line: line) { collected.append(result) } else { say(line) }
            }
            failed = failed || child.terminationStatus != 0
        }
        say(Self.table(collected))
        if failed { throw FigureFailed() }
    }

    private func measureHere(_ chosen: [String]) async throws {
        defer { removeScratch() }
        var failed = false
        for figure in chosen {
            do {
                for result in try await Benchmarks.measure(figure, jobs: jobs, limit: limit) { say(result.line) }
            } catch {
                say("haywire-bench: \(figure): \(error)")
                failed = true
            }
        }
        if failed { throw FigureFailed() }
    }

    static func table(_ figures: [Figure]) -> String {
        let info = ProcessInfo.processInfo
        let machine = "\(info.hostName), \(info.activeProcessorCount) cores, \(info.physicalMemory / 1_073_741_824) GiB, \(info.operatingSystemVersionString)"
        #if DEBUG
        let build = "DEBUG build: not representative (swift run -c release haywire-bench)"
        #else
        let build = "release build"
        #endif
        var lines = ["", "\(ISO8601DateFormatter().string(from: Date()).prefix(10)), \(machine), \(build)", "",
                     "| # | Figure | haywire | Baseline | Ratio | Goal | |", "|---|---|---|---|---|---|---|"]
        for result in figures.sorted(by: { $0.number < $1.number }) {
            let verdict = result.met.map { $0 ? "met" : "**missed**" } ?? "not measured"
            lines.append("| \(result.number) | \(result.name) | \(result.measured) | \(result.baseline) | \(result.ratio) | \(result.goal) | \(verdict) |")
        }
        return lines.joined(separator: "\n")
    }
}

/// A figure could not be measured.
struct FigureFailed: Error {}

/// Writes a line to stdout at once, so a CI log shows progress as it happens.
func say(_ line: String) { writeAll(line + "\n", to: STDOUT_FILENO) }

/// write(2) until done.
func writeAll(_ text: String, to fd: Int32) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        bytes = bytes.dropFirst(written)
    }
}
