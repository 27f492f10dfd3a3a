import Foundation
import Testing

@Suite struct RestoreCommandTests {
    /// A journal as a run killed mid-fault leaves it.
    private func plantJournal(_ folder: URL) throws -> String {
        let suite = CLI.packageRoot.appendingPathComponent("Suites/pm-pm.yaml").path
        let entry = #"{"fault":{"kind":"kill-guest","guest":"vm1","links":[],"sides":[]},"id":"A1","op":"inject","suite":"\#(suite)"}"#
        let path = folder.appendingPathComponent("haywire.journal").path
        try (entry + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aRunRefusesToStartOverUnhealedFaults() async throws {
        let reports = try CLI.temporaryFolder()
        let journal = try plantJournal(reports)
        let refused = try await CLI.run(["run", "Suites/pm-pm.yaml", "--reports", reports.path])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("\(journal) lists 1 faults an earlier run made and did not heal: run haywire restore --journal \(journal), or pass --restore-first"))
        let first = try await CLI.run(["run", "Suites/pm-pm.yaml", "--reports", reports.path, "--restore-first", "--seed", "1"])
        #expect(first.status == 0)
        #expect(first.stdout.contains("healing 1 faults an earlier run left\n  healed kill-guest guest vm1: nothing to undo"))
        #expect(!FileManager.default.fileExists(atPath: journal))
    }

    @Test func restoreHealsWhatTheJournalListsAndClearsIt() async throws {
        let folder = try CLI.temporaryFolder()
        let journal = try plantJournal(folder)
        let restored = try await CLI.run(["restore", "--journal", journal])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout == "\(journal): 1 faults to heal\n  healed kill-guest guest vm1: nothing to undo: the cluster owns vm1\nthe lab is as the journal found it before the run\n")
        #expect(!FileManager.default.fileExists(atPath: journal))
        let again = try await CLI.run(["restore", "--journal", journal])
        #expect(again.stdout == "\(journal): nothing to heal\n")
    }
}
