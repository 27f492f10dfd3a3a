import ArgumentParser
import Foundation

/// `haywire bench` is `haywire-bench`, the benchmark's own executable: the
/// shipped binary carries no benchmark code, nor the bare libvirt calls its
/// baselines make.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure haywire against its performance goals (runs haywire-bench, built next to haywire).",
        discussion: "swift build -c release builds both; haywire-bench --help lists the figures.")

    @Argument(parsing: .captureForPassthrough, help: "Passed to haywire-bench.")
    var arguments: [String] = []

    func run() throws {
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let bench = here.appendingPathComponent("haywire-bench").path
        guard FileManager.default.isExecutableFile(atPath: bench) else {
            printError("haywire bench runs \(bench), which is not built: swift build -c release --product haywire-bench")
            throw HaywireExit.harnessError
        }
        // It takes this process's place: its output and exit code are haywire bench's.
        let argv = ([bench] + arguments).map { strdup($0) } + [nil]
        execv(bench, argv)
        printError("haywire bench: cannot run \(bench): \(String(cString: strerror(errno)))")
        throw HaywireExit.harnessError
    }
}
