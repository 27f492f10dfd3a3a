import Simulator
import VCSConfig
import Yams

/// The suite's `simulator:` section: timings of the simulated cluster.
///
///     simulator:
///       heartbeat: { peerinact: 16s, gab-stable: 5s }
///       boot: 90s                # power-on to the cluster engine running
///       guest-boot: 30s          # guest start to a guest cluster running
///       monitor-interval: 60s    # when neither resource nor type sets one
///       fencing: on              # or off; overrides main.cf's UseFence
///       jitter: 10%              # agent durations vary this much, by seed
///       agents:
///         Application: { online: 5s, offline: 5s, clean: 2s, monitor: 0s }
enum SimulatorSection {
    static func read(_ node: Node, yaml: YAMLNodes, config: ClusterConfig) throws(ConfigError) -> SimulatorSettings {
        var settings = SimulatorSettings()
        let entries = try yaml.mapping(node, "simulator", allowed: [
            "heartbeat", "boot", "guest-boot", "monitor-interval", "fencing", "jitter", "agents",
        ])
        if let heartbeat = entries["heartbeat"] {
            let fields = try yaml.mapping(heartbeat, "heartbeat", allowed: ["peerinact", "gab-stable"])
            if let value = fields["peerinact"] { settings.peerInactive = try positive(value, "peerinact", yaml) }
            if let value = fields["gab-stable"] { settings.gabStable = try yaml.duration(value, "gab-stable") }
        }
        if let value = entries["boot"] { settings.bootTime = try yaml.duration(value, "boot") }
        if let value = entries["guest-boot"] { settings.guestBootTime = try yaml.duration(value, "guest-boot") }
        if let value = entries["monitor-interval"] { settings.monitorInterval = try positive(value, "monitor-interval", yaml) }
        if let value = entries["fencing"] {
            switch try yaml.string(value, "fencing") {
            case "on", "true", "yes": settings.fencing = true
            case "off", "false", "no": settings.fencing = false
            case let other: throw yaml.error(value, "fencing: expected on or off, not '\(other)'")
            }
        }
        if let value = entries["jitter"] { settings.jitter = try percentage(value, yaml) }
        if let agents = entries["agents"] {
            let types = Set(config.types.keys).union(config.groups.flatMap { $0.resources.map(\.type) })
            for (typeName, body) in try yaml.mapping(agents, "agents", allowed: types.sorted()).sorted(by: { $0.key < $1.key }) {
                let fields = try yaml.mapping(body, "agent \(typeName)", allowed: ["online", "offline", "clean", "monitor"])
                var timing = settings.timing(of: typeName)
                if let value = fields["online"] { timing.online = try yaml.duration(value, "online") }
                if let value = fields["offline"] { timing.offline = try yaml.duration(value, "offline") }
                if let value = fields["clean"] { timing.clean = try yaml.duration(value, "clean") }
                if let value = fields["monitor"] { timing.monitor = try yaml.duration(value, "monitor") }
                settings.timings[typeName] = timing
            }
        }
        return settings
    }

    private static func positive(_ node: Node, _ what: String, _ yaml: YAMLNodes) throws(ConfigError) -> Duration {
        let value = try yaml.duration(node, what)
        guard value > .zero else { throw yaml.error(node, "\(what) must be longer than zero") }
        return value
    }

    /// `10%` as 0.1, between 0 and 50 %.
    private static func percentage(_ node: Node, _ yaml: YAMLNodes) throws(ConfigError) -> Double {
        let text = try yaml.string(node, "jitter")
        guard text.hasSuffix("%"), let value = Double(text.dropLast()), value >= 0, value <= 50 else {
            throw yaml.error(node, "jitter: expected a percentage from 0% to 50%, like 10%")
        }
        return value / 100
    }
}
