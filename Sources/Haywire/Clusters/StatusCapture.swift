import Foundation
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

    /// `--json`: `{"manager": …, "systems": {name: state}, "groups": {group: {system: "ONLINE|PARTIAL"}}}`,
    /// then each of `extra` (e.g. `"resources"`, `"roles"`) as another object; keys sorted.
    /// `systemWords` replaces the VCS word for a system (Pacemaker's `standby`).
    static func json(_ state: ClusterState, manager: String, systemWords: [String: String] = [:],
                     extra: [(key: String, value: [String: [String: String]])] = []) -> String {
        func quoted(_ text: String) -> String {
            var escaped = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                case _ where scalar.value < 0x20: escaped += String(format: "\\u%04x", scalar.value)
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return "\"" + escaped + "\""
        }
        func object(_ rows: [String: String]) -> String {
            "{" + rows.keys.sorted().map { "\(quoted($0)): \(quoted(rows[$0]!))" }.joined(separator: ", ") + "}"
        }
        func nested(_ rows: [String: [String: String]]) -> String {
            "{" + rows.keys.sorted().map { "\(quoted($0)): \(object(rows[$0]!))" }.joined(separator: ", ") + "}"
        }
        let systems = state.systems.mapValues(\.rawValue).merging(systemWords) { _, word in word }
        let groups = state.groups.mapValues { $0.mapValues(\.description) }
        let extras = extra.map { ", \(quoted($0.key)): \(nested($0.value))" }.joined()
        return "{\"manager\": \(quoted(manager)), \"systems\": \(object(systems)), \"groups\": \(nested(groups))\(extras)}"
    }

    /// One line per system, then one per group: `vmgrp  hosta=ONLINE hostb=OFFLINE`.
    static func text(_ state: ClusterState) -> [String] {
        state.systems.keys.sorted().map { "system \($0): \(state.systems[$0]!.rawValue)" }
            + state.groups.keys.sorted().map { "group  \(state.summary(of: $0))" }
    }
}
