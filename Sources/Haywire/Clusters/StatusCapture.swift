import VCSConfig
import VCSSemantics

/// VCS's status commands as someone captured them (`hastatus -sum`, `hagrp
/// -state`, `hasys -state`), and a state printed as `haywire status` does.
enum StatusCapture {

    /// Which VCS command printed it, by its header or its lines' shape.
    static func vcs(_ text: String) throws -> ClusterState {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        func words(_ line: String) -> [String] { line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
        if lines.contains(where: { $0.hasPrefix("-- SYSTEM STATE") || $0.hasPrefix("-- GROUP STATE") })
            || lines.contains(where: { ["A", "B"].contains(words($0).first ?? "") && words($0).count >= 3 }) {
            return try VCSStatus.summary(text, groups: nil)
        }
        if lines.contains(where: { $0.hasPrefix("#Resource") }) {
            throw HarnessError("this is hares -state output: it lists resources, not groups; read it with resources(in:)")
        }
        var state = ClusterState()
        // hasys -state: `node01 SysState RUNNING`.
        for line in lines where !line.hasPrefix("#") {
            let parts = words(line)
            if parts.count >= 3, parts[1] == "SysState" { state.systems[parts[0]] = SystemStatus(rawValue: parts[2]) ?? .unknown }
        }
        try VCSStatus.groupStates(text, into: &state)
        guard !state.systems.isEmpty || !state.groups.isEmpty else {
            throw HarnessError("not a VCS status: no hastatus -sum, hagrp -state or hasys -state lines in it")
        }
        return state
    }

    /// `hares -state`: each resource's state on each system, as VCS words
    /// it (`OFFLINE|STATE UNKNOWN` keeps its space). Nil for other output.
    static func resources(in text: String) -> [String: [String: String]]? {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.contains(where: { $0.hasPrefix("#Resource") }) else { return nil }
        var resources: [String: [String: String]] = [:]
        for line in lines where !line.hasPrefix("#") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard parts.count >= 4, parts[1] == "State" else { continue }
            resources[parts[0], default: [:]][parts[2]] = parts[3...].joined(separator: " ")
        }
        return resources
    }

    /// `--json`: `{"manager": …, "systems": {name: state}, "groups": {group: {system: "ONLINE|PARTIAL"}}}`, keys sorted.
    static func json(_ state: ClusterState, manager: String, resources: [String: [String: String]]? = nil) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let systems = state.systems.keys.sorted().map { "\(quoted($0)): \(quoted(state.systems[$0]!.rawValue))" }
        let groups = state.groups.keys.sorted().map { group in
            let row = state.groups[group]!.keys.sorted().map { "\(quoted($0)): \(quoted(state.groups[group]![$0]!.description))" }
            return "\(quoted(group)): {\(row.joined(separator: ", "))}"
        }
        let resourceRows = resources.map { all in
            ", \"resources\": {" + all.keys.sorted().map { name in
                "\(quoted(name)): {" + all[name]!.keys.sorted().map { "\(quoted($0)): \(quoted(all[name]![$0]!))" }.joined(separator: ", ") + "}"
            }.joined(separator: ", ") + "}"
        } ?? ""
        return "{\"manager\": \(quoted(manager)), \"systems\": {\(systems.joined(separator: ", "))}, \"groups\": {\(groups.joined(separator: ", "))}\(resourceRows)}"
    }

    /// One line per system, then one per group: `vmgrp  hosta=ONLINE hostb=OFFLINE`.
    static func text(_ state: ClusterState) -> [String] {
        state.systems.keys.sorted().map { "system \($0): \(state.systems[$0]!.rawValue)" }
            + state.groups.keys.sorted().map { "group  \(state.summary(of: $0))" }
    }
}
