import VCSConfig
import VCSSemantics
import Yams

/// Reads a scenario's expectations, checking each name against main.cf.
extension ScenarioReader {
    private static let kindKeys = ["online", "offline", "faulted", "stays", "promoted"]

    func expectation(_ node: Node) throws(ConfigError) -> Expectation {
        let entries = try yaml.mapping(node, "an expectation", allowed: [
            "group", "online", "offline", "faulted", "promoted", "within", "stays", "for", "no-concurrency-violation", "system-state", "state",
        ])
        if let violationNode = entries["no-concurrency-violation"] {
            let groupName = try yaml.string(violationNode, "no-concurrency-violation")
            guard config.group(named: groupName) != nil else { throw yaml.error(violationNode, "no group '\(groupName)' in main.cf") }
            if let extra = (["group", "state"] + Self.kindKeys).lazy.compactMap({ entries[$0] }).first {
                throw yaml.error(extra, "no-concurrency-violation takes only the group and an optional 'within' window")
            }
            return try make(groupName, .noConcurrencyViolation, entries, node)
        }
        if let systemNode = entries["system-state"] {
            let system = try yaml.string(systemNode, "system-state")
            guard config.systems.contains(where: { $0.name == system }) else { throw yaml.error(systemNode, "no system '\(system)' in main.cf") }
            if let extra = (["group"] + Self.kindKeys).lazy.compactMap({ entries[$0] }).first {
                throw yaml.error(extra, "system-state takes the system, its 'state' and 'within'")
            }
            let stateNode = try yaml.required(entries, "state", in: node, "a system-state expectation")
            let text = try yaml.string(stateNode, "state")
            guard let state = SystemStatus(rawValue: text.uppercased()), [.running, .faulted, .exited].contains(state) else {
                throw yaml.error(stateNode, "state: RUNNING, FAULTED or EXITED, not '\(text)'")
            }
            return try make("", .systemState(system, state), entries, node)
        }
        if let stateNode = entries["state"] { throw yaml.error(stateNode, "'state' belongs to a system-state expectation") }
        let groupNode = try yaml.required(entries, "group", in: node, "an expectation")
        let groupName = try yaml.string(groupNode, "group")
        guard let group = config.group(named: groupName) else { throw yaml.error(groupNode, "no group '\(groupName)' in main.cf") }
        let given = Self.kindKeys.filter { entries[$0] != nil }
        guard given.count == 1, let key = given.first, let kindNode = entries[key] else {
            let second = given.dropFirst().first.flatMap { entries[$0] } ?? node
            throw yaml.error(second, "an expectation on a group gives one of online, offline, faulted, promoted or stays")
        }
        if key != "stays", let window = entries["for"] { throw yaml.error(window, "'for' belongs to a 'stays' expectation; use 'within'") }
        let inList = { (system: String) in group.systemList.contains { $0.system == system } }
        switch key {
        case "stays":
            let text = try yaml.string(kindNode, "stays")
            guard text == "online" || text == "partial" else {
                throw yaml.error(kindNode, "stays: 'online' (fully) or 'partial' (ONLINE or ONLINE|PARTIAL)")
            }
            let windowNode = try yaml.required(entries, "for", in: node, "a 'stays' expectation")
            return Expectation(group: groupName, kind: .stays(partial: text == "partial"),
                               within: try yaml.duration(windowNode, "for"), location: yaml.location(node))
        case "offline":
            guard try yaml.string(kindNode, "offline") == "everywhere" else { throw yaml.error(kindNode, "offline: only 'everywhere' is known") }
            return try make(groupName, .offlineEverywhere, entries, node)
        case "faulted":
            let system = try yaml.string(kindNode, "faulted")
            guard inList(system) else { throw yaml.error(kindNode, "'\(system)' is not a system in \(groupName)'s SystemList") }
            return try make(groupName, .faulted(system), entries, node)
        case "promoted":
            let system = try yaml.string(kindNode, "promoted")
            guard inList(system) else { throw yaml.error(kindNode, "'\(system)' is not a node in \(groupName)'s list") }
            return try make(groupName, .promoted(system), entries, node)
        default:
            let text = try yaml.string(kindNode, "online")
            if text.hasPrefix("not ") {
                let system = String(text.dropFirst(4)).trimmingCharacters(in: .whitespaces)
                guard inList(system) else { throw yaml.error(kindNode, "'\(system)' is not a system in \(groupName)'s SystemList") }
                return try make(groupName, .onlineElsewhere(system), entries, node)
            }
            switch text {
            case "next": return try make(groupName, .online(.next), entries, node)
            case "any": return try make(groupName, .online(.any), entries, node)
            default:
                guard inList(text) else {
                    throw yaml.error(kindNode, "'\(text)' is not next, any, not SYSTEM or a system in \(groupName)'s SystemList")
                }
                return try make(groupName, .online(.named(text)), entries, node)
            }
        }
    }

    private func make(_ group: String, _ kind: Expectation.Kind, _ entries: [String: Node], _ node: Node) throws(ConfigError) -> Expectation {
        let (deadline, percentiles) = try within(entries, node)
        var expectation = Expectation(group: group, kind: kind, within: deadline, location: yaml.location(node))
        if !percentiles.isEmpty {
            if expectation.isWindowed, let withinNode = entries["within"] {
                throw yaml.error(withinNode, "percentiles bound recovery times; \(expectation.description) has none")
            }
            expectation.percentiles = percentiles
        }
        return expectation
    }

    /// `within: 3m`, or `within: { p95: 90s, max: 3m }` (for repeated
    /// scenarios; max is each run's deadline).
    private func within(_ entries: [String: Node], _ node: Node) throws(ConfigError) -> (Duration, [PercentileBound]) {
        guard let withinNode = entries["within"] else {
            if let defaultWithin { return (defaultWithin, []) }
            throw yaml.error(node, "an expectation needs 'within' (or set defaults.within)")
        }
        guard case .mapping = withinNode else {
            let within = try yaml.duration(withinNode, "within")
            // A zero deadline passes before anything can be seen: it always fails.
            guard within > .zero else { throw yaml.error(withinNode, "within must be longer than zero") }
            return (within, [])
        }
        let names = ["p50", "p90", "p95", "p99"]
        let fields = try yaml.mapping(withinNode, "within", allowed: names + ["max"])
        let maxNode = try yaml.required(fields, "max", in: withinNode, "within with percentiles")
        let deadline = try yaml.duration(maxNode, "max")
        var bounds: [PercentileBound] = []
        for name in names {
            guard let valueNode = fields[name] else { continue }
            let bound = try yaml.duration(valueNode, name)
            guard bound <= deadline else { throw yaml.error(valueNode, "\(name) \(formatDuration(bound)) is beyond max \(formatDuration(deadline))") }
            bounds.append(PercentileBound(percentile: Int(name.dropFirst())!, bound: bound))
        }
        guard !bounds.isEmpty else { throw yaml.error(withinNode, "within: give p50, p90, p95 or p99 beside max, or just a duration") }
        return (deadline, bounds)
    }
}
