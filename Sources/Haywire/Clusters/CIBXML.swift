/// The parts of a CIB (`cibadmin -Q`, or `pcs cluster cib`) that the
/// scheduler oracle and the planner read, in one pass of XMLScanner.
struct CIBXML: Sendable {
    struct Operation: Sendable, Equatable {
        let name: String
        /// Milliseconds; 0 for start and stop.
        let interval: Int
        /// Milliseconds, when the CIB sets one.
        let timeout: Int?
        let role: String?
    }

    struct Primitive: Sendable {
        let id: String
        let agentClass: String
        let provider: String?
        let type: String
        var parameters: [String: String] = [:]
        var meta: [String: String] = [:]
        var operations: [Operation] = []
        /// `ocf:heartbeat:VirtualDomain`, `stonith:fence_xvm`.
        var agent: String { [agentClass, provider, type].compactMap { $0 }.joined(separator: ":") }
    }

    /// A child of `<resources>`: what suites name.
    struct TopLevel: Sendable {
        enum Kind: String, Sendable { case primitive, group, clone, bundle }
        let id: String
        let kind: Kind
        var meta: [String: String] = [:]
        var primitives: [Primitive] = []
        /// A clone of a group.
        var clonesGroup = false
    }

    var root: [String: String] = [:]
    /// `<configuration><nodes><node id uname type>`.
    var nodes: [(id: String, name: String, type: String)] = []
    /// `<status><node_state id uname …>`: nodes whose state the CIB records.
    var nodeStates: [[String: String]] = []
    var resources: [TopLevel] = []
    /// `<crm_config>` nvpairs: `stonith-timeout`, `stonith-enabled`, ….
    var options: [String: String] = [:]
    var resourceDefaults: [String: String] = [:]
    var operationDefaults: [String: String] = [:]
    /// `<rsc_location rsc node score>`: node preferences (score as written:
    /// a number, `INFINITY` or `-INFINITY`).
    var locations: [(resource: String, node: String, score: String)] = []

    /// Every node the CIB knows, in its order: configured nodes, then nodes
    /// only the constraints name (a CIB written by hand has `<nodes/>`).
    var nodeNames: [String] {
        var names = nodes.map(\.name)
        for name in locations.map(\.node) where !names.contains(name) { names.append(name) }
        return names
    }

    var primitives: [Primitive] { resources.flatMap(\.primitives) }

    /// Nil when the text is not well-formed XML or not rooted at `<cib>`.
    init?(_ text: String) {
        let reader = Reader()
        guard XMLScanner.scan(text, start: reader.start, end: reader.end), reader.sawCIB else { return nil }
        self = reader.result
    }

    private init(empty: Void) {}

    private final class Reader {
        var result = CIBXML(empty: ())
        var sawCIB = false
        private var stack: [String] = []
        static let kinds: [String: TopLevel.Kind] = ["primitive": .primitive, "group": .group, "clone": .clone, "master": .clone, "bundle": .bundle]
        /// Where nvpairs go now.
        private var pairs: ((String, String) -> Void)?

        func start(_ name: String, _ attributes: [String: String]) {
            defer { stack.append(name) }
            if stack.isEmpty {
                sawCIB = name == "cib"
                result.root = attributes
                return
            }
            let parent = stack.last ?? ""
            let inResources = stack.count >= 3 && stack[1] == "configuration" && stack[2] == "resources"
            switch name {
            case "node" where parent == "nodes" && stack.count == 3:
                result.nodes.append((attributes["id"] ?? "", attributes["uname"] ?? attributes["id"] ?? "", attributes["type"] ?? "member"))
            case "node_state" where parent == "status": result.nodeStates.append(attributes)
            case "rsc_location" where parent == "constraints":
                if let node = attributes["node"] {
                    result.locations.append((attributes["rsc"] ?? "", node, attributes["score"] ?? "0"))
                }
            case _ where inResources && stack.count == 3 && Self.kinds[name] != nil:
                var top = TopLevel(id: attributes["id"] ?? "", kind: Self.kinds[name]!)
                if name == "master" { top.meta["promotable"] = "true" }
                result.resources.append(top)
                if name == "primitive" { addPrimitive(attributes) }
            case "primitive" where inResources: addPrimitive(attributes)
            case "group" where inResources && ["clone", "master"].contains(parent):
                result.resources[result.resources.count - 1].clonesGroup = true
            case "op" where inResources && parent == "operations":
                guard !result.resources.isEmpty, !result.resources[result.resources.count - 1].primitives.isEmpty else { break }
                let operation = Operation(name: attributes["name"] ?? "", interval: CIBXML.milliseconds(attributes["interval"]) ?? 0,
                                          timeout: CIBXML.milliseconds(attributes["timeout"]), role: attributes["role"])
                let top = result.resources.count - 1
                result.resources[top].primitives[result.resources[top].primitives.count - 1].operations.append(operation)
            case "instance_attributes" where inResources && parent == "primitive":
                pairs = { [unowned self] key, value in self.updateLastPrimitive { $0.parameters[key] = value } }
            case "meta_attributes" where inResources && parent == "primitive":
                pairs = { [unowned self] key, value in self.updateLastPrimitive { $0.meta[key] = value } }
            case "meta_attributes" where inResources && ["group", "clone", "master", "bundle"].contains(parent) && stack.count == 4:
                pairs = { [unowned self] key, value in self.result.resources[self.result.resources.count - 1].meta[key] = value }
            case "cluster_property_set" where parent == "crm_config":
                pairs = { [unowned self] key, value in self.result.options[key] = value }
            case "meta_attributes" where parent == "rsc_defaults":
                pairs = { [unowned self] key, value in self.result.resourceDefaults[key] = value }
            case "meta_attributes" where parent == "op_defaults":
                pairs = { [unowned self] key, value in self.result.operationDefaults[key] = value }
            case "nvpair":
                if let key = attributes["name"], let value = attributes["value"] { pairs?(key, value) }
            default: break
            }
        }

        func end(_ name: String) {
            if !stack.isEmpty { stack.removeLast() }
            if ["instance_attributes", "meta_attributes", "cluster_property_set"].contains(name) { pairs = nil }
        }

        private func addPrimitive(_ attributes: [String: String]) {
            guard !result.resources.isEmpty else { return }
            result.resources[result.resources.count - 1].primitives.append(Primitive(
                id: attributes["id"] ?? "", agentClass: attributes["class"] ?? "", provider: attributes["provider"],
                type: attributes["type"] ?? ""))
        }

        private func updateLastPrimitive(_ change: (inout Primitive) -> Void) {
            guard !result.resources.isEmpty, !result.resources[result.resources.count - 1].primitives.isEmpty else { return }
            let top = result.resources.count - 1
            change(&result.resources[top].primitives[result.resources[top].primitives.count - 1])
        }
    }
}

extension CIBXML {
    /// Pacemaker's durations: `2s`, `2000ms`, `1min`, `90` (seconds), `PT2S`.
    static func milliseconds(_ text: String?) -> Int? {
        guard let text = text?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty else { return nil }
        if text.hasPrefix("pt") {
            var total = 0.0, number = ""
            for character in text.dropFirst(2) {
                if character.isNumber || character == "." { number.append(character); continue }
                let value = Double(number) ?? 0
                number = ""
                switch character {
                case "h": total += value * 3_600_000
                case "m": total += value * 60_000
                case "s": total += value * 1000
                default: return nil
                }
            }
            return Int(total)
        }
        let digits = text.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits) else { return nil }
        let unit = text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let scale: Double? = switch unit {
        case "", "s", "sec", "secs", "second", "seconds": 1000
        case "ms", "msec", "msecs": 1
        case "us", "usec", "usecs": 0.001
        case "m", "min", "mins", "minute", "minutes": 60_000
        case "h", "hr", "hrs", "hour", "hours": 3_600_000
        default: nil
        }
        return scale.map { Int(value * $0) }
    }
}
