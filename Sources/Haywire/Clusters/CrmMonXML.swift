/// The parts of `crm_mon --output-as=xml` (and the older `crm_mon --as-xml`,
/// rooted at `<crm_mon version=…>`) the probe reads, gathered in one pass of
/// XMLScanner (not FoundationXML, which kept memory of every document and
/// crashed on some).
struct CrmMonXML {
    /// A `<resource>`: a primitive, on its own or inside a group, clone or bundle.
    struct Member {
        let id: String
        let attributes: [String: String]
        var nodes: [String] = []
        var role: String { attributes["role"] ?? "" }
    }

    /// What runs in one place as a whole: a primitive, a group (or one
    /// instance of a cloned group), a clone's primitive instance, a bundle's replica.
    struct Unit {
        var members: [Member] = []
    }

    /// A resource directly under `<resources>`: what suites name.
    struct TopLevel {
        enum Kind: String { case primitive, group, clone, bundle }
        let id: String
        let kind: Kind
        let attributes: [String: String]
        var units: [Unit] = []
    }

    var sawSummary = false
    var designatedController: [String: String]?
    /// `<summary><cluster_options …>`.
    var clusterOptions: [String: String] = [:]
    /// `<nodes><node …>`: each node's attributes.
    var nodes: [[String: String]] = []
    /// `<node_history><node name><resource_history …>`: node name and attributes.
    var histories: [(node: String, attributes: [String: String])] = []
    var resources: [TopLevel] = []
    /// `<failures><failure …>`: failed actions.
    var failures: [[String: String]] = []
    /// `<fence_history><fence_event …>`.
    var fencing: [[String: String]] = []

    /// Nil when the text is not well-formed XML.
    init?(_ text: String) {
        let reader = Reader()
        guard XMLScanner.scan(text, start: reader.start, end: reader.end), reader.sawRoot else { return nil }
        self = reader.result
    }

    private final class Reader {
        var result = CrmMonXML(empty: ())
        var sawRoot = false
        /// Open elements, innermost last: the root is at 0, its sections at 1.
        private var stack: [(name: String, attributes: [String: String])] = []

        private func parent(_ depth: Int = 1) -> String? { stack.count >= depth ? stack[stack.count - depth].name : nil }
        private var section: String? { stack.count >= 2 ? stack[1].name : nil }

        func start(_ name: String, _ attributes: [String: String]) {
            sawRoot = true
            switch (section, stack.count) {
            case (_, 1) where name == "summary": result.sawSummary = true
            case ("summary", 2) where name == "current_dc": result.designatedController = attributes
            case ("summary", 2) where name == "cluster_options": result.clusterOptions = attributes
            case ("nodes", 2) where name == "node": result.nodes.append(attributes)
            case ("node_history", 3) where name == "resource_history":
                result.histories.append((stack.last?.attributes["name"] ?? "", attributes))
            case ("failures", 2) where name == "failure": result.failures.append(attributes)
            case ("fence_history", 2) where name == "fence_event": result.fencing.append(attributes)
            case ("resources", 2): startTopLevel(name, attributes)
            case ("resources", _) where stack.count > 2: startInside(name, attributes)
            default: break
            }
            stack.append((name, attributes))
        }

        private func startTopLevel(_ name: String, _ attributes: [String: String]) {
            let kinds: [String: TopLevel.Kind] = ["resource": .primitive, "group": .group, "clone": .clone, "bundle": .bundle]
            guard let kind = kinds[name] else { return }
            var top = TopLevel(id: attributes["id"] ?? "", kind: kind, attributes: attributes)
            switch kind {
            case .primitive: top.units = [Unit(members: [Member(id: top.id, attributes: attributes)])]
            case .group: top.units = [Unit()]
            case .clone, .bundle: break
            }
            result.resources.append(top)
        }

        private func startInside(_ name: String, _ attributes: [String: String]) {
            guard var top = result.resources.popLast() else { return }
            defer { result.resources.append(top) }
            switch name {
            case "group" where top.kind == .clone && parent() == "clone", "replica" where top.kind == .bundle && parent() == "bundle":
                top.units.append(Unit())
            case "resource" where parent() == "clone":
                top.units.append(Unit(members: [Member(id: attributes["id"] ?? "", attributes: attributes)]))
            case "resource" where ["group", "replica"].contains(parent() ?? ""):
                if top.units.isEmpty { top.units.append(Unit()) }
                top.units[top.units.count - 1].members.append(Member(id: attributes["id"] ?? "", attributes: attributes))
            case "node" where parent() == "resource":
                guard let node = attributes["name"], !top.units.isEmpty, !top.units[top.units.count - 1].members.isEmpty else { return }
                let unit = top.units.count - 1
                top.units[unit].members[top.units[unit].members.count - 1].nodes.append(node)
            default: break
            }
        }

        func end(_ name: String) {
            if !stack.isEmpty { stack.removeLast() }
        }
    }

    private init(empty: Void) {}
}
