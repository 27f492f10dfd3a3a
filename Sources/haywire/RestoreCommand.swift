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
        let pending: [Journal.Entry]
        do { pending = try Journal(path: journal).outstanding() } catch {
            printError("\(journal): \(error)")
            throw HaywireExit.harnessError
        }
        guard !pending.isEmpty else {
            say("\(journal): nothing to heal")
            return
        }
        say("\(journal): \(pending.count) faults to heal")
        try await healJournal(journal, unhealed: "they stay in \(journal)")
        say("the lab is as the journal found it before the run")
    }
}

/// Heals what the journal at `path` lists and prints each heal; a fault
/// that cannot be healed is a harness error, `unhealed` saying what follows.
func healJournal(_ path: String, unhealed: String) async throws {
    let outcome: Restore.Outcome
    do { outcome = try await Restore.run(Journal(path: path)) } catch {
        printError("\(path): \(error)")
        throw HaywireExit.harnessError
    }
    outcome.lines.forEach { say("  \($0)") }
    if outcome.failures > 0 {
        printError("\(outcome.failures) faults could not be healed; \(unhealed)")
        throw HaywireExit.harnessError
    }
}
