import Foundation
import Testing
@testable import Haywire

/// A suite planned from the lab's CIB: every outcome from crm_simulate,
/// every SLA from the cluster's own timings.
@Suite(.enabled(if: PacemakerScheduler.installed, "crm_simulate is not installed (pacemaker-cli-utils); CIB plans are not tested"))
struct CIBPlannerTests {
    private func plan(_ change: (inout CIBPlanner) -> Void = { _ in }) async throws -> (text: String, scenarios: Int) {
        var planner = try CIBPlanner(cib: try await labCIB(), source: "lab-cib.xml")
        planner.timings = CIBPlanner.timings(corosync: "totem {\n    token: 1000\n}\n")
        change(&planner)
        return try await planner.suite()
    }

    @Test func theLabsCIBPlansEveryFailoverResourceAndWatchesTheClone() async throws {
        let (text, count) = try await plan()
        #expect(count == 13)
        #expect(text.contains("    vmgrp: [lab1, lab2, lab3]\n    vm2: [lab2, lab3, lab1]\n    vm3: [lab3, lab1, lab2]\n    dummy-clone: { nodes: [lab1, lab2, lab3], clone: true }\n"))
        #expect(text.contains("# power: a fencing device, not planned"))
        // Node loss: token 1 + consensus 1.2 (its default, 1.2 x token) + stonith-timeout 30 + the starts.
        #expect(text.contains("  # SLA 112.2 s = token 1 + consensus 1.2 + stonith-timeout 30 + starts 80 (vmstore 20, vm1 60)\n"))
        #expect(text.contains("  # SLA 122 s = vm2 monitor interval 2 + stops 60 (vm2 60) + starts 60 (vm2 60)\n"))
        #expect(text.contains("  # crm_simulate: vm2's monitor (every 2000 ms) on lab2 returns 7: vm2 lab2 -> lab3"))
        #expect(text.contains("    fault: { unmount: { host: active(vmgrp), mount: /run/vmstore } }\n"))
        #expect(text.contains("      - { group: vmgrp, online: next, within: 162s }\n"))
        // A lab to fill in, naming each guest the CIB runs.
        #expect(text.contains(#"    lab1: { libvirt: "qemu+ssh://root@lab1/system", shell: "ssh://root@lab1" }"#))
        #expect(text.contains("    vm2: { hosts: [lab1, lab2, lab3] }"))
        // What it writes is a suite haywire loads.
        let suite = try SuiteLoader.load(text: text, file: "plan.yaml")
        #expect(suite.scenarios.count == 13 && suite.cluster.manager == .pacemaker)
        // vm3 is a guest node: the lab to fill in says so, and lists no host for it.
        #expect(text.contains("    vm3: { hosts: [lab1, lab2, lab3], node: vm3-node }"))
        #expect(!text.contains("vm3-node: { libvirt"))
        #expect(text.contains("    fault: { kill-process: { host: active(vm2), process: corosync } }\n"))
    }

    @Test func onlyTheFaultKindsAskedForArePlanned() async throws {
        let (text, count) = try await plan { $0.faults = [.killGuest] }
        #expect(count == 3)
        #expect(!text.contains("kill-host"))
    }

    @Test func aResourceTheSchedulerLeavesStoppedIsNotPlannedAndSaysWhy() async throws {
        // With vm2 banned from every node, crm_simulate starts it nowhere.
        var cib = try await labCIB()
        cib = cib.replacingOccurrences(of: #"rsc="vm2" node="lab1" score="80""#, with: #"rsc="vm2" node="lab1" score="-INFINITY""#)
            .replacingOccurrences(of: #"rsc="vm2" node="lab2" score="100""#, with: #"rsc="vm2" node="lab2" score="-INFINITY""#)
            .replacingOccurrences(of: #"rsc="vm2" node="lab3" score="90""#, with: #"rsc="vm2" node="lab3" score="-INFINITY""#)
        let (text, count) = try await CIBPlanner(cib: cib, source: "banned.xml").suite()
        #expect(count == 9)
        #expect(text.contains("# vm2: crm_simulate runs it nowhere at rest, not planned"))
    }

    /// A lab borrowed from a suite (--lab-from) that lacks a guest: its
    /// VirtualDomain is not planned; what runs inside a guest node neither.
    @Test func guestsTheLabLacksAndGuestNodesAreNotPlanned() async throws {
        let (text, count) = try await plan { $0.labGuests = ["vm1", "vm2"] }
        #expect(count == 9)
        #expect(text.contains("# vm3: guest vm3 is not in the lab, not planned"))
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/pacemaker/lab-guest-node.cib.xml").standardizedFileURL.path
        let live = try await CIBPlanner(cib: try String(contentsOfFile: file, encoding: .utf8), source: "live.xml").suite()
        #expect(live.text.contains("# app: runs inside guest node vm3-node; faults inside guest nodes are not planned yet"))
        #expect(!live.text.contains("active(app)"))
    }

    @Test func notACIBIsRefused() {
        #expect(throws: HarnessError("x.xml: not a CIB (no well-formed <cib> document)")) {
            try CIBPlanner(cib: "<pacemaker-result/>", source: "x.xml")
        }
        #expect(CIBPlanner.timings(corosync: "totem {\n token: 3000\n consensus: 3600\n}").consensusOrDefault == 3600)
    }
}
