import ArgumentParser
import Foundation
import Haywire

struct TrendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "Write an HTML page of recovery-time history over a folder of run records.")

    @Argument(help: "Folders or run records (*.run.json).")
    var paths: [String]

    @Option(help: "The page to write.")
    var out: String = "Reports/trend.html"

    @Option(help: "How much slower a run must be to be ringed (a percentage).")
    var slower: String = "10%"

    func run() throws {
        guard let slowerBy = CompareCommand.fraction(slower) else {
            printError("--slower is a percentage, such as 10%")
            throw HaywireExit.invalidInput
        }
        let trend = Trend(try readRecords(paths), slower: slowerBy)
        let url = URL(fileURLWithPath: out)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        do { try trend.html(title: "recovery times").write(to: url, atomically: true, encoding: .utf8) } catch {
            printError("\(out): \(error)")
            throw HaywireExit.harnessError
        }
        print("\(trend.series.count) series over \(trend.runs) runs: \(out)")
    }
}
