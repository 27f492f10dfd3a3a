import Foundation
import VCSConfig
import Yams

/// Loads a suite file and the main.cf it names, checking that they agree.
public enum SuiteLoader {
    public static func load(path: String) throws(ConfigError) -> Suite {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(SourceLocation(file: path, line: 1, column: 1), FileManager.default.fileExists(atPath: path) ? "cannot read \(path)" : "no such file: \(path)")
        }
        return try load(text: text, file: path)
    }

    public static func load(text: String, file: String) throws(ConfigError) -> Suite {
        let yaml = YAMLNodes(file: file)
        let root = try yaml.root(of: text)
        let top = try yaml.mapping(root, "the suite", allowed: ["suite", "cluster", "lab", "defaults", "scenarios"])
        let name = try yaml.string(try yaml.required(top, "suite", in: root, "the suite"), "suite")
        let clusterNode = try yaml.required(top, "cluster", in: root, "the suite")
        let cluster = try loadCluster(clusterNode, yaml: yaml, suiteFile: file)
        let labNode = try yaml.required(top, "lab", in: root, "the suite")
        let lab = try loadLab(labNode, yaml: yaml)
        try check(lab, against: cluster.config, labNode: labNode, yaml: yaml)

        var defaultWithin: Duration?
        if let defaults = top["defaults"] {
            let entries = try yaml.mapping(defaults, "defaults", allowed: ["within"])
            defaultWithin = try entries["within"].map { node throws(ConfigError) in try yaml.duration(node, "within") }
        }
        let scenarioNodes = try yaml.sequence(try yaml.required(top, "scenarios", in: root, "the suite"), "scenarios")
        guard !scenarioNodes.isEmpty else { throw yaml.error(top["scenarios"]!, "scenarios is empty") }
        let context = ScenarioReader(yaml: yaml, config: cluster.config, lab: lab, defaultWithin: defaultWithin)
        var scenarios: [Scenario] = []
        for node in scenarioNodes {
            let scenario = try context.scenario(node)
            if scenarios.contains(where: { $0.name == scenario.name }) {
                throw yaml.error(node, "a second scenario named '\(scenario.name)'; names must be unique for CI history")
            }
            scenarios.append(scenario)
        }
        return Suite(name: name, file: file, cluster: cluster, lab: lab, scenarios: scenarios)
    }

    private static func loadCluster(_ node: Node, yaml: YAMLNodes, suiteFile: String) throws(ConfigError) -> ClusterSpec {
        let entries = try yaml.mapping(node, "cluster", allowed: ["manager", "config"])
        let managerNode = try yaml.required(entries, "manager", in: node, "cluster")
        let managerName = try yaml.string(managerNode, "manager")
        guard let manager = ClusterManager(rawValue: managerName) else {
            throw yaml.error(managerNode, "unknown manager '\(managerName)' (expected simulated, vcs or pacemaker)")
        }
        guard manager == .simulated else {
            throw yaml.error(managerNode, "manager '\(managerName)' needs a real lab, which this version cannot drive yet; use simulated")
        }
        let configNode = try yaml.required(entries, "config", in: node, "cluster")
        let relative = try yaml.string(configNode, "config")
        let directory = (suiteFile as NSString).deletingLastPathComponent
        let path = relative.hasPrefix("/") || directory.isEmpty ? relative : "\(directory)/\(relative)"
        guard FileManager.default.fileExists(atPath: path) else { throw yaml.error(configNode, "no such file: \(path)") }
        return ClusterSpec(manager: manager, configPath: path, config: try ConfigLoader.load(path: path))
    }

    private static func loadLab(_ node: Node, yaml: YAMLNodes) throws(ConfigError) -> LabSpec {
        let entries = try yaml.mapping(node, "lab", allowed: ["hosts", "guests"])
        let hostsNode = try yaml.required(entries, "hosts", in: node, "lab")
        guard case .mapping(let hostMapping) = hostsNode, !hostMapping.isEmpty else {
            throw yaml.error(hostsNode, "lab.hosts must map each host to its settings, e.g. 'sysa: {}'")
        }
        var hosts: [LabSpec.Host] = []
        for (key, value) in hostMapping {
            let name = try yaml.string(key, "a host name")
            _ = try yaml.mapping(value, "host \(name)", allowed: [])
            hosts.append(LabSpec.Host(name: name, location: yaml.location(key)))
        }
        var guests: [LabSpec.Guest] = []
        if let guestsNode = entries["guests"] {
            guard case .mapping(let guestMapping) = guestsNode else { throw yaml.error(guestsNode, "lab.guests must be a mapping") }
            for (key, value) in guestMapping {
                let name = try yaml.string(key, "a guest name")
                let settings = try yaml.mapping(value, "guest \(name)", allowed: ["on"])
                let onNode = try yaml.required(settings, "on", in: value, "guest \(name)")
                var on: [String] = []
                for hostNode in try yaml.sequence(onNode, "on") {
                    let host = try yaml.string(hostNode, "a host name")
                    guard hosts.contains(where: { $0.name == host }) else {
                        throw yaml.error(hostNode, "guest \(name) is on '\(host)', which lab.hosts does not list")
                    }
                    on.append(host)
                }
                guests.append(LabSpec.Guest(name: name, hosts: on, location: yaml.location(key)))
            }
        }
        return LabSpec(hosts: hosts, guests: guests)
    }

    /// The simulated lab is built from main.cf: its hosts are the systems.
    private static func check(_ lab: LabSpec, against config: ClusterConfig, labNode: Node, yaml: YAMLNodes) throws(ConfigError) {
        let hostNames = Set(lab.hosts.map(\.name))
        for system in config.systems where !hostNames.contains(system.name) {
            throw yaml.error(labNode, "main.cf system '\(system.name)' has no host in lab.hosts")
        }
        let systemNames = Set(config.systems.map(\.name))
        for host in lab.hosts where !systemNames.contains(host.name) {
            throw ConfigError(host.location, "host '\(host.name)' is not a system of main.cf cluster '\(config.name)'")
        }
    }
}
