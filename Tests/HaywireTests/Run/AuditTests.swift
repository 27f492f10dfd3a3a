import Testing
import VCSSemantics
@testable import Haywire

/// What the audits read off each observation.
@Suite struct AuditTests {
    private let allowed: [String: Set<String>] = ["vmgrp": ["hosta", "hostb"]]

    private func state(_ groups: [String: GroupFlags]) -> ClusterState {
        ClusterState(systems: ["hosta": .running, "hostb": .running, "hostc": .running], groups: ["vmgrp": groups])
    }

    @Test func aGroupOutsideItsSystemListIsNotedWhenItGetsThere() {
        let before = state(["hosta": .online, "hostb": .offline])
        let after = state(["hosta": .offline, "hostb": .offline, "hostc": .online])
        let found = placementViolations(from: before, to: after, allowed: allowed, at: .seconds(7))
        #expect(found.map(\.text) == ["vmgrp active on hostc, outside its SystemList"])
        #expect(found.first?.group == "vmgrp" && found.first?.time == .seconds(7))
        // Once: not again while it stays there, nor for a group inside its list.
        #expect(placementViolations(from: after, to: after, allowed: allowed, at: .seconds(8)).isEmpty)
        #expect(placementViolations(from: before, to: state(["hostb": .online]), allowed: allowed, at: .seconds(9)).isEmpty)
    }

    @Test func aSplitBrainIsNotedWhenItBegins() {
        let before = state(["hosta": .online, "hostb": .offline])
        let after = state(["hosta": .online, "hostb": [.online, .partial]])
        let found = concurrencyViolations(from: before, to: after, failoverGroups: ["vmgrp"], at: .seconds(39))
        #expect(found.map(\.text) == ["concurrency violation: vmgrp active on hosta, hostb"])
        #expect(concurrencyViolations(from: after, to: after, failoverGroups: ["vmgrp"], at: .seconds(40)).isEmpty)
    }
}
