import ArgumentParser
import Foundation
import Haywire

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the run records of shards (run --shard I/N) into one JUnit, HTML and run record per suite.")

    @Argument(help: "The <suite>.run.json files of every shard.")
    var records: [String]

    @Option(help: "Where to write the merged reports.")
    var reports: String = "Reports"

    func run() async throws {
        var loaded: [RunRecord] = []
        for path in records {
            do {
                loaded.append(try RunRecord.read(path))
            } catch {
                printError("\(path): not a haywire run record: \(error)")
                throw HaywireExit.invalidInput
            }
        }
        let merged: [RunRecord]
        do {
            merged = try RunRecord.merge(loaded)
        } catch {
            printError("\(error)")
            throw HaywireExit.invalidInput
        }
        var failed = 0, errors = 0
        for record in merged {
            do {
                let paths = try await ReportFiles.write(record, to: reports)
                say("\(record.suite): \(record.scenarios.count) scenarios from \(loaded.filter { $0.suite == record.suite }.count) shards: \(paths.junit), \(paths.html), \(paths.json)")
            } catch {
                printError("cannot write the reports to \(reports): \(error.localizedDescription)")
                throw HaywireExit.harnessError
            }
            failed += record.failures
            errors += record.errors
        }
        if errors > 0 { throw HaywireExit.harnessError }
        if failed > 0 { throw HaywireExit.scenarioFailed }
    }
}
