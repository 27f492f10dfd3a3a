import ArgumentParser
import Foundation
import Haywire
import VCSConfig

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the JUnit and HTML reports of a run record again, of all its scenarios or of those named, in full.")

    @Argument(help: "A <suite>.run.json (or .run.json.gz) that haywire run wrote.")
    var record: String

    @Option(help: "Only this scenario, with its whole timeline (repeatable).")
    var scenario: [String] = []

    @Option(help: "Where to write the reports.")
    var reports: String = "Reports/report"

    func run() async throws {
        let recorded: RunRecord
        do { recorded = try RunRecord.read(record) } catch {
            printError("\(record): not a haywire run record: \(error)")
            throw HaywireExit.invalidInput
        }
        var chosen = recorded
        if !scenario.isEmpty {
            let names = Set(recorded.scenarios.map(\.name))
            for name in scenario where !names.contains(name) {
                let near = Spelling.suggestion(for: name, among: names)
                printError("\(record): no scenario named '\(name)'" + (near.map { "; did you mean '\($0)'?" } ?? ""))
                throw HaywireExit.invalidInput
            }
            chosen = recorded.replacing(scenarios: recorded.scenarios.filter { scenario.contains($0.name) })
        }
        do {
            let junit = try JUnitWriter.write(chosen, to: reports)
            let html = try HTMLReport.write(chosen, to: reports)
            say("JUnit: \(junit)\nHTML: \(html)")
        } catch {
            printError("\(reports): \(error)")
            throw HaywireExit.harnessError
        }
    }
}
