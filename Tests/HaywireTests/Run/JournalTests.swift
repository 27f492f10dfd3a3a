import Foundation
import Testing
@testable import Haywire

@Suite struct JournalTests {
    private func journal() throws -> Journal {
        Journal(path: try fixtureFolder([:]) + "/reports/haywire.journal")
    }

    @Test func aFaultStaysListedUntilItsHeal() throws {
        let journal = try journal()
        #expect(try journal.outstanding().isEmpty)
        let link = Fault.linkDown(host: "lab1", links: ["eth0"])
        let first = try journal.recordInjection(link, suite: "/s.yaml")
        let second = try journal.recordInjection(Fault.killHost(host: "lab2"), suite: "/s.yaml")
        #expect(try journal.outstanding().map(\.id) == [first, second])
        #expect(try journal.outstanding().first?.fault == link)
        try journal.recordHeal(first)
        #expect(try journal.outstanding().map(\.id) == [second])
        try journal.recordHeal(second)
        // Nothing outstanding: the journal is gone.
        #expect(!FileManager.default.fileExists(atPath: journal.path))
    }

    @Test func aLineTornByACrashIsIgnoredButDamageIsNot() throws {
        let journal = try journal()
        let id = try journal.recordInjection(Fault.killGuest(guest: "vm1"), suite: "/s.yaml")
        let handle = try #require(FileHandle(forWritingAtPath: journal.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"op\":\"hea".utf8))
        try handle.close()
        #expect(try journal.outstanding().map(\.id) == [id])
        try "garbage\n{}\n".write(toFile: journal.path, atomically: true, encoding: .utf8)
        #expect(throws: HarnessError.self) { try journal.outstanding() }
    }
}
