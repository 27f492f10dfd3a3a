import VCSConfig
import VCSSemantics

/// `crm_mon --output-as=xml` read into VCS's state words, for every
/// top-level resource: a primitive, group, clone (anonymous, unique, of
/// groups, promotable) or bundle.
///
/// A resource is ONLINE on each node where one of its instances runs whole
/// (a primitive, a group's every member, a bundle replica's every part),
/// PARTIAL where one runs in part, STARTING or STOPPING while a member is.
/// It is FAULTED on a node where a member failed (`failed="true"`, which
/// then does not count as running) or where a member's fail count has
/// reached its migration threshold (Pacemaker will not run it there until a
/// cleanup), as VCS keeps a faulted group off a system.
struct PacemakerStatus: Equatable {
    let state: ClusterState
    let quorate: Bool
    let designatedController: String?
    /// Each node as Pacemaker words it: online, standby, maintenance,
    /// pending, unclean, offline or shutting-down.
    let nodeStates: [String: String]
    /// member, remote or guest: what each node is.
    let nodeKinds: [String: String]
    /// For promotable resources: node -> Promoted or Unpromoted (Master and
    /// Slave, the words before Pacemaker 2.1, read as these).
    let roles: [String: [String: String]]
    /// Resources Pacemaker does not manage now, each with why.
    let unmanaged: [String: String]
    let failedActions: [FailedAction]
    let fencing: [FenceEvent]
    /// Each primitive (clone instances under their own id) and the nodes
    /// where it is active: what a fault on one resource of a group hits.
    var primitives: [String: [String]] = [:]
    /// Each top-level resource's primitives (clone instances without their `:N`).
    var members: [String: [String]] = [:]

    struct FailedAction: Equatable, Hashable {
        let operation: String
        let node: String
        let outcome: String
        let changed: String
        var text: String { "failed action \(operation) on \(node): \(outcome)" }
    }

    struct FenceEvent: Equatable, Hashable {
        let action: String
        let target: String
        let outcome: String
        let completed: String
        var text: String { "fencing \(action) of \(target): \(outcome)" }
    }

    private static let runningRoles: Set<String> = ["Started", "Promoted", "Unpromoted", "Master", "Slave"]

    /// Only `wanted` resources are read when given (one absent from the
    /// document is offline everywhere); nil reads every top-level resource.
    static func parse(_ xml: String, groups wanted: [String]?) throws -> PacemakerStatus {
        guard xml.contains("<"), let read = CrmMonXML(xml) else {
            throw HarnessError("crm_mon printed no XML: \(xml.prefix(200))")
        }
        guard read.sawSummary else { throw HarnessError("crm_mon XML has no summary: is the cluster running?") }
        var state = ClusterState()
        var words: [String: String] = [:], kinds: [String: String] = [:]
        var nodes: [String] = []
        var inMaintenance: Set<String> = []
        for node in read.nodes where node["type"] != "ping" {
            guard let name = node["name"] else { continue }
            nodes.append(name)
            let word = nodeWord(node)
            words[name] = word
            kinds[name] = node["id_as_resource"] != nil ? "guest" : (node["type"] ?? "member")
            if word == "maintenance" { inMaintenance.insert(name) }
            state.systems[name] = switch word {
            case "online", "standby", "maintenance": .running
            case "shutting-down": .leaving
            case "unclean": .faulted
            case "offline": .exited
            default: .unknown
            }
        }
        // A document without a node section (`--exclude=nodes`) still names
        // where resources run: those nodes are listed, their state unknown.
        let bundleNodes = Set(read.resources.filter { $0.kind == .bundle }.flatMap(\.units).flatMap(\.members).map(\.id))
        for name in read.resources.flatMap(\.units).flatMap(\.members).flatMap(\.nodes)
        where !nodes.contains(name) && !bundleNodes.contains(name) && !read.nodes.contains(where: { $0["name"] == name }) {
            nodes.append(name)
            state.systems[name] = .unknown
        }
        let banned = bannedPlaces(read.histories)
        let byID = Dictionary(read.resources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var roles: [String: [String: String]] = [:], unmanaged: [String: String] = [:]
        let maintenanceMode = read.clusterOptions["maintenance-mode"] == "true"
        for id in wanted ?? read.resources.map(\.id) {
            guard let top = byID[id] else {
                state.groups[id] = Dictionary(uniqueKeysWithValues: nodes.map { ($0, GroupFlags.offline) })
                continue
            }
            var perNode: [String: GroupFlags] = [:]
            for node in nodes { perNode[node] = flags(of: top, on: node, banned: banned) }
            state.groups[id] = perNode
            if let promotable = promotedRoles(of: top) { roles[id] = promotable }
            if let reason = unmanagedReason(top, maintenanceMode: maintenanceMode, nodesInMaintenance: inMaintenance) {
                unmanaged[id] = reason
            }
        }
        state.unmanaged = unmanaged
        var primitives: [String: [String]] = [:]
        for member in read.resources.flatMap(\.units).flatMap(\.members) where member.attributes["active"] != "false" {
            primitives[member.id, default: []] += member.nodes
        }
        var status = PacemakerStatus(
            state: state, quorate: read.designatedController?["with_quorum"] == "true",
            designatedController: read.designatedController?["name"], nodeStates: words, nodeKinds: kinds,
            roles: roles, unmanaged: unmanaged,
            failedActions: read.failures.map { failure in
                let reason = failure["exitreason"].map { $0.isEmpty ? "" : " (\($0))" } ?? ""
                return FailedAction(operation: failure["op_key"] ?? failure["id"] ?? "?", node: failure["node"] ?? "?",
                                    outcome: (failure["exitstatus"] ?? failure["status"] ?? "failed") + reason,
                                    changed: failure["last-rc-change"] ?? "")
            },
            fencing: read.fencing.map { event in
                FenceEvent(action: event["action"] ?? "?", target: event["target"] ?? "?",
                           outcome: event["status"] ?? event["state"] ?? "?", completed: event["completed"] ?? "")
            })
        status.primitives = primitives
        for top in read.resources {
            var ids: [String] = []
            for member in top.units.flatMap(\.members) {
                let plain = member.id.split(separator: ":").first.map(String.init) ?? member.id
                if !ids.contains(plain) { ids.append(plain) }
            }
            status.members[top.id] = ids
        }
        return status
    }

    /// The most telling word for a node: unclean before offline before
    /// maintenance before standby.
    private static func nodeWord(_ node: [String: String]) -> String {
        func yes(_ key: String) -> Bool { node[key] == "true" }
        if yes("unclean") { return "unclean" }
        if !yes("online") { return "offline" }
        if yes("maintenance") { return "maintenance" }
        if yes("standby") || yes("standby_onfail") { return "standby" }
        if yes("pending") { return "pending" }
        if yes("shutdown") { return "shutting-down" }
        return "online"
    }

    /// `node/resource` where the fail count has reached the migration threshold.
    private static func bannedPlaces(_ histories: [(node: String, attributes: [String: String])]) -> Set<String> {
        var banned: Set<String> = []
        for (node, history) in histories {
            guard let id = history["id"], let count = history["fail-count"] else { continue }
            let threshold = history["migration-threshold"].flatMap(Int.init) ?? 1_000_000
            let failures = count == "INFINITY" ? 1_000_000 : (Int(count) ?? 0)
            if failures >= threshold { banned.insert("\(node)/\(id)") }
        }
        return banned
    }

    private static func flags(of top: CrmMonXML.TopLevel, on node: String, banned: Set<String>) -> GroupFlags {
        var whole = false, part = false, starting = false, stopping = false, faulted = false, promoted = false
        for unit in top.units where !unit.members.isEmpty {
            // A bundle's inner resource runs on the replica's guest node,
            // named after the replica's remote connection: it counts where that runs.
            let hosts = Dictionary(unit.members.map { ($0.id, $0.nodes) }, uniquingKeysWith: { first, _ in first })
            var running = 0
            for member in unit.members {
                let places = member.nodes.flatMap { hosts[$0] ?? [$0] }
                let failed = member.attributes["failed"] == "true"
                if places.contains(node) {
                    if runningRoles.contains(member.role) && !failed { running += 1 }
                    if ["Promoted", "Master"].contains(member.role) && !failed { promoted = true }
                    // `pending="Starting"` (with --pending), or a role word of old.
                    let pending = (member.attributes["pending"] ?? (member.role.hasSuffix("ing") ? member.role : "")).lowercased()
                    if pending.hasPrefix("start") || pending.hasPrefix("promot") || pending.hasPrefix("migrat") { starting = true }
                    if pending.hasPrefix("stop") || pending.hasPrefix("demot") { stopping = true }
                    if failed { faulted = true }
                }
                let plain = member.id.split(separator: ":").first.map(String.init) ?? member.id
                if banned.contains("\(node)/\(member.id)") || banned.contains("\(node)/\(plain)") { faulted = true }
            }
            if running == unit.members.count { whole = true } else if running > 0 { part = true }
        }
        var flags: GroupFlags = whole ? .online : (part ? [.online, .partial] : .offline)
        if starting { flags.insert(.starting) }
        if stopping { flags.insert(.stopping) }
        if faulted { flags.insert(.faulted) }
        if promoted { flags.insert(.promoted) }
        return flags
    }

    /// Promoted or Unpromoted on each node where an instance runs, for a
    /// resource with either role; nil for one that has neither.
    private static func promotedRoles(of top: CrmMonXML.TopLevel) -> [String: String]? {
        var roles: [String: String] = [:]
        var promotable = top.attributes["multi_state"] == "true" || top.attributes["promotable"] == "true"
        for member in top.units.flatMap(\.members) {
            let role = switch member.role {
            case "Promoted", "Master": "Promoted"
            case "Unpromoted", "Slave": "Unpromoted"
            default: ""
            }
            guard !role.isEmpty else { continue }
            promotable = true
            for node in member.nodes where roles[node] != "Promoted" { roles[node] = role }
        }
        return promotable ? roles : nil
    }

    private static func unmanagedReason(
        _ top: CrmMonXML.TopLevel, maintenanceMode: Bool, nodesInMaintenance: Set<String>
    ) -> String? {
        if maintenanceMode { return "the cluster is in maintenance mode" }
        let members = top.units.flatMap(\.members)
        // Pacemaker marks what runs on a node in maintenance as in maintenance too.
        if let node = members.flatMap(\.nodes).first(where: nodesInMaintenance.contains) {
            return "it runs on \(node), which is in maintenance"
        }
        if top.attributes["maintenance"] == "true" || members.contains(where: { $0.attributes["maintenance"] == "true" }) {
            return "it is in maintenance"
        }
        if top.attributes["managed"] == "false" || members.contains(where: { $0.attributes["managed"] == "false" }) {
            return "it is unmanaged"
        }
        return nil
    }
}
