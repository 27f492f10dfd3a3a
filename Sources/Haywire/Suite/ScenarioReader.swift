import Simulator
import VCSConfig
import Yams

/// Reads one scenario and checks every name it uses against the lab and main.cf.
struct ScenarioReader {
    let yaml: YAMLNodes
    let config: ClusterConfig
    let lab: LabSpec
    let defaultWithin: Duration?
    let simulated: Bool

    /// Every error of the scenario, not just its first: each fault,
    /// expectation, waiver and placement is read on its own.
    func scenario(_ node: Node) throws(ConfigError) -> Scenario {
        let entries = try yaml.mapping(node, "a scenario", allowed: ["name", "given", "fault", "faults", "random", "expect", "tags", "repeat", "allow"])
        let name = try yaml.string(try yaml.required(entries, "name", in: node, "a scenario"), "name")
        var errors: [ConfigError] = []
        func attempt<T>(_ read: () throws(ConfigError) -> T) -> T? {
            do { return try read() } catch {
                errors += [error] + error.others
                return nil
            }
        }
        var faults: [FaultSpec] = []
        var random: RandomSchedule?
        let given = ["fault", "faults", "random"].filter { entries[$0] != nil }
        if given.count == 1, let key = given.first, let body = entries[key] {
            switch key {
            case "fault":
                faults = attempt { () throws(ConfigError) in [try fault(body)] } ?? []
            case "faults":
                let items = attempt { () throws(ConfigError) in try yaml.sequence(body, "faults") } ?? []
                faults = items.compactMap { item in attempt { () throws(ConfigError) in try fault(item) } }
                if items.isEmpty, errors.isEmpty { errors.append(yaml.error(body, "faults is empty")) }
            default:
                random = attempt { () throws(ConfigError) in try randomSchedule(body) }
            }
        } else {
            let second = given.dropFirst().first.flatMap { entries[$0] } ?? node
            errors.append(yaml.error(second, "scenario '\(name)' needs one of 'fault', 'faults' (a timeline) or 'random' (a drawn schedule)"))
        }
        var expectations: [Expectation] = []
        if let expectNode = attempt({ () throws(ConfigError) in try yaml.required(entries, "expect", in: node, "scenario '\(name)'") }) {
            let items = attempt { () throws(ConfigError) in try yaml.sequence(expectNode, "expect") } ?? []
            expectations = items.compactMap { item in attempt { () throws(ConfigError) in try expectation(item) } }
            if items.isEmpty, errors.isEmpty { errors.append(yaml.error(expectNode, "scenario '\(name)' expects nothing")) }
        }
        var scenario = Scenario(name: name, faults: faults, expectations: expectations, location: yaml.location(node))
        scenario.random = random
        if let tagsNode = entries["tags"] {
            scenario.tags = attempt { () throws(ConfigError) in
                try yaml.sequence(tagsNode, "tags").map { node throws(ConfigError) in try yaml.string(node, "tag") }
            } ?? []
        }
        if let allowNode = entries["allow"] {
            // An audit waived, by name, with the reason the report shows.
            let audits = Audit.allCases.map(\.rawValue)
            let waivers: [String: Node] = attempt { () throws(ConfigError) in try yaml.mapping(allowNode, "allow", allowed: audits) } ?? [:]
            for key in waivers.keys.sorted() {
                let value = waivers[key]!
                guard let reason = attempt({ () throws(ConfigError) in try yaml.string(value, key) })?.trimmingCharacters(in: .whitespaces) else { continue }
                guard !reason.isEmpty else {
                    errors.append(yaml.error(value, "allow: \(key) needs the reason it is waived"))
                    continue
                }
                scenario.waived[Audit(rawValue: key)!] = reason
            }
        }
        if let repeatNode = entries["repeat"] {
            if let text = attempt({ () throws(ConfigError) in try yaml.string(repeatNode, "repeat") }) {
                if let count = Int(text), (1...10_000).contains(count) { scenario.repeats = count } else {
                    errors.append(yaml.error(repeatNode, "repeat: a count from 1 to 10000"))
                }
            }
        }
        // Deadlines run from the first fault: one that ends before a later
        // fault strikes cannot judge it.
        if let last = faults.map(\.at).max(), let early = expectations.first(where: { !$0.isWindowed && $0.within < last }) {
            errors.append(ConfigError(early.location, "within \(formatDuration(early.within)) ends before the fault at \(formatDuration(last)) strikes (deadlines run from the first fault)"))
        }
        if scenario.repeats == 1, let bound = expectations.first(where: { !$0.percentiles.isEmpty }) {
            errors.append(ConfigError(bound.location, "percentiles need a scenario that repeats (repeat: N)"))
        }
        if let givenNode = entries["given"] {
            for item in attempt({ () throws(ConfigError) in try yaml.sequence(givenNode, "given") }) ?? [] {
                if let placement = attempt({ () throws(ConfigError) in try placement(item) }) { scenario.given.append(placement) }
            }
        }
        if let error = ConfigError.combining(errors) { throw error }
        return scenario
    }

    private func placement(_ node: Node) throws(ConfigError) -> Placement {
        let entries = try yaml.mapping(node, "a given state", allowed: ["group", "online"])
        let groupNode = try yaml.required(entries, "group", in: node, "a given state")
        let groupName = try yaml.string(groupNode, "group")
        guard let group = config.group(named: groupName) else { throw yaml.error(groupNode, "no group '\(groupName)' in main.cf") }
        let systemNode = try yaml.required(entries, "online", in: node, "a given state")
        let system = try yaml.string(systemNode, "online")
        guard group.systemList.contains(where: { $0.system == system }) else {
            throw yaml.error(systemNode, "'\(system)' is not a system in \(groupName)'s SystemList")
        }
        return Placement(group: groupName, system: system)
    }

    /// A guest by name, or the node (itself a guest: KVM-KVM) where a group
    /// runs or would fail over to.
    private func guestRef(_ body: Node) throws(ConfigError) -> HostRef {
        let text = try yaml.string(body, "guest")
        guard text.hasPrefix("active(") || text.hasPrefix("next(") else { return .named(try guest(body)) }
        let node = try host(body)
        let group: String = switch node {
        case .active(let name), .next(let name): name
        case .named(let name): name
        }
        let systems = config.group(named: group)?.systemList.map(\.system) ?? []
        guard systems.allSatisfy({ system in lab.guests.contains { $0.name == system } }) else {
            throw yaml.error(body, "\(text) names a guest only where \(group)'s systems are lab guests (KVM-KVM)")
        }
        return node
    }

    private func fault(_ node: Node) throws(ConfigError) -> FaultSpec {
        let kinds = FaultKind.builtIn.map(\.rawValue)
        let entries = try yaml.mapping(node, "fault", allowed: kinds + ["for", "at"])
        let given = kinds.filter { entries[$0] != nil }
        guard given.count == 1, let kind = FaultKind(known: given[0]), let body = entries[given[0]] else {
            throw yaml.error(node, "a fault names exactly one of \(kinds.joined(separator: ", "))")
        }
        let duration = try entries["for"].map { node throws(ConfigError) in try yaml.duration(node, "for") }
        // What the backend has a handler for is what it can make.
        let (backendName, makes) = simulated ? (SimulatedInjector.standard.backend, SimulatedInjector.standard.kinds)
            : (LabInjector.standard.backend, LabInjector.standard.kinds)
        guard makes.contains(kind) else {
            throw yaml.error(body, "\(backendName) cannot make \(kind.rawValue) faults (it makes: \(makes.sorted().map(\.rawValue).joined(separator: ", ")))"
                             + (kind == .partition ? "; use link-down on a real lab, or run on the simulator" : ""))
        }
        let target: FaultSpec.Target
        switch kind {
        case .killGuest, .crashGuest, .pauseGuest, .shutdownGuest, .rebootGuest:
            switch try guestRef(body) {
            case .named(let name): target = .guest(name)
            case let node: target = .guestAt(node)
            }
        case .partition:
            target = .partition(try sides(body))
        case .killHost, .pauseHost:
            target = .host(try host(body))
        case .killProcess:
            let fields = try yaml.mapping(body, "kill-process", allowed: ["host", "guest", "process"])
            let processNode = try yaml.required(fields, "process", in: body, "kill-process")
            let process = try yaml.string(processNode, "process")
            guard !process.contains("/"), !process.contains(" ") else {
                throw yaml.error(processNode, "process: give the program's name as ps shows it, e.g. corosync")
            }
            switch (fields["host"], fields["guest"]) {
            case (let hostNode?, nil):
                target = .process(try host(hostNode), process)
            case (nil, let guestNode?):
                let ref = try guestRef(guestNode)
                let named: [String] = switch ref {
                case .named(let name): [name]
                case .active(let group), .next(let group): config.group(named: group)?.systemList.map(\.system) ?? []
                }
                for name in named where !simulated && !lab.guests.contains(where: { $0.name == name && $0.agentShell }) {
                    throw yaml.error(guestNode, "kill-process inside guest \(name) needs a shell in it: give the guest 'shell: guest-agent' in lab.guests")
                }
                target = .guestProcess(ref, process)
            default:
                throw yaml.error(body, "kill-process names either a host or a guest")
            }
        case .detachDisk:
            let fields = try yaml.mapping(body, "detach-disk", allowed: ["guest", "nested", "target"])
            let device = try yaml.string(try yaml.required(fields, "target", in: body, "detach-disk"), "target")
            if let nestedNode = fields["nested"] {
                guard fields["guest"] == nil else { throw yaml.error(body, "detach-disk names either a guest or a nested host") }
                target = .outerDisk(try nested(nestedNode), device)
            } else {
                target = .disk(try self.guest(try yaml.required(fields, "guest", in: body, "detach-disk")), device)
            }
        case .linkDown:
            if case .mapping = body, let nestedNode = (try? yaml.mapping(body, "link-down", allowed: ["nested", "mac"]))?["nested"] {
                let fields = try yaml.mapping(body, "link-down", allowed: ["nested", "mac"])
                let macs = try fields["mac"].map { node throws(ConfigError) in [try yaml.string(node, "mac").lowercased()] } ?? []
                target = .outerLinks(try nested(nestedNode), macs)
            } else if case .mapping = body, let guestNode = (try? yaml.mapping(body, "link-down", allowed: ["guest", "mac"]))?["guest"] {
                let fields = try yaml.mapping(body, "link-down", allowed: ["guest", "mac"])
                if simulated, let mac = fields["mac"] {
                    throw yaml.error(mac, "the simulator's guests have no MAC addresses; leave 'mac' out to drop every NIC")
                }
                let macs = try fields["mac"].map { node throws(ConfigError) in [try yaml.string(node, "mac").lowercased()] } ?? []
                target = .guestLinks(try guestRef(guestNode), macs)
            } else if case .mapping = body {
                let fields = try yaml.mapping(body, "link-down", allowed: ["host", "link", "guest", "mac"])
                let hostRef = try host(try yaml.required(fields, "host", in: body, "link-down"))
                var links: [String] = []
                if let linkNode = fields["link"] {
                    // One link, or a list of them.
                    let nodes: [Node] = if case .sequence = linkNode { try yaml.sequence(linkNode, "link") } else { [linkNode] }
                    let known = simulated ? SimulatorSettings().links.keys.sorted()
                        : Array(Set(lab.hosts.flatMap(\.links))).sorted()
                    for node in nodes {
                        let link = try yaml.string(node, "link")
                        guard known.contains(link) else {
                            throw yaml.error(node, "unknown link '\(link)' (\(simulated ? "simulated hosts have" : "the lab's hosts list") \(known.joined(separator: ", ")))")
                        }
                        links.append(link)
                    }
                }
                target = .links(hostRef, links)
            } else {
                target = .links(try host(body), [])
            }
        case .unmount:
            let fields = try yaml.mapping(body, "unmount", allowed: ["host", "mount"])
            let hostRef = try host(try yaml.required(fields, "host", in: body, "unmount"))
            let mountNode = try yaml.required(fields, "mount", in: body, "unmount")
            let mount = try yaml.string(mountNode, "mount")
            let mountPoints = config.groups.flatMap(\.resources).filter { ["Mount", "CFSMount"].contains($0.type) }
                .compactMap { $0.scalar("MountPoint") }
            guard !simulated || mountPoints.contains(mount) else {
                throw yaml.error(mountNode, "no Mount resource in main.cf has MountPoint '\(mount)'")
            }
            target = .mount(hostRef, mount)
        default:
            throw yaml.error(node, "no reader for \(kind.rawValue) faults")
        }
        var spec = FaultSpec(kind: kind, target: target, duration: duration, location: yaml.location(node))
        if let atNode = entries["at"] { spec.at = try yaml.duration(atNode, "at") }
        return spec
    }

    /// `random: { faults: [...], every: 2m | { min: 1m, max: 3m }, for: 10m }`.
    private func randomSchedule(_ node: Node) throws(ConfigError) -> RandomSchedule {
        let fields = try yaml.mapping(node, "random", allowed: ["faults", "every", "for"])
        let faultsNode = try yaml.required(fields, "faults", in: node, "random")
        let mix = try yaml.sequence(faultsNode, "faults").map { node throws(ConfigError) in try fault(node) }
        guard !mix.isEmpty else { throw yaml.error(faultsNode, "random needs at least one fault to draw from") }
        if let timed = mix.first(where: { $0.at > .zero }) {
            throw ConfigError(timed.location, "a drawn fault has no 'at': the schedule draws when it strikes")
        }
        let everyNode = try yaml.required(fields, "every", in: node, "random")
        let interval: ClosedRange<Duration>
        if case .mapping = everyNode {
            let bounds = try yaml.mapping(everyNode, "every", allowed: ["min", "max"])
            let low = try yaml.duration(try yaml.required(bounds, "min", in: everyNode, "every"), "min")
            let high = try yaml.duration(try yaml.required(bounds, "max", in: everyNode, "every"), "max")
            guard low > .zero, low <= high else { throw yaml.error(everyNode, "every: min must be above zero and at most max") }
            interval = low...high
        } else {
            let every = try yaml.duration(everyNode, "every")
            guard every > .zero else { throw yaml.error(everyNode, "every must be longer than zero") }
            interval = every...every
        }
        let lengthNode = try yaml.required(fields, "for", in: node, "random")
        let length = try yaml.duration(lengthNode, "for")
        guard length >= interval.lowerBound else { throw yaml.error(lengthNode, "for must be at least as long as every") }
        return RandomSchedule(mix: mix, interval: interval, length: length)
    }

    /// `[[sysa], [sysb, sysc]]`: at least two sides, each system once.
    private func sides(_ node: Node) throws(ConfigError) -> [[String]] {
        var seen: Set<String> = []
        var sides: [[String]] = []
        for sideNode in try yaml.sequence(node, "partition") {
            var side: [String] = []
            for systemNode in try yaml.sequence(sideNode, "a side of the partition") {
                let system = try yaml.string(systemNode, "system")
                guard config.systems.contains(where: { $0.name == system }) else { throw yaml.error(systemNode, "no system '\(system)' in main.cf") }
                guard seen.insert(system).inserted else { throw yaml.error(systemNode, "'\(system)' is on two sides of the partition") }
                side.append(system)
            }
            guard !side.isEmpty else { throw yaml.error(sideNode, "a side of the partition names no system") }
            sides.append(side)
        }
        guard sides.count >= 2 else { throw yaml.error(node, "a partition has at least two sides, e.g. [[sysa], [sysb, sysc]]") }
        return sides
    }

    func guest(_ node: Node) throws(ConfigError) -> String {
        let guest = try yaml.string(node, "guest")
        guard lab.guests.contains(where: { $0.name == guest }) else {
            throw yaml.error(node, "guest '\(guest)' is not in lab.guests; haywire only touches what the lab names")
        }
        return guest
    }

    /// A nested host, by name or as `active(G)`/`next(G)`: every host it
    /// may stand for runs as a domain of an outer hypervisor (`outer:`).
    func nested(_ node: Node) throws(ConfigError) -> HostRef {
        if simulated { throw yaml.error(node, "the simulator's hosts have no outer hypervisor; 'nested' needs a real lab") }
        let ref = try host(node)
        let candidates: [String] = switch ref {
        case .named(let name): [name]
        case .active(let group), .next(let group): config.group(named: group)?.systemList.map(\.system) ?? []
        }
        for name in candidates where lab.host(named: name)?.outer == nil {
            throw yaml.error(node, "host '\(name)' is not nested: give it outer: { libvirt, domain } in lab.hosts")
        }
        return ref
    }

    /// `hosta`, `active(vmgrp)` or `next(vmgrp)`.
    func host(_ node: Node) throws(ConfigError) -> HostRef {
        let text = try yaml.string(node, "host")
        for (prefix, make) in [("active(", HostRef.active), ("next(", HostRef.next)] where text.hasPrefix(prefix) {
            guard text.hasSuffix(")") else { throw yaml.error(node, "'\(text)' is missing its ')'") }
            let group = String(text.dropFirst(prefix.count).dropLast())
            guard config.group(named: group) != nil else { throw yaml.error(node, "no group '\(group)' in main.cf") }
            return make(group)
        }
        guard lab.hosts.contains(where: { $0.name == text }) else {
            throw yaml.error(node, "host '\(text)' is not in lab.hosts")
        }
        return .named(text)
    }
}
