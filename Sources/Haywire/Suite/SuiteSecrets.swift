extension Redaction {
    /// Learns the secrets of every file `suite` was read from.
    static func learn(sourcesOf suite: Suite) {
        for path in suite.sources where !(path.hasSuffix(".yaml") || path.hasSuffix(".yml")) {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { learn(configText: text) }
        }
    }
}
