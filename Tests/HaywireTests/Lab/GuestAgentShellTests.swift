import Foundation
import Testing
@testable import Haywire

/// The agent's replies, as qemu-ga 7.2 writes them (measured on the lab's
/// guest image); the round trip through libvirt runs in the lab tier.
@Suite struct GuestAgentShellTests {
    @Test func aFinishedCommandGivesItsStatusAndOutput() throws {
        let reply = #"{"return":{"exitcode":3,"out-data":"aGVsbG8K","err-data":"b29wcwo=","exited":true}}"#
        let status = try GuestAgentShell.answer(reply, guest: "vm3")
        let result = try GuestAgentShell.result(status, program: "/bin/sh")
        #expect(result == CommandResult(status: 3, stdout: "hello\n", stderr: "oops\n"))
    }

    @Test func aCommandKilledBySignalExitsAsAShellSaysIt() throws {
        let status = try GuestAgentShell.answer(#"{"return":{"signal":9,"exited":true}}"#, guest: "vm3")
        #expect(try GuestAgentShell.result(status, program: "sleep").status == 137)
        let silent = try GuestAgentShell.answer(#"{"return":{"exitcode":0,"exited":true}}"#, guest: "vm3")
        #expect(try GuestAgentShell.result(silent, program: "true") == CommandResult(status: 0, stdout: "", stderr: ""))
    }

    @Test func anAgentErrorOrGarbageIsAHarnessErrorNamingTheGuest() {
        #expect(throws: HarnessError("the guest agent of vm3 refused: Failed to execute child process “/nope” (No such file or directory)")) {
            try GuestAgentShell.answer(#"{"error":{"class":"GenericError","desc":"Failed to execute child process “/nope” (No such file or directory)"}}"#, guest: "vm3")
        }
        #expect(throws: HarnessError("the guest agent of vm3 answered something that is not a JSON object: [1]")) {
            try GuestAgentShell.answer("[1]", guest: "vm3")
        }
        #expect(throws: HarnessError("the guest agent says true exited but gives neither its exit code nor its signal")) {
            try GuestAgentShell.result(["exited": true], program: "true")
        }
        #expect((try? GuestAgentShell.answer(#"{"return":{}}"#, guest: "vm3"))?.isEmpty == true)
    }
}
