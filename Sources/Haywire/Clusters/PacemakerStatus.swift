import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import VCSConfig
import VCSSemantics

/// `crm_mon --output-as=xml` read into VCS's state words. A group is ONLINE
/// on a node where all its members are Started, PARTIAL where some are,
/// STARTING or STOPPING while a member is; FAULTED where a member's fail
/// count has reached its migration threshold (Pacemaker will not run it
/// there until a cleanup), as VCS keeps a faulted group off a system.
struct PacemakerStatus: Equatable {
    let state: ClusterState
    let quorate: Bool
    let designatedController: String?

    /// Only `groups` are read when given; nil reads every `<group>` (a
    /// capture read for its own sake).
    static func parse(_ xml: String, groups wanted: [String]?) throws -> PacemakerStatus {
        // XMLDocument accepts some garbage without throwing; a root is a must.
        // Where libxml2 builds no document at all it crashes (SIGSEGV in
        // _CFXMLNodeGetPrivateData): on empty text, as crm_mon prints when it
        // dies, and on a NUL byte (ci/fuzz found both). So only text that
        // XMLParser reads through reaches it.
        guard !xml.contains("\0"), xml.contains("<"), XMLParser(data: Data(xml.utf8)).parse(),
              let document = try? XMLDocument(xmlString: xml), document.rootElement() != nil else {
            throw HarnessError("crm_mon printed no XML: \(xml.prefix(200))")
        }
        func elements(_ path: String) -> [XMLElement] {
            ((try? document.nodes(forXPath: path)) ?? []).compactMap { $0 as? XMLElement }
        }
        func attribute(_ element: XMLElement, _ name: String) -> String? { element.attribute(forName: name)?.stringValue }

        guard !elements("//summary").isEmpty else { throw HarnessError("crm_mon XML has no summary: is the cluster running?") }
        var state = ClusterState()
        var nodes: [String] = []
        for node in elements("//nodes/node") {
            guard let name = attribute(node, "name") else { continue }
            nodes.append(name)
            let online = attribute(node, "online") == "true"
            let unclean = attribute(node, "unclean") == "true"
            state.systems[name] = online ? .running : (unclean ? .faulted : .exited)
        }
        // Fail counts at or past the threshold, per node and resource.
        var banned: Set<String> = []
        for history in elements("//node_history/node/resource_history") {
            guard let node = (history.parent as? XMLElement).flatMap({ attribute($0, "name") }),
                  let id = attribute(history, "id"), let count = attribute(history, "fail-count") else { continue }
            let threshold = attribute(history, "migration-threshold").flatMap(Int.init) ?? 1_000_000
            let failures = count == "INFINITY" ? 1_000_000 : (Int(count) ?? 0)
            if failures >= threshold { banned.insert("\(node)/\(id)") }
        }
        // Members found by id, never by an XPath built from an id: a quote in
        // one made the XPath invalid, and FoundationXML crashed on it (ci/fuzz).
        let groupElements = elements("//resources/group")
        let groups = wanted ?? groupElements.compactMap { attribute($0, "id") }
        for group in groups {
            let members = groupElements.filter { attribute($0, "id") == group }.flatMap { $0.elements(forName: "resource") }
            var perNode: [String: GroupFlags] = [:]
            for node in nodes {
                var started = 0, starting = false, stopping = false, faulted = false
                for member in members {
                    let id = attribute(member, "id") ?? ""
                    let role = attribute(member, "role") ?? ""
                    let here = member.elements(forName: "node").contains { attribute($0, "name") == node }
                    if here && (role == "Started" || role == "Promoted" || role == "Unpromoted") { started += 1 }
                    if here && role == "Starting" { starting = true }
                    if here && role == "Stopping" { stopping = true }
                    if banned.contains("\(node)/\(id)") { faulted = true }
                }
                var flags: GroupFlags = started == 0 ? .offline : (started == members.count ? .online : [.online, .partial])
                if starting { flags.insert(.starting) }
                if stopping { flags.insert(.stopping) }
                if faulted { flags.insert(.faulted) }
                perNode[node] = flags
            }
            state.groups[group] = perNode
        }
        let dc = elements("//summary/current_dc").first
        return PacemakerStatus(
            state: state, quorate: dc.flatMap { attribute($0, "with_quorum") } == "true",
            designatedController: dc.flatMap { attribute($0, "name") })
    }
}
