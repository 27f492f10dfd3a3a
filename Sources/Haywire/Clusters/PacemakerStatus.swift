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
        guard xml.contains("<"), let read = CrmMonXML(xml) else {
            throw HarnessError("crm_mon printed no XML: \(xml.prefix(200))")
        }
        guard read.sawSummary else { throw HarnessError("crm_mon XML has no summary: is the cluster running?") }
        var state = ClusterState()
        var nodes: [String] = []
        for node in read.nodes {
            guard let name = node["name"] else { continue }
            nodes.append(name)
            let online = node["online"] == "true"
            let unclean = node["unclean"] == "true"
            state.systems[name] = online ? .running : (unclean ? .faulted : .exited)
        }
        // Fail counts at or past the threshold, per node and resource.
        var banned: Set<String> = []
        for (node, history) in read.histories {
            guard let id = history["id"], let count = history["fail-count"] else { continue }
            let threshold = history["migration-threshold"].flatMap(Int.init) ?? 1_000_000
            let failures = count == "INFINITY" ? 1_000_000 : (Int(count) ?? 0)
            if failures >= threshold { banned.insert("\(node)/\(id)") }
        }
        let groups = wanted ?? read.groups.map(\.id)
        for group in groups {
            let members = read.groups.filter { $0.id == group }.flatMap(\.members)
            var perNode: [String: GroupFlags] = [:]
            for node in nodes {
                var started = 0, starting = false, stopping = false, faulted = false
                for member in members {
                    let here = member.nodes.contains(node)
                    if here && (member.role == "Started" || member.role == "Promoted" || member.role == "Unpromoted") { started += 1 }
                    if here && member.role == "Starting" { starting = true }
                    if here && member.role == "Stopping" { stopping = true }
                    if banned.contains("\(node)/\(member.id)") { faulted = true }
                }
                var flags: GroupFlags = started == 0 ? .offline : (started == members.count ? .online : [.online, .partial])
                if starting { flags.insert(.starting) }
                if stopping { flags.insert(.stopping) }
                if faulted { flags.insert(.faulted) }
                perNode[node] = flags
            }
            state.groups[group] = perNode
        }
        return PacemakerStatus(
            state: state, quorate: read.designatedController?["with_quorum"] == "true",
            designatedController: read.designatedController?["name"])
    }
}
