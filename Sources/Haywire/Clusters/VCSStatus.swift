import VCSConfig
import VCSSemantics

/// VCS's own status commands read into cluster state:
/// `hastatus -sum` (lines tagged A for systems and B for groups) and
/// `hagrp -state` (`group State system |ONLINE|`). VCS messages such as
/// `VCS ERROR V-16-1-10600 Cannot connect to VCS engine` become errors that
/// keep the code and say what it means where haywire knows.
enum VCSStatus {
    /// Only `groups` are kept when given; a capture read for its own sake
    /// keeps every group it shows.
    static func summary(_ text: String, groups: [String]?) throws -> ClusterState {
        try raiseMessages(in: text)
        var state = ClusterState()
        for group in groups ?? [] { state.groups[group] = [:] }
        var sawSection = false
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let tag = words.first else { continue }
            if tag == "--" { sawSection = true }
            switch tag {
            case "A" where words.count >= 3:
                state.systems[words[1]] = SystemStatus(rawValue: words[2]) ?? .unknown
            case "B" where words.count >= 6:
                guard groups == nil || state.groups[words[1]] != nil else { continue }
                // A state may hold a space: OFFLINE|STATE UNKNOWN.
                state.groups[words[1], default: [:]][words[2]] = flags(words[5...].joined(separator: " "))
            default:
                continue
            }
        }
        guard sawSection || !state.systems.isEmpty else {
            throw HarnessError("hastatus printed no summary: \(text.prefix(200))")
        }
        return state
    }

    /// `hagrp -state [group]` output; systems keep whatever `state` had.
    static func groupStates(_ text: String, into state: inout ClusterState) throws {
        try raiseMessages(in: text)
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count >= 4, words[1] == "State" else { continue }
            state.groups[words[0], default: [:]][words[2]] = flags(words[3...].joined(separator: " "))
        }
    }

    /// `|OFFLINE|FAULTED|`, `ONLINE`, `PARTIAL|STARTING`.
    static func flags(_ text: String) -> GroupFlags {
        var flags: GroupFlags = []
        for word in text.split(separator: "|") {
            switch word {
            case "ONLINE": flags.insert(.online)
            case "OFFLINE": flags.insert(.offline)
            case "FAULTED": flags.insert(.faulted)
            case "PARTIAL": flags.insert([.online, .partial])
            case "STARTING": flags.insert(.starting)
            case "STOPPING": flags.insert(.stopping)
            default: continue
            }
        }
        return flags.isEmpty ? .offline : flags
    }

    /// What haywire can add to a VCS message code.
    static let hints: [String: String] = [
        "V-16-1-10600": "the VCS engine (had) does not answer on this system",
    ]

    static func raiseMessages(in text: String) throws {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ", maxSplits: 3).map(String.init)
            guard words.count == 4, words[0] == "VCS", words[1] == "ERROR", words[2].hasPrefix("V-") else { continue }
            let hint = hints[words[2]].map { ": \($0)" } ?? ""
            throw HarnessError("VCS \(words[2]) \(words[3])\(hint)")
        }
    }
}
