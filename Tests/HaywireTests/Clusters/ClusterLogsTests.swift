import Foundation
import Testing
@testable import Haywire

/// The cluster's own log lines on the timeline: stamped by their own
/// clocks, kept within the window, only the lines a person reads first.
@Suite struct ClusterLogsTests {
    private struct Canned: CommandRunner {
        let files: [String: String]
        func run(_ argv: [String], timeout: Duration) async throws -> CommandResult {
            guard let text = files[argv.last ?? ""] else { return CommandResult(status: 1, stdout: "", stderr: "no such file") }
            return CommandResult(status: 0, stdout: text, stderr: "")
        }
    }

    private func date(_ text: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let f = DateFormatter()
        f.calendar = calendar
        f.timeZone = .current
        f.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return f.date(from: text)!
    }

    @Test func pacemakerAndCorosyncLinesInTheWindowGoOnTheTimeline() async {
        // Lines as this repository's lab logs them (Pacemaker 2.1.5, corosync 3.1.7 with hires stamps).
        let pacemaker = """
            Dec 06 21:49:59.353 lab1 pacemaker-based     [57] (cib_perform_op) \tinfo: Diff: --- 0.15.38 2
            Dec 06 21:50:01.100 lab1 pacemaker-controld  [61] (do_state_transition) \tnotice: State transition S_IDLE -> S_POLICY_ENGINE
            Dec 06 21:50:02.200 lab1 pacemaker-fenced    [58] (remote_op_done) \tnotice: Operation 'reboot' targeting lab2 by lab3: OK
            Dec 06 21:59:00.000 lab1 pacemaker-controld  [61] (do_state_transition) \tnotice: too late
            """
        let corosync = """
            Dec 06 21:50:01.050 [41] lab1 corosync notice  [TOTEM ] A processor failed, forming new configuration: token timed out (1000ms)
            Dec 06 21:50:01.060 [41] lab1 corosync info    [KNET  ] link: host: 2 link: 0 is down
            """
        let logs = ClusterLogs(sources: ClusterLogs.pacemaker)
        let clock = LabClock()
        let node = Canned(files: ["/var/log/pacemaker/pacemaker.log": pacemaker, "/var/log/corosync/corosync.log": corosync])
        let entries = await logs.entries(on: [(name: "lab1", shell: node)], from: date("2026-12-06 21:50:00.000"),
                                         to: date("2026-12-06 21:55:00.000"), clock: clock)
        #expect(entries.map(\.text) == [
            "lab1 pacemaker: lab1 pacemaker-controld  [61] (do_state_transition) \tnotice: State transition S_IDLE -> S_POLICY_ENGINE",
            "lab1 pacemaker: lab1 pacemaker-fenced    [58] (remote_op_done) \tnotice: Operation 'reboot' targeting lab2 by lab3: OK",
            "lab1 corosync: [41] lab1 corosync notice  [TOTEM ] A processor failed, forming new configuration: token timed out (1000ms)",
        ])
        #expect(entries.allSatisfy { $0.kind == .log })
        // Each at its own stamp: 1.1 s and 2.2 s after 21:50:00 sit 1.1 s apart on the clock.
        let gap = secondsValue(entries[1].time - entries[0].time)
        #expect(abs(gap - 1.1) < 0.001)
    }

    @Test func vcsEngineLogLinesAllCount() async {
        let engine = """
            2026/12/06 21:50:01 VCS NOTICE V-16-1-10300 Initiating Offline of Resource webip (Owner: Unspecified, Group: webgrp) on System node1
            2026/12/06 21:50:05 VCS INFO V-16-1-10298 Resource webip (Owner: Unspecified, Group: webgrp) is online on node2 (VCS initiated)
            """
        let logs = ClusterLogs(sources: ClusterLogs.vcs)
        let entries = await logs.entries(on: [(name: "node2", shell: Canned(files: ["/var/VRTSvcs/log/engine_A.log": engine]))],
                                         from: date("2026-12-06 21:50:00.000"), to: date("2026-12-06 21:51:00.000"), clock: LabClock())
        #expect(entries.map(\.text) == [
            "node2 engine_A: VCS NOTICE V-16-1-10300 Initiating Offline of Resource webip (Owner: Unspecified, Group: webgrp) on System node1",
            "node2 engine_A: VCS INFO V-16-1-10298 Resource webip (Owner: Unspecified, Group: webgrp) is online on node2 (VCS initiated)",
        ])
        // A node without the file adds nothing.
        #expect(await logs.entries(on: [(name: "n", shell: Canned(files: [:]))], from: .distantPast, to: .distantFuture, clock: LabClock()).isEmpty)
    }

    /// The engine log lines Veritas's guides and a public parser print (see
    /// Fixtures/vcs/engine-logs/PROVENANCE.md): each stamp form, messages that go
    /// on over the next lines, and VCS 3's tag.
    @Test func realEngineLogExamplesAreRead() throws {
        let folder = "\(suitesFolder)/../Tests/HaywireTests/Fixtures/vcs/engine-logs"
        func read(_ name: String) throws -> [(Date, String)] {
            ClusterLogs.vcsMessages(try String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8))
        }
        let users = try read("veritas-vcs-users-guide-5.0-engine-log.txt")
        #expect(users.map(\.1) == ["VCS INFO V-16-1-10077 received new cluster membership."])
        #expect(users.first?.0 == date("2003-02-10 16:08:09.000"))
        #expect(try read("veritas-vcs-admin-6.0-engine-log.txt").map(\.1) == ["VCS INFO V-16-1-10077 Received new cluster membership"])
        let agent = try read("veritas-agent-dev-7.2-message.txt")
        #expect(agent.map(\.1) == ["VCS ERROR V-16-2001-14001 FileOnOff:MyFile:online:Resource could not be brought up "
                                    + "because,the attempt to create the file (filename) failed with error (Is a Directory)"])
        #expect(agent.first?.0 == date("2010-09-26 11:32:56.000"))
        let tagged = try read("vcs3-engine-log-tag.txt")
        #expect(tagged.map(\.1) == ["TAG_C VCS:10075:building from remote system."])
        #expect(tagged.first?.0 == date("2001-12-03 18:54:58.000"))
        #expect(try read("ariba-vcslogparser-example.txt").map(\.1)
                == ["VCS INFO V-16-1-10304 Resource Mount_anlab_ora05data01 (Owner: unknown, Group: ANLAB) is offline on duck (First probe)"])
    }

    /// Command output VCS copies into its log is no message, and lines
    /// before the first stamp belong to none.
    @Test func commandOutputBetweenBoundariesIsSkipped() {
        let text = """
            left over from an earlier message
            2026/12/06 21:50:01 VCS NOTICE V-16-1-10300 Initiating Offline of Resource webip
            +--------------------------------------------------------------------+
            2026/12/06 21:50:02 not a message: output of a command
            | some table |
            +====================================================================+
            2026/12/06 21:50:03 VCS INFO V-16-1-10305 Resource webip is offline
            """
        #expect(ClusterLogs.vcsMessages(text).map(\.1) == [
            "VCS NOTICE V-16-1-10300 Initiating Offline of Resource webip", "VCS INFO V-16-1-10305 Resource webip is offline",
        ])
    }
}
