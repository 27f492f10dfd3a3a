import VCSConfig
import Yams

/// Reads YAML nodes with their positions, so every error can say where.
struct YAMLNodes {
    let file: String

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func error(_ node: Node, _ reason: String) -> ConfigError { ConfigError(location(node), reason) }

    /// The root node of `text`, with YAML's own errors turned into ours.
    func root(of text: String) throws(ConfigError) -> Node {
        try AliasBudget.check(text, file: file)
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(SourceLocation(file: file, line: 1, column: 1), "the file is empty")
            }
            return node
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw translate(error)
        } catch {
            throw ConfigError(SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(error)")
        }
    }

    private func translate(_ error: YamlError) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let reason = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return ConfigError(SourceLocation(file: file, line: mark.line, column: mark.column), reason)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(
                SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return ConfigError(SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(error)")
        }
    }

    /// The entries of a mapping, refusing keys outside `allowed`.
    func mapping(_ node: Node, _ what: String, allowed: [String]) throws(ConfigError) -> [String: Node] {
        guard case .mapping(let mapping) = node else { throw error(node, "\(what) must be a mapping") }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw error(key, "\(what): keys must be plain words") }
            guard allowed.contains(name) else {
                throw error(key, "unknown key '\(name)' in \(what) (expected \(allowed.joined(separator: ", ")))")
            }
            guard result[name] == nil else { throw error(key, "duplicate key '\(name)' in \(what)") }
            result[name] = value
        }
        return result
    }

    func required(_ entries: [String: Node], _ key: String, in parent: Node, _ what: String) throws(ConfigError) -> Node {
        guard let node = entries[key] else { throw error(parent, "\(what) needs '\(key)'") }
        return node
    }

    func string(_ node: Node, _ what: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            throw error(node, "\(what) must be a word or a string")
        }
        return scalar.string
    }

    /// `true` or `false` (YAML 1.1's yes/no/on/off are refused: they read differently elsewhere).
    func bool(_ node: Node, _ what: String) throws(ConfigError) -> Bool {
        switch try string(node, what) {
        case "true": return true
        case "false": return false
        default: throw error(node, "\(what) must be true or false")
        }
    }

    func sequence(_ node: Node, _ what: String) throws(ConfigError) -> [Node] {
        guard case .sequence(let sequence) = node else { throw error(node, "\(what) must be a list") }
        return Array(sequence)
    }

    func duration(_ node: Node, _ what: String) throws(ConfigError) -> Duration {
        let text = try string(node, what)
        if let number = Int(text.trimmingCharacters(in: .whitespaces)) {
            throw error(node, "\(what): \(number) has no unit: write \(number)s (or \(number)ms, \(number)m, \(number)h)")
        }
        guard let duration = parseDuration(text) else {
            throw error(node, "\(what): '\(text)' is not a duration of at most a year (use e.g. 90s, 3m, 1h, 500ms)")
        }
        return duration
    }
}
