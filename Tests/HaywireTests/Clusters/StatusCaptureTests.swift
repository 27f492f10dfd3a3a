import Foundation
import Testing
import VCSSemantics
@testable import Haywire

/// Captured `hastatus -sum`, `hagrp -state` and `hares -state` outputs that
/// people outside haywire published (Fixtures/vcs/real, with provenance),
/// read as `haywire status --from` reads them.
@Suite struct StatusCaptureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/vcs/real").standardizedFileURL

    static var captures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
    }

    private func read(_ name: String) throws -> ClusterState {
        try StatusCapture.vcs(String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8))
    }

    @Test func everyCaptureHasItsProvenance() throws {
        #expect(Self.captures.count >= 10)
        let provenance = try String(contentsOf: Self.folder.appendingPathComponent("PROVENANCE.md"), encoding: .utf8)
        for file in Self.captures { #expect(provenance.contains(file), "\(file) has no provenance") }
    }

    /// Every group capture reads to systems and groups; hares -state, which
    /// lists resources, is refused by name.
    @Test(arguments: captures)
    func everyCaptureReads(_ name: String) throws {
        guard !name.contains("hares-state") else {
            // Resources, not groups: read as what they are.
            let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            let resources = try #require(StatusCapture.resources(in: text))
            #expect(resources["infa_mount"] == ["node01": "OFFLINE|STATE UNKNOWN", "node02": "OFFLINE|STATE UNKNOWN"])
            #expect(resources.count == 5)
            return
        }
        let state = try read(name)
        #expect(!state.groups.isEmpty, "\(name)")
        #expect(state.groups.values.allSatisfy { !$0.isEmpty }, "\(name)")
        if !name.contains("hagrp-state") { #expect(!state.systems.isEmpty, "\(name)") }
    }

    @Test func whatTheCapturesSay() throws {
        // Indented four spaces, a system EXITED.
        let exited = try read("2daygeek-lctt-hastatus-sum-node2-exited.txt")
        #expect(exited.systems == ["2gvcsnode1": .running, "2gvcsnode2": .exited])
        #expect(exited.onlineSystems(of: "apachesg") == ["2gvcsnode2"])
        // A RESOURCES FAILED section after the groups; the group FAULTED there.
        let faulted = try read("akshatapshetty24-ksp-hastatus-sum-faulted.txt")
        #expect(faulted.flags(of: "infa_sg", on: "node02") == [.offline, .faulted])
        #expect(faulted.groups.count == 2)
        // A group name longer than its column, ragged columns, RESOURCES NOT PROBED.
        let probed = try read("akshatapshetty24-ksp-hastatus-sum-not-probed.txt")
        #expect(probed.onlineSystems(of: "vrts_vea_cfs_int_cfsmount2") == ["node01", "node02"])
        #expect(probed.flags(of: "cfs-sg", on: "node02") == .offline)
        // OFFLINE|STARTING, then a RESOURCES ONLINING section with an IState column.
        let onlining = try read("akshatapshetty24-ksp-hastatus-sum-onlining.txt")
        #expect(onlining.flags(of: "infa_sg", on: "node01") == [.offline, .starting])
        // hagrp -state with its |ONLINE| bars, behind a shell prompt.
        let states = try read("akshatapshetty24-ksp-hagrp-state.txt")
        #expect(states.onlineSystems(of: "cvm") == ["node01", "node02"])
        #expect(states.flags(of: "infa_sg", on: "node01") == .offline)
    }

    @Test func aStateWithASpaceAndJSON() throws {
        let state = try StatusCapture.vcs("""
            -- GROUP STATE
            B  g1  sysa  Y  N  OFFLINE|STATE UNKNOWN
            B  g1  sysb  Y  N  ONLINE|PARTIAL
            """)
        #expect(state.flags(of: "g1", on: "sysa") == .offline)
        #expect(StatusCapture.json(state, manager: "vcs")
                == #"{"manager": "vcs", "systems": {}, "groups": {"g1": {"sysa": "OFFLINE", "sysb": "ONLINE|PARTIAL"}}}"#)
        #expect(throws: HarnessError.self) { try StatusCapture.vcs("total 0\n-rw-r--r-- 1 root root 0 main.cf\n") }
    }
}
