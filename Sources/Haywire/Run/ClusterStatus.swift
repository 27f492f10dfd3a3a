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

    init(manager: ClusterManager, state: ClusterState) {
        self.manager = manager
        self.state = state
    }

    /// A captured output of `manager`'s status commands.
    public init(capture text: String, manager: ClusterManager) throws {
        self.manager = manager
        switch manager {
        case .pacemaker:
            state = try PacemakerStatus.parse(text, groups: nil).state
        case .vcs, .simulated:
            resources = StatusCapture.resources(in: text)
            state = resources == nil ? try StatusCapture.vcs(text) : ClusterState()
        }
    }

    public var json: String { StatusCapture.json(state, manager: manager.rawValue, resources: resources) }
    public var lines: [String] {
        StatusCapture.text(state) + (resources ?? [:]).keys.sorted().map { name in
            "resource \(name) " + resources![name]!.keys.sorted().map { "\($0)=\(resources![name]![$0]!)" }.joined(separator: " ")
        }
    }
}

