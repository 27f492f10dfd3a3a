import Foundation
import Testing
import VCSSemantics
@testable import Haywire

/// crm_mon XML documents that people outside haywire published
/// (Fixtures/pacemaker/real, with provenance), each beside what a person
/// reading it says it shows (`.expected.json`, written by hand): every
/// top-level resource runs exactly where that reading says, in the role it
/// says, and every node is in the state it says.
@Suite struct CrmMonCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/pacemaker/real").standardizedFileURL

    static var documents: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".xml") }.map { String($0.dropLast(4)) }.sorted()
    }

    private struct Expected: Decodable {
        let nodes: [String: String]?
        let node_types: [String: String]?
        let resources: [String: [String: String]]
    }

    @Test func everyDocumentHasItsProvenanceAndItsReading() throws {
        #expect(Self.documents.count >= 20)
        let provenance = try String(contentsOf: Self.folder.appendingPathComponent("PROVENANCE.md"), encoding: .utf8)
        for name in Self.documents {
            #expect(provenance.contains("\(name).xml"), "\(name) has no provenance")
            #expect(FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent("\(name).expected.json").path))
        }
    }

    @Test(arguments: documents)
    func readsAsAPersonReadsIt(_ name: String) throws {
        let xml = try String(contentsOf: Self.folder.appendingPathComponent("\(name).xml"), encoding: .utf8)
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: Self.folder.appendingPathComponent("\(name).expected.json")))
        let status = try PacemakerStatus.parse(xml, groups: nil)
        #expect(Set(status.state.groups.keys) == Set(expected.resources.keys), "\(name): top-level resources")
        for (node, word) in expected.nodes ?? [:] {
            #expect(status.nodeStates[node] == word, "\(name): node \(node)")
        }
        // A remote node with a resource behind it (id_as_resource) is a guest node.
        for (node, type) in expected.node_types ?? [:] {
            #expect(status.nodeKinds[node] == type || (type == "remote" && status.nodeKinds[node] == "guest"), "\(name): node \(node)")
        }
        for (id, places) in expected.resources {
            for (node, flags) in status.state.groups[id] ?? [:] {
                let seen: String? = switch (flags.contains(.online), flags.contains(.partial)) {
                case (true, false): status.roles[id]?[node] ?? "Started"
                case (true, true): "Partial"
                default: nil
                }
                // Master and Slave, the words before Pacemaker 2.1, read as the new ones.
                let said = places[node].map { ["Master": "Promoted", "Slave": "Unpromoted"][$0] ?? $0 }
                #expect(seen == said, "\(name): \(id) on \(node) is \(flags)")
            }
            // PROMOTED where, and only where, the reading says Promoted (or Master).
            for (node, flags) in status.state.groups[id] ?? [:] {
                let promoted = ["Promoted", "Master"].contains(places[node] ?? "")
                #expect(flags.contains(.promoted) == promoted, "\(name): \(id) on \(node) is \(flags)")
            }
            for node in places.keys where status.state.groups[id]?[node] == nil {
                Issue.record("\(name): \(id) runs on \(node), which haywire does not list")
            }
        }
    }

    private func status(_ name: String) throws -> PacemakerStatus {
        try PacemakerStatus.parse(String(contentsOf: Self.folder.appendingPathComponent("\(name).xml"), encoding: .utf8), groups: nil)
    }

    /// What Pacemaker does not manage is said, with why: a fault there is refused.
    @Test func unmanagedResourcesAreNamedWithTheReason() throws {
        let wholeCluster = try status("pacemaker-cli-regression-maintenance-mode")
        #expect(wholeCluster.unmanaged.count == wholeCluster.state.groups.count)
        #expect(Set(wholeCluster.unmanaged.values) == ["the cluster is in maintenance mode"])
        let node = try status("pacemaker-cli-regression-node-maintenance")
        #expect(node.nodeStates["cluster02"] == "maintenance")
        #expect(node.unmanaged["dummy"] == "it runs on cluster02, which is in maintenance")
        #expect(node.unmanaged["Fencing"] == nil)
        #expect(try status("trento-agent-fake_crm_mon").unmanaged == ["grp_HA1_ASCS00": "it is unmanaged"])
        #expect(try status("pacemaker-cli-regression-basic").unmanaged.isEmpty)
    }

    @Test func failedActionsAndBothRootFormsRead() throws {
        let partial = try status("pacemaker-cli-regression-partially-active")
        #expect(partial.failedActions.map(\.text) == ["failed action dummy-2_monitor_0 on cluster02: Unimplemented"])
        // The failed member does not count as running, and marks its group.
        #expect(partial.state.flags(of: "partially-active-group", on: "cluster02") == [.online, .partial, .faulted])
        let old = try status("pcsd-crm1-1.1.12"), new = try status("pcsd-crm2_new_roles")
        #expect(old.state == new.state)
        #expect(old.roles == new.roles && !old.roles.isEmpty)
    }
}
