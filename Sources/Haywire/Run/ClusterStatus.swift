import VCSConfig
import VCSSemantics

/// A cluster's status as haywire sees it, from a live cluster or from a
/// captured output (`hastatus -sum`, `hagrp -state`, `crm_mon --output-as=xml`),
/// read as the probe reads the live one: what `haywire status` prints.
public struct ClusterStatus: Sendable {
    public let manager: ClusterManager
    let state: ClusterState
    /// From a captured `hares -state`: each resource's state per system.
    var resources: [String: [String: String]]?
    /// From a captured crm_mon document: what Pacemaker says beyond the states.
    var pacemaker: PacemakerStatus?

    init(manager: ClusterManager, state: ClusterState) {
        self.manager = manager
        self.state = state
    }

    /// A captured output of `manager`'s status commands.
    public init(capture text: String, manager: ClusterManager) throws {
        self.manager = manager
        switch manager {
        case .pacemaker:
            let read = try PacemakerStatus.parse(text, groups: nil)
            state = read.state
            pacemaker = read
        case .vcs, .simulated:
            resources = StatusCapture.resources(in: text)
            state = resources == nil ? try StatusCapture.vcs(text) : ClusterState()
        }
    }

    /// Pacemaker's extras: `roles` (promotable resources), `unmanaged`
    /// (`{id: {"reason": …}}`) and `node_kinds` for remote and guest nodes.
    public var json: String {
        var extra: [(key: String, value: [String: [String: String]])] = []
        if let resources { extra.append(("resources", resources)) }
        if let pacemaker {
            extra.append(("roles", pacemaker.roles))
            extra.append(("unmanaged", pacemaker.unmanaged.mapValues { ["reason": $0] }))
            extra.append(("node_kinds", pacemaker.nodeKinds.filter { $0.value != "member" }.mapValues { ["kind": $0] }))
        }
        return StatusCapture.json(state, manager: manager.rawValue, systemWords: pacemaker?.nodeStates ?? [:], extra: extra)
    }

    public var lines: [String] {
        var lines: [String]
        if let pacemaker {
            lines = state.systems.keys.sorted().map { node in
                let kind = pacemaker.nodeKinds[node].map { $0 == "member" ? "" : " (\($0) node)" } ?? ""
                return "node   \(node): \(pacemaker.nodeStates[node] ?? state.systems[node]!.rawValue)\(kind)"
            }
            lines += state.groups.keys.sorted().map { id in
                let roles = pacemaker.roles[id].map { roles in
                    " roles: " + roles.keys.sorted().map { "\($0)=\(roles[$0]!)" }.joined(separator: " ")
                } ?? ""
                let unmanaged = pacemaker.unmanaged[id].map { " (not managed: \($0))" } ?? ""
                return "resource \(state.summary(of: id))\(roles)\(unmanaged)"
            }
            lines += pacemaker.failedActions.map(\.text) + pacemaker.fencing.map(\.text)
        } else {
            lines = StatusCapture.text(state)
        }
        return lines + (resources ?? [:]).keys.sorted().map { name in
            "resource \(name) " + resources![name]!.keys.sorted().map { "\($0)=\(resources![name]![$0]!)" }.joined(separator: " ")
        }
    }
}
