import ArgumentParser
import Foundation
import Haywire

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a recorded run again (its suite, seed and scenarios) and say whether the outcome is the same.")

    @Argument(help: "A <suite>.run.json that haywire run wrote.")
    var record: String

    @Option(help: "Where to write the new run's reports.")
    var reports: String = "Reports/replay"

    func run() async throws {
        let recorded: RunRecord
        do {
            recorded = try RunRecord.read(record)
        } catch {
            printError("\(record): not a haywire run record: \(error)")
            throw HaywireExit.invalidInput
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-replay-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let suite: Suite
        do {
            suite = try Replay.suite(of: recorded, in: folder)
        } catch {
            printError("\(record): \(error)")
            throw HaywireExit.invalidInput
        }
        say("replaying \(recorded.suite) from \(record): seed \(recorded.seed), \(suite.scenarios.count) scenarios")
        let runner = Runner(factory: Runner.factory(for: suite, seed: recorded.seed), seed: recorded.seed)
        let result = await runner.run(suite) { say(RunCommand.line(for: $0)) }
        let again = RunRecord(result)
        do {
            let path = try RunRecord.write(result, to: reports)
            say("  run record: \(path)")
        } catch {
            printError("cannot write the run record to \(reports): \(error.localizedDescription)")
            throw HaywireExit.harnessError
        }
        let differences = Replay.differences(recorded, again)
        guard differences.isEmpty else {
            say("the outcome differs:")
            differences.forEach { say("  \($0)") }
            throw HaywireExit.scenarioFailed
        }
        say("the same outcome: \(again.scenarios.count) scenarios, \(again.scenarios.filter { $0.verdict == "passed" }.count) passed")
    }
}
