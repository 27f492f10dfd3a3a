import Foundation
import Testing
import VCSSemantics
@testable import Haywire

/// The CIB ci/lab/up gives the lab's hosts, as ci/lab/cib prints it.
func labCIB(hosts: Int = 3) async throws -> String {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../ci/lab/cib").standardizedFileURL.path
    let printed = try await Command.run(["bash", script, String(hosts), "/dev/loop0"], timeout: .seconds(30))
    guard printed.succeeded else { throw HarnessError("ci/lab/cib failed: \(printed.stderr)") }
    return printed.stdout
}

/// Pacemaker's scheduler, asked through crm_simulate, on the lab's CIB.
@Suite(.enabled(if: PacemakerScheduler.installed, "crm_simulate is not installed (pacemaker-cli-utils); the scheduler oracle is not tested"))
struct SchedulerTests {
    @Test func aHandWrittenCIBSettlesOnItsMostPreferredNode() async throws {
        let steady = try await PacemakerScheduler.settle(try await labCIB())
        #expect(steady.settled)
        #expect(steady.status.state.onlineSystems(of: "vmgrp") == ["lab1"])
        #expect(steady.status.state.onlineSystems(of: "vm2") == ["lab2"])
        #expect(steady.status.state.onlineSystems(of: "dummy-clone") == ["lab1", "lab2", "lab3"])
        #expect(steady.status.nodeStates.filter { $0.key.hasPrefix("lab") } == ["lab1": "online", "lab2": "online", "lab3": "online"])
        #expect(steady.actions.contains { $0.hasPrefix("Start") && $0.contains("vm1") })
    }

    @Test func aFailedNodesGroupGoesWhereTheSchedulerSends() async throws {
        let steady = try await PacemakerScheduler.settle(try await labCIB())
        let after = try await PacemakerScheduler.settle(steady.cib, injecting: [.nodeFails("lab1")])
        #expect(after.status.state.onlineSystems(of: "vmgrp") == ["lab2"])
        #expect(after.status.nodeStates["lab1"] == "offline")
        #expect(after.actions.contains { $0.hasPrefix("Fence") && $0.contains("lab1") })
    }

    /// migration-threshold 1: one failed monitor bans the group from its
    /// node. (Without a DC in the CIB, crm_simulate restarted it in place.)
    @Test func aFailedMonitorMovesTheGroupUnderMigrationThresholdOne() async throws {
        let steady = try await PacemakerScheduler.settle(try await labCIB())
        let after = try await PacemakerScheduler.settle(
            steady.cib, injecting: [.operationFails(resource: "vm1", operation: "monitor", interval: 2000, node: "lab1", code: 7)])
        #expect(after.status.state.onlineSystems(of: "vmgrp") == ["lab2"])
        #expect(after.status.state.flags(of: "vmgrp", on: "lab1").contains(.faulted))
    }

    /// The live CIB of a settled lab has nothing left to do; the same CIB
    /// with lab3's history of dummy gone (a node that has just rejoined,
    /// its resources not yet probed) still has a start to make.
    @Test func aLiveCIBIsIdleOnlyWhenTheSchedulerHasNothingLeftToDo() async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/pacemaker/lab-guest-node.cib.xml").standardizedFileURL.path
        let live = try String(contentsOfFile: file, encoding: .utf8)
        #expect(try await PacemakerScheduler.pending(live) == [])
        let lab3 = try #require(live.range(of: "uname=\"lab3\""))
        let history = try #require(live.range(of: "<lrm_resource id=\"dummy\"", range: lab3.upperBound..<live.endIndex))
        let end = try #require(live.range(of: "</lrm_resource>", range: history.upperBound..<live.endIndex))
        let rejoined = live.replacingCharacters(in: history.lowerBound..<end.upperBound, with: "")
        let pending = try await PacemakerScheduler.pending(rejoined)
        #expect(pending.count == 1 && pending[0].hasPrefix("Start dummy:"), "\(pending)")
    }

    /// Both ways crm_simulate marks an action it cannot take are left out.
    @Test func blockedActionsAreNoWorkLeft() {
        let output = """
            Transition Summary:
              * Start      vm3-node     ( lab1 )  blocked
              * Start      vm1     ( lab2 )  (blocked)
              * Move       vm2     ( lab2 -> lab3 )

            Executing Cluster Transition:
            """
        #expect(PacemakerScheduler.transitionSummary(output) == ["Move vm2 (lab2 -> lab3)"])
    }

    @Test func notACIBIsAClearError() async {
        await #expect(throws: HarnessError("not a CIB: no well-formed <cib> document")) {
            try await PacemakerScheduler.settle("<pacemaker-result/>")
        }
    }
}

/// Each fault haywire makes, in the scheduler's words, answered on the lab's CIB.
@Suite(.enabled(if: PacemakerScheduler.installed, "crm_simulate is not installed (pacemaker-cli-utils); the scheduler oracle is not tested"))
struct SchedulerOracleTests {
    private func ask(_ fault: Fault) async throws -> SchedulerAnswer {
        try await SchedulerOracle.ask(cib: try await labCIB(), fault: fault)
    }

    @Test(arguments: [Fault.killHost(host: "lab1"), .killGuest(guest: "vm1"), .unmount(host: "lab1", mount: "/run/vmstore"),
                      .linkDown(host: "lab1", links: ["eth0"]), .killProcess(where: .host("lab1"), process: "corosync"),
                      .partition(sides: [["lab1"], ["lab2", "lab3"]])])
    func faultsOnTheActiveHostMoveTheGroupToTheNextPreferredNode(_ fault: Fault) async throws {
        let answer = try await ask(fault)
        #expect(answer.placements["vmgrp"] == ["lab2"], "\(answer.summary)")
        #expect(answer.summary.hasPrefix("crm_simulate: "))
        // vm2 runs on lab2 and is left where it is; the clone loses lab1's instance at most.
        #expect(answer.placements["vm2"] == ["lab2"], "\(answer.summary)")
    }

    /// vm2 must run with the clone: on its node's loss it goes to its next preference.
    @Test func theStandaloneGuestFollowsItsOwnPreferences() async throws {
        #expect(try await ask(.killHost(host: "lab2")).placements["vm2"] == ["lab3"])
        #expect(try await ask(.killGuest(guest: "vm2")).placements["vm2"] == ["lab3"])
    }

    @Test func whatTheClusterCannotNoticeMovesNothing() async throws {
        let answer = try await ask(.detachDisk(guest: "vm1", disk: "vda"))
        #expect(answer.placements["vmgrp"] == ["lab1"])
        #expect(answer.summary == "crm_simulate: nothing the cluster notices: nothing")
    }

    /// vm3 is a guest node (remote-node vm3-node) carrying app: its lost
    /// NIC shows as a failed connection; the node is fenced by recovering
    /// vm3, which moves on under migration-threshold 1, and app follows.
    /// On the lab's live CIB (cibadmin -Q): crm_simulate does not bring a
    /// guest node up from a CIB without a status section.
    @Test func aGuestNodesLostLinkRecoversTheGuestAndWhatRunsInIt() async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/pacemaker/lab-guest-node.cib.xml").standardizedFileURL.path
        let live = try String(contentsOfFile: file, encoding: .utf8)
        let lost = try await SchedulerOracle.ask(cib: live, fault: .guestLinksDown(guest: "vm3", macs: []))
        #expect(lost.placements["vm3"] == ["lab1"], "\(lost.summary)")
        #expect(lost.placements["app"] == ["vm3-node"], "\(lost.summary)")
        #expect(lost.summary.contains("vm3-node's monitor (every 30000 ms) on lab3 returns 1"), "\(lost.summary)")
        let host = try await SchedulerOracle.ask(cib: live, fault: .killHost(host: "lab3"))
        #expect(host.placements["vm3"] == ["lab1"], "\(host.summary)")
        #expect(host.placements["app"] == ["vm3-node"], "\(host.summary)")
        // vm1 is no guest node: nothing watches its network.
        let vm1 = try await SchedulerOracle.ask(cib: live, fault: .guestLinksDown(guest: "vm1", macs: []))
        #expect(vm1.summary == "crm_simulate: nothing the cluster notices: nothing")
    }

    /// A simulation still busy after its transitions answers for what it no
    /// longer touches, and for nothing it still moves (by a member's name too).
    @Test func anUnsettledSimulationAnswersOnlyForWhatItLeftAlone() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/pacemaker/started-on-lab1.xml").standardizedFileURL.path
        let status = try PacemakerStatus.parse(try String(contentsOfFile: file, encoding: .utf8), groups: nil)
        var busy = PacemakerScheduler.Outcome(status: status, cib: "", actions: [], settled: false)
        busy.restless = ["Recover    app     (     vm3-node )", "Fence (reboot) vm3-node 'peer has not been seen by the cluster'"]
        #expect(SchedulerOracle.placements(busy) == ["vmgrp": ["lab1"]])
        busy.restless = ["Recover    vm1     ( lab1 -> lab2 )"]
        #expect(SchedulerOracle.placements(busy).isEmpty)
    }

    @Test func aFaultTheSchedulerCannotBeToldOfSaysWhy() async {
        await #expect(throws: Unpredictable.self) { try await ask(.killProcess(where: .host("lab1"), process: "sshd")) }
        await #expect(throws: Unpredictable.self) { try await ask(.killGuest(guest: "nosuch")) }
        await #expect(throws: Unpredictable.self) { try await ask(.partition(sides: [["lab1"], ["lab2"], ["lab3"]])) }
    }
}
