import Foundation
import Testing
import VCSConfig
import VCSSemantics
@testable import Haywire

/// Fixtures written from VCS's documented output formats: no live VCS
/// cluster was available to record them from.
@Suite struct VCSStatusTests {
    private func fixture(_ name: String) throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/vcs/\(name)").standardizedFileURL.path
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func summaryLinesAAndBBecomeState() throws {
        let state = try VCSStatus.summary(try fixture("hastatus-failover.txt"), groups: ["vmgrp", "rsg"])
        #expect(state.systems == ["sysa": .faulted, "sysb": .running])
        #expect(state.flags(of: "vmgrp", on: "sysa") == [.offline, .faulted])
        #expect(state.flags(of: "vmgrp", on: "sysb") == .online)
        #expect(state.flags(of: "rsg", on: "sysb") == [.online, .partial, .starting])
        #expect(state.onlineSystems(of: "vmgrp") == ["sysb"])
    }

    @Test func groupsNotAskedForAreLeftOut() throws {
        let state = try VCSStatus.summary(try fixture("hastatus-failover.txt"), groups: ["vmgrp"])
        #expect(state.groups.keys.sorted() == ["vmgrp"])
    }

    @Test func hagrpStateValuesKeepTheirBars() throws {
        var state = ClusterState()
        try VCSStatus.groupStates(try fixture("hagrp-state.txt"), into: &state)
        #expect(state.groups["vmgrp"] == ["sysa": [.offline, .faulted], "sysb": .online])
    }

    @Test func vcsMessagesBecomeClearErrors() {
        #expect(throws: HarnessError("VCS V-16-1-10600 Cannot connect to VCS engine: the VCS engine (had) does not answer on this system")) {
            try VCSStatus.summary("VCS ERROR V-16-1-10600 Cannot connect to VCS engine\n", groups: [])
        }
        #expect(throws: HarnessError("VCS V-16-1-99999 Something went wrong")) {
            var state = ClusterState()
            try VCSStatus.groupStates("VCS ERROR V-16-1-99999 Something went wrong\n", into: &state)
        }
        #expect(throws: HarnessError.self) { try VCSStatus.summary("bash: hastatus: command not found", groups: []) }
    }
}
