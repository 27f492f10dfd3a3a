import ArgumentParser
import Foundation
import Haywire

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Heal the faults an interrupted or killed run left in its journal.")

    @Option(help: "The journal (default: Reports/haywire.journal).")
    var journal: String = "Reports/haywire.journal"

    func run() async throws {
        let outcome: Restore.Outcome
        do {
            let pending = try Journal(path: journal).outstanding()
            guard !pending.isEmpty else {
                say("\(journal): nothing to heal")
                return
            }
            say("\(journal): \(pending.count) faults to heal")
            outcome = try await Restore.run(Journal(path: journal))
        } catch {
            printError("\(journal): \(error)")
            throw HaywireExit.harnessError
        }
        outcome.lines.forEach { say("  \($0)") }
        if outcome.failures > 0 {
            printError("\(outcome.failures) faults could not be healed; they stay in \(journal)")
            throw HaywireExit.harnessError
        }
        say("the lab is as the journal found it before the run")
    }
}
