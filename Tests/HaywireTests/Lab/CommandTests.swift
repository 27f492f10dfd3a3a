import Foundation
import Testing
@testable import Haywire

@Suite struct CommandTests {
    @Test func capturesOutputAndStatus() async throws {
        let result = try await Command.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"], timeout: .seconds(10))
        #expect(result == CommandResult(status: 3, stdout: "out\n", stderr: "err\n"))
        #expect(!result.succeeded)
    }

    @Test func findsProgramsOnThePath() async throws {
        #expect(try await Command.run(["true"], timeout: .seconds(10)).succeeded)
    }

    @Test func aKillingSignalShowsAs128PlusIt() async throws {
        #expect(try await Command.run(["/bin/sh", "-c", "kill -9 $$"], timeout: .seconds(10)).status == 137)
    }

    @Test func aHungCommandIsKilledAtItsDeadline() async throws {
        // What is asserted is that the command is gone, not how long the
        // call took: on a loaded machine the awaiting task resumes late.
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-hung-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        await #expect(throws: HarnessError("/bin/sh -c echo $$ > \(pidFile); exec /bin/sleep 30 did not finish within 300ms")) {
            try await Command.run(["/bin/sh", "-c", "echo $$ > \(pidFile); exec /bin/sleep 30"], timeout: .milliseconds(300))
        }
        // No pid file: the shell was killed before it ran, and is gone too.
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else { return }
        let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0, "the hung command still runs")
    }

    @Test func aDaemonLeftBehindDoesNotHoldTheCall() async throws {
        // The background sleep keeps stdout open; the call must still return
        // when the shell exits, while the sleep still runs.
        let result = try await Command.run(["/bin/sh", "-c", "sleep 20 & echo $!"], timeout: .seconds(15))
        let pid = try #require(Int32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(pid, SIGKILL) }
        #expect(result.succeeded)
        #expect(kill(pid, 0) == 0, "the call waited for the daemon to exit")
    }

    @Test func aMissingProgramIsAClearError() async {
        await #expect(throws: HarnessError.self) {
            try await Command.run(["/nonexistent/tool"], timeout: .seconds(5))
        }
    }
}

@Suite struct ShellTests {
    @Test func parsesTheThreeKinds() {
        #expect(Shell.parse("local") == .local)
        #expect(Shell.parse("netns://lab1?pidfile=/run/x.pid") == .netns(name: "lab1", pidFile: "/run/x.pid"))
        #expect(Shell.parse("ssh://root@host7") == .ssh(destination: "root@host7", port: nil))
        #expect(Shell.parse("ssh://ops@host7:2222") == .ssh(destination: "ops@host7", port: 2222))
        #expect(Shell.parse("ssh://ops@host7?config=/etc/lab/ssh_config") == .ssh(destination: "ops@host7", port: nil, config: "/etc/lab/ssh_config"))
        #expect(Shell.parse("telnet://x") == nil)
        #expect(Shell.parse("netns://") == nil)
        #expect(Shell.parse("netns://a?oops") == nil)
    }

    @Test func sshIsBatchModeWithAConnectTimeoutAndAReusedConnection() throws {
        let argv = try Shell.ssh(destination: "ops@h", port: 2222).wrap(["/bin/echo", "it's"])
        #expect(argv.first == "/usr/bin/ssh")
        #expect(argv.contains("BatchMode=yes"))
        #expect(argv.contains("ConnectTimeout=5"))
        #expect(argv.contains("ControlMaster=auto"))
        #expect(Array(argv.suffix(4)) == ["ops@h", "--", "/bin/echo", "'it'\\''s'"])
    }

    @Test func aNetnsHostThatIsDownIsAClearError() async {
        let shell = Shell.netns(name: "hwl-nohost", pidFile: "/nonexistent/init.pid")
        await #expect(throws: HarnessError("host hwl-nohost is down: neither /nonexistent/init.pid nor /run/netns/hwl-nohost exists")) {
            _ = try await shell.run(["/bin/true"])
        }
    }

    /// Needs the loopback sshd that ci/test starts (ci/sshd); skipped elsewhere.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HAYWIRE_SSH_CONFIG"] != nil,
                   "needs HAYWIRE_SSH_CONFIG: a loopback sshd, as ci/sshd starts"))
    func sshRunsCommandsOnARealServer() async throws {
        let config = try #require(ProcessInfo.processInfo.environment["HAYWIRE_SSH_CONFIG"])
        let shell = try #require(Shell.parse("ssh://root@127.0.0.1:2222?config=\(config)"))
        #expect(try await shell.run(["/bin/echo", "it's $HOME"]).stdout == "it's $HOME\n")
        #expect(try await shell.run(["/bin/sh", "-c", "exit 4"]).status == 4)
        // Again, over the reused control connection.
        #expect(try await shell.run(["/bin/true"]).succeeded)
        let closed = try #require(Shell.parse("ssh://root@127.0.0.1:1?config=\(config)"))
        #expect(try await closed.run(["/bin/true"], timeout: .seconds(20)).status == 255)
    }

    @Test func localRunsHere() async throws {
        #expect(try await Shell.local.run(["/bin/echo", "hi"]).stdout == "hi\n")
    }
}
