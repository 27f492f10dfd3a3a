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

    @Flag(help: "Merge the shards given even when some are missing; their scenarios are reported skipped.")
    var allowPartial = false

    /// A decoding error in one phrase.
    static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "no '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty ? "not JSON" : "'\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        default: "\(error)"
        }
    }

    func run() async throws {
        var loaded: [RunRecord] = []
        for path in records {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                printError("\(path): \(isFolder.boolValue ? "a folder, not a run record" : "no such file")")
                throw HaywireExit.invalidInput
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                printError("\(path): cannot be read")
                throw HaywireExit.invalidInput
            }
            do {
                loaded.append(try RunRecord.read(path))
            } catch {
                printError("\(path): not a haywire run record (\(Self.reason(error)))")
                throw HaywireExit.invalidInput
            }
        }
        let merged: [RunRecord]
        do {
            merged = try RunRecord.merge(loaded, allowPartial: allowPartial)
        } catch {
            printError("\(error)")
            throw HaywireExit.invalidInput
        }
        var failed = 0, errors = 0
        for record in merged {
            do {
                let paths = try await ReportFiles.write(record, to: reports)
                let skipped = record.skipped > 0 ? " (\(record.skipped) skipped: their shards are missing)" : ""
                say("\(record.suite): \(record.scenarios.count) scenarios\(skipped) from \(loaded.filter { $0.suite == record.suite }.count) shards: \(paths.junit), \(paths.html), \(paths.json)")
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
