/// A name as a YAML scalar in a suite haywire writes: plain where plain
/// style reads it back unchanged, double-quoted otherwise.
func yamlScalar(_ text: String) -> String {
    let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
        && !["true", "false", "yes", "no", "on", "off", "null", "~"].contains(text.lowercased())
    return plain ? text : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
