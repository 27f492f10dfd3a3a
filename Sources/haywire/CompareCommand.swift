import ArgumentParser
import Foundation
import Haywire

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare recovery times of run records: are tonight's slower than the baseline's?",
        discussion: """
            haywire compare BASELINE... -- CURRENT...   (run records, or folders of them)
            Exit 1 when a scenario or fault kind got slower beyond --slower at --confidence, or a verdict flipped.
            """)

    /// Both lists, split at `--` here (the parser takes one list of
    /// positional arguments); options may come among them.
    @Argument(parsing: .captureForPassthrough, help: "The baseline's run records or folders, then --, then the current ones.")
    var paths: [String] = []

    @Option(help: "How much slower counts as a regression (a percentage).")
    var slower: String = "10%"

    @Option(help: "The confidence a regression needs (a percentage).")
    var confidence: String = "95%"

    @Option(help: "Where to write the JUnit file.")
    var junit: String = "Reports/compare.junit.xml"

    func run() throws {
        var options = (slower: slower, confidence: confidence, junit: junit)
        var baseline: [String] = [], current: [String] = [], seenTerminator = false
        var tokens = paths[...]
        while let token = tokens.popFirst() {
            switch token {
            case "--" where !seenTerminator: seenTerminator = true
            case "--help", "-h" where !seenTerminator:
                print(HaywireCommand.helpMessage(for: Self.self))
                return
            case "--slower", "--confidence", "--junit":
                guard let value = tokens.popFirst() else {
                    printError("\(token) needs a value")
                    throw HaywireExit.invalidInput
                }
                if token == "--slower" { options.slower = value } else if token == "--confidence" { options.confidence = value } else { options.junit = value }
            default:
                if seenTerminator { current.append(token) } else { baseline.append(token) }
            }
        }
        let (slower, confidence, junit) = options
        guard !baseline.isEmpty, !current.isEmpty else {
            printError("compare needs run records before and after '--': haywire compare BASELINE... -- CURRENT...")
            throw HaywireExit.invalidInput
        }
        guard let slowerBy = Self.fraction(slower), let level = Self.fraction(confidence), level > 0, level < 1 else {
            printError("--slower and --confidence are percentages, such as 10% and 95%")
            throw HaywireExit.invalidInput
        }
        let comparison = Comparison(baseline: try readRecords(baseline), current: try readRecords(current),
                                    slower: slowerBy, confidence: level)
        print(comparison.table(), terminator: "")
        let url = URL(fileURLWithPath: junit)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        do { try comparison.junit().write(to: url, atomically: true, encoding: .utf8) } catch {
            printError("\(junit): \(error)")
            throw HaywireExit.harnessError
        }
        print("JUnit: \(junit)")
        if comparison.failed { throw HaywireExit.scenarioFailed }
    }

    /// `10%`, `10` or `0.1`.
    static func fraction(_ text: String) -> Double? {
        if text.hasSuffix("%") { return Double(text.dropLast()).map { $0 / 100 } }
        guard let value = Double(text) else { return nil }
        return value >= 1 ? value / 100 : value
    }
}

/// The run records named by `paths` (files, or folders of `*.run.json`);
/// one that cannot be read is invalid input.
func readRecords(_ paths: [String]) throws -> [RunRecord] {
    do { return try RunRecord.read(paths: paths, timelines: false) } catch {
        printError("\(error)")
        throw HaywireExit.invalidInput
    }
}
