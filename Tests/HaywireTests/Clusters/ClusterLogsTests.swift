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
}
