import Foundation
import Simulator
import VCSConfig
import VCSSemantics
import Yams

/// Loads a suite file and the main.cf it names, checking that they agree.
public enum SuiteLoader {
    /// With `strict`, what main.cf leaves haywire to guess (an unknown type,
    /// a missing types file) is an error.
    public static func load(path: String, strict: Bool = false) throws(ConfigError) -> Suite {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(SourceLocation(file: path, line: 1, column: 1), FileManager.default.fileExists(atPath: path) ? "cannot read \(path)" : "no such file: \(path)")
        }
        // Learnt first: an error about the suite must not quote them either.
        Redaction.learn(suiteText: text)
        let suite = try load(text: text, file: path, strict: strict)
        Redaction.learn(sourcesOf: suite)
        return suite
    }

    public static func load(text: String, file: String, strict: Bool = false) throws(ConfigError) -> Suite {
        let yaml = YAMLNodes(file: file)
        let root = try yaml.root(of: text)
        let top = try yaml.mapping(root, "the suite", allowed: ["suite", "cluster", "lab", "defaults", "simulator", "scenarios"])
        let name = try yaml.string(try yaml.required(top, "suite", in: root, "the suite"), "suite")
        let clusterNode = try yaml.required(top, "cluster", in: root, "the suite")
        let labNode = try yaml.required(top, "lab", in: root, "the suite")
        var files = [file]
        var cluster = try loadCluster(clusterNode, yaml: yaml, suiteFile: file, files: &files, strict: strict)
        if let section = top["simulator"] {
            guard cluster.manager == .simulated else { throw yaml.error(section, "a simulator section needs manager: simulated") }
            cluster.simulator = try SimulatorSection.read(section, yaml: yaml, config: cluster.model)
        }
        let lab = try loadLab(labNode, yaml: yaml, real: cluster.manager != .simulated)
        try check(lab, against: cluster.config, labNode: labNode, yaml: yaml)
        for inner in cluster.guestClusters where !lab.guests.contains(where: { $0.name == inner.guest }) {
            throw yaml.error(clusterNode, "guest cluster in '\(inner.guest)', which is not in lab.guests")
        }

        var defaultWithin: Duration?
        var steadyWithin = Duration.seconds(600)
        var settleWithin: Duration?
        if let defaults = top["defaults"] {
            let entries = try yaml.mapping(defaults, "defaults", allowed: ["within", "steady-within", "settle"])
            defaultWithin = try entries["within"].map { node throws(ConfigError) in
                let within = try yaml.duration(node, "within")
                guard within > .zero else { throw yaml.error(node, "within must be longer than zero") }
                return within
            }
            if let node = entries["steady-within"] { steadyWithin = try yaml.duration(node, "steady-within") }
            settleWithin = try entries["settle"].map { node throws(ConfigError) in
                let settle = try yaml.duration(node, "settle")
                guard settle > .zero else { throw yaml.error(node, "settle must be longer than zero") }
                return settle
            }
        }
        let scenarioNodes = try yaml.sequence(try yaml.required(top, "scenarios", in: root, "the suite"), "scenarios")
        guard !scenarioNodes.isEmpty else { throw yaml.error(top["scenarios"]!, "scenarios is empty") }
        let context = ScenarioReader(yaml: yaml, config: cluster.model, lab: lab, defaultWithin: defaultWithin,
                                     simulated: cluster.manager == .simulated)
        // Every scenario is read, and all their errors reported at once.
        var scenarios: [Scenario] = []
        var errors: [ConfigError] = []
        var names: Set<String> = []
        for node in scenarioNodes {
            do throws(ConfigError) {
                let scenario = try context.scenario(node)
                guard names.insert(scenario.name).inserted else {
                    throw yaml.error(node, "a second scenario named '\(scenario.name)'; names must be unique for CI history")
                }
                scenarios.append(scenario)
            } catch {
                errors += [error] + error.others
            }
        }
        if let error = ConfigError.combining(errors) { throw error }
        var suite = Suite(name: name, file: file, cluster: cluster, lab: lab, scenarios: scenarios, steadyWithin: steadyWithin)
        suite.settleWithin = settleWithin
        suite.sources = files
        return suite
    }

    private static func loadCluster(_ node: Node, yaml: YAMLNodes, suiteFile: String, files: inout [String], strict: Bool) throws(ConfigError) -> ClusterSpec {
        let entries = try yaml.mapping(node, "cluster", allowed: ["manager", "config", "resources", "groups", "probe-interval", "guest-clusters", "alerts"])
        let managerNode = try yaml.required(entries, "manager", in: node, "cluster")
        let managerName = try yaml.string(managerNode, "manager")
        guard let manager = ClusterManager(rawValue: managerName) else {
            throw yaml.error(managerNode, "unknown manager '\(managerName)' (expected simulated, vcs or pacemaker)")
        }
        let probeInterval = try entries["probe-interval"].map { node throws(ConfigError) in
            try yaml.duration(node, "probe-interval")
        } ?? .milliseconds(200)
        switch manager {
        case .pacemaker:
            if let config = entries["config"] { throw yaml.error(config, "a pacemaker cluster has no main.cf; list its resources under 'resources'") }
            if entries["resources"] != nil, let groups = entries["groups"] {
                throw yaml.error(groups, "'groups' is another name for 'resources': give one of them")
            }
            var resourcesNode = entries["groups"]
            if resourcesNode == nil { resourcesNode = try yaml.required(entries, "resources", in: node, "a pacemaker cluster") }
            var spec = ClusterSpec(manager: manager, configPath: "", config: try pacemakerModel(resourcesNode!, yaml: yaml),
                                   probeInterval: probeInterval)
            if let alertsNode = entries["alerts"] {
                let path = try yaml.string(alertsNode, "alerts")
                guard path.hasPrefix("/") else { throw yaml.error(alertsNode, "alerts: '\(path)' must be the absolute path of the alert log on every host") }
                spec.alerts = path
            }
            return spec
        case .simulated, .vcs:
            if let groups = entries["groups"] ?? entries["resources"] { throw yaml.error(groups, "\(managerName) reads its groups from main.cf ('config')") }
            if let alerts = entries["alerts"] { throw yaml.error(alerts, "alerts are Pacemaker's; \(managerName) has none") }
            let configNode = try yaml.required(entries, "config", in: node, "cluster")
            let path = try configPath(configNode, yaml: yaml, suiteFile: suiteFile)
            var spec = ClusterSpec(manager: manager, configPath: path, config: try ConfigLoader.load(path: path, files: &files, strict: strict),
                                   probeInterval: probeInterval)
            if let inner = entries["guest-clusters"] {
                guard manager == .simulated else {
                    throw yaml.error(inner, "guest-clusters are simulated; a real lab's RemoteGroup reaches the guests' own clusters")
                }
                spec.guestClusters = try guestClusters(inner, around: spec.config, yaml: yaml, suiteFile: suiteFile, files: &files, strict: strict)
            }
            return spec
        }
    }

    private static func configPath(_ node: Node, yaml: YAMLNodes, suiteFile: String) throws(ConfigError) -> String {
        let relative = try yaml.string(node, "config")
        let directory = Paths.folder(of: suiteFile)
        let path = relative.hasPrefix("/") || directory.isEmpty ? relative : "\(directory)/\(relative)"
        guard FileManager.default.fileExists(atPath: path) else { throw yaml.error(node, "no such file: \(path)") }
        return path
    }

    /// `guest-clusters: [ { guest: G, address: A, config: F } ]`: the
    /// cluster inside guest G, which RemoteGroup resources reach at A.
    private static func guestClusters(
        _ node: Node, around outer: ClusterConfig, yaml: YAMLNodes, suiteFile: String, files: inout [String], strict: Bool
    ) throws(ConfigError) -> [GuestClusterSpec] {
        var specs: [GuestClusterSpec] = []
        var systems = Set(outer.systems.map(\.name)), groups = Set(outer.groups.map(\.name))
        for item in try yaml.sequence(node, "guest-clusters") {
            let fields = try yaml.mapping(item, "a guest cluster", allowed: ["guest", "address", "config"])
            let guest = try yaml.string(try yaml.required(fields, "guest", in: item, "a guest cluster"), "guest")
            let address = try yaml.string(try yaml.required(fields, "address", in: item, "a guest cluster"), "address")
            let configNode = try yaml.required(fields, "config", in: item, "a guest cluster")
            let config = try ConfigLoader.load(path: try configPath(configNode, yaml: yaml, suiteFile: suiteFile), files: &files, strict: strict)
            if specs.contains(where: { $0.guest == guest }) { throw yaml.error(item, "guest '\(guest)' already has a cluster") }
            if specs.contains(where: { $0.address == address }) { throw yaml.error(item, "address \(address) already names a guest cluster") }
            for system in config.systems where !systems.insert(system.name).inserted {
                throw yaml.error(configNode, "system '\(system.name)' of cluster '\(config.name)' is already a system of another cluster")
            }
            for group in config.groups where !groups.insert(group.name).inserted {
                throw yaml.error(configNode, "group '\(group.name)' of cluster '\(config.name)' is already a group of another cluster")
            }
            // An address no RemoteGroup reaches simulates a cluster nothing watches.
            let reached = outer.remoteGroups().map(\.address)
            guard reached.contains(address) else {
                throw yaml.error(fields["address"]!, "address \(address) is no RemoteGroup's IpAddress in main.cf"
                                 + (reached.isEmpty ? " (it has no RemoteGroup)" : " (they reach \(Set(reached).sorted().joined(separator: ", ")))"))
            }
            specs.append(GuestClusterSpec(guest: guest, address: address, config: config))
        }
        return specs
    }

    /// `resources: { vmgrp: [lab1, lab2] }` (or `groups:`): each top-level
    /// resource with its nodes in order of preference, read as a SystemList;
    /// `{ nodes: [lab1, lab2, lab3], clone: true }` for a clone, which runs
    /// on all of them at once (a parallel group).
    private static func pacemakerModel(_ node: Node, yaml: YAMLNodes) throws(ConfigError) -> ClusterConfig {
        guard case .mapping(let mapping) = node, !mapping.isEmpty else {
            throw yaml.error(node, "resources must map each resource to its nodes in order of preference")
        }
        var systems: [String] = []
        var groups: [ServiceGroup] = []
        for (key, value) in mapping {
            let group = try yaml.string(key, "a resource name")
            var nodesNode = value
            var clone = false
            if case .mapping = value {
                let fields = try yaml.mapping(value, "resource \(group)", allowed: ["nodes", "clone"])
                nodesNode = try yaml.required(fields, "nodes", in: value, "resource \(group)")
                if let cloneNode = fields["clone"] { clone = try yaml.bool(cloneNode, "clone") }
            }
            var entries: [AssociationEntry] = []
            for (index, hostNode) in try yaml.sequence(nodesNode, "resource \(group)").enumerated() {
                let host = try yaml.string(hostNode, "a node name")
                entries.append(AssociationEntry(key: host, value: String(index)))
                if !systems.contains(host) { systems.append(host) }
            }
            let location = yaml.location(key)
            var attributes = [Attribute(name: "SystemList", value: .association(entries), location: location),
                              Attribute(name: "AutoStartList", value: .list((clone ? entries : Array(entries.prefix(1))).map(\.key)),
                                        location: location)]
            if clone { attributes.append(Attribute(name: "Parallel", value: .scalar("1"), location: location)) }
            groups.append(ServiceGroup(name: group, attributes: attributes, location: location))
        }
        let location = yaml.location(node)
        return ClusterConfig(name: "pacemaker", systems: systems.map { SystemDefinition(name: $0, location: location) },
                             groups: groups)
    }

    private static func loadLab(_ node: Node, yaml: YAMLNodes, real: Bool) throws(ConfigError) -> LabSpec {
        let entries = try yaml.mapping(node, "lab", allowed: real ? ["hosts", "guests", "libvirt-timeout"] : ["hosts", "guests"])
        let hostsNode = try yaml.required(entries, "hosts", in: node, "lab")
        guard case .mapping(let hostMapping) = hostsNode, !hostMapping.isEmpty else {
            throw yaml.error(hostsNode, "lab.hosts must map each host to its settings, e.g. 'sysa: {}'")
        }
        var hosts: [LabSpec.Host] = []
        for (key, value) in hostMapping {
            hosts.append(try host(key, value, yaml: yaml, real: real))
        }
        var guests: [LabSpec.Guest] = []
        if let guestsNode = entries["guests"] {
            guard case .mapping(let guestMapping) = guestsNode else { throw yaml.error(guestsNode, "lab.guests must be a mapping") }
            for (key, value) in guestMapping {
                let name = try yaml.string(key, "a guest name")
                let settings = try yaml.mapping(value, "guest \(name)", allowed: real ? ["hosts", "on", "ready", "shell", "node"] : ["hosts", "on"])
                // `on:` is the old name: YAML 1.1 readers (PyYAML, Ansible) read it as `true`.
                if settings["hosts"] != nil, let old = settings["on"] {
                    throw yaml.error(old, "guest \(name) names its hosts twice: keep 'hosts' ('on' is its old name)")
                }
                let onNode: Node
                if let old = settings["on"] { onNode = old } else { onNode = try yaml.required(settings, "hosts", in: value, "guest \(name)") }
                var on: [String] = []
                for hostNode in try yaml.sequence(onNode, "hosts") {
                    let host = try yaml.string(hostNode, "a host name")
                    guard hosts.contains(where: { $0.name == host }) else {
                        throw yaml.error(hostNode, "guest \(name) is on '\(host)', which lab.hosts does not list")
                    }
                    on.append(host)
                }
                var guest = LabSpec.Guest(name: name, hosts: on, location: yaml.location(key))
                guest.ready = try settings["ready"].map { node throws(ConfigError) in try yaml.string(node, "ready") }
                if let shellNode = settings["shell"] {
                    guard try yaml.string(shellNode, "shell") == "guest-agent" else {
                        throw yaml.error(shellNode, "a guest's shell is guest-agent (the qemu guest agent, reached through libvirt)")
                    }
                    guest.agentShell = true
                }
                guest.node = try settings["node"].map { node throws(ConfigError) in try yaml.string(node, "node") }
                guests.append(guest)
            }
        }
        var lab = LabSpec(hosts: hosts, guests: guests)
        if let timeout = entries["libvirt-timeout"] {
            lab.libvirtTimeout = try yaml.duration(timeout, "libvirt-timeout")
            guard lab.libvirtTimeout > .zero else { throw yaml.error(timeout, "libvirt-timeout must be longer than zero") }
        }
        return lab
    }

    private static func host(_ key: Node, _ value: Node, yaml: YAMLNodes, real: Bool) throws(ConfigError) -> LabSpec.Host {
        let name = try yaml.string(key, "a host name")
        guard real else {
            let fields = try yaml.mapping(value, "host \(name)", allowed: ["systems"])
            var host = LabSpec.Host(name: name, location: yaml.location(key))
            if let systems = fields["systems"] {
                host.systems = try yaml.sequence(systems, "systems").map { node throws(ConfigError) in try yaml.string(node, "a system") }
            }
            return host
        }
        let fields = try yaml.mapping(value, "host \(name)", allowed: ["libvirt", "shell", "links", "power", "outer", "systems"])
        var host = LabSpec.Host(name: name, location: yaml.location(key))
        if let systems = fields["systems"] {
            host.systems = try yaml.sequence(systems, "systems").map { node throws(ConfigError) in try yaml.string(node, "a system") }
        }
        host.libvirt = try yaml.string(try yaml.required(fields, "libvirt", in: value, "host \(name)"), "libvirt")
        let shellNode = try yaml.required(fields, "shell", in: value, "host \(name)")
        let shellText = try yaml.string(shellNode, "shell")
        guard let shell = Shell.parse(shellText) else {
            throw yaml.error(shellNode, "'\(shellText)' is not a shell (use local, netns://NAME or ssh://user@host)")
        }
        host.shell = shell
        if let links = fields["links"] {
            host.links = try yaml.sequence(links, "links").map { node throws(ConfigError) in try yaml.string(node, "a link") }
        }
        if let outer = fields["outer"] {
            let entries = try yaml.mapping(outer, "outer", allowed: ["libvirt", "domain"])
            host.outer = OuterDomain(
                libvirt: try yaml.string(try yaml.required(entries, "libvirt", in: outer, "outer"), "libvirt"),
                domain: try yaml.string(try yaml.required(entries, "domain", in: outer, "outer"), "domain"))
        }
        if let power = fields["power"] {
            // `off:` and `on:` are the old names: YAML 1.1 readers read them as booleans.
            let commands = try yaml.mapping(power, "power", allowed: ["cut", "restore", "off", "on"])
            for (name, old) in [("cut", "off"), ("restore", "on")] where commands[name] != nil && commands[old] != nil {
                throw yaml.error(commands[old]!, "power names '\(name)' twice: keep '\(name)' ('\(old)' is its old name)")
            }
            host.powerOff = try (commands["cut"] ?? commands["off"]).map { node throws(ConfigError) in try yaml.string(node, "cut") }
            host.powerOn = try (commands["restore"] ?? commands["on"]).map { node throws(ConfigError) in try yaml.string(node, "restore") }
        }
        return host
    }

    /// The cluster's systems must be the lab's hosts (PM-PM: the hosts are
    /// the cluster nodes).
    /// Each cluster system is a lab host (PM-PM) or runs, as a guest, on
    /// exactly one lab host that lists it under `systems` (KVM-KVM).
    private static func check(_ lab: LabSpec, against config: ClusterConfig, labNode: Node, yaml: YAMLNodes) throws(ConfigError) {
        let hostNames = Set(lab.hosts.map(\.name))
        let systemNames = Set(config.systems.map(\.name))
        var carrier: [String: String] = [:]
        for host in lab.hosts {
            for system in host.systems {
                guard systemNames.contains(system) else {
                    throw ConfigError(host.location, "host '\(host.name)' carries '\(system)', which is not a system of cluster '\(config.name)'")
                }
                if let other = carrier[system] ?? (hostNames.contains(system) ? system : nil) {
                    throw ConfigError(host.location, "system '\(system)' cannot run on both '\(other)' and '\(host.name)'")
                }
                carrier[system] = host.name
            }
        }
        // A Pacemaker guest node is a lab guest: it runs on whichever host runs the guest.
        let guestNodes = Set(lab.guests.compactMap(\.node))
        for system in config.systems where !hostNames.contains(system.name) && carrier[system.name] == nil && !guestNodes.contains(system.name) {
            throw yaml.error(labNode, "cluster system '\(system.name)' has no host in lab.hosts")
        }
        // On a real lab a cluster inside guests is probed inside them: each
        // carried system is a guest of that host with the guest-agent shell.
        for host in lab.hosts where host.shell != nil {
            for system in host.systems {
                guard let guest = lab.guests.first(where: { $0.name == system }), guest.hosts.contains(host.name), guest.agentShell else {
                    throw ConfigError(host.location, "host '\(host.name)' carries system '\(system)': on a real lab it must be a guest "
                                      + "in lab.guests, on \(host.name), with 'shell: guest-agent' (the probe runs crm_mon inside it)")
                }
            }
        }
        for host in lab.hosts where !systemNames.contains(host.name) && host.systems.isEmpty {
            throw ConfigError(host.location, "host '\(host.name)' is not a system of cluster '\(config.name)' and carries none")
        }
    }
}
