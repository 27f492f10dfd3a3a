/// Text made safe for FoundationXML's XMLParser before it sees it.
enum XMLInput {
    /// Nil for what no crm_mon or cibadmin prints and XMLParser mishandles:
    /// a NUL byte (its parser crashed), a DOCTYPE (entities to expand).
    /// Processing instructions other than the XML declaration are dropped:
    /// XMLParser on Linux dereferences the missing data of `<?x?>` and
    /// crashes (ci/fuzz found it).
    static func prepared(_ text: String) -> String? {
        guard !text.contains("\0"), !text.contains("<!DOCTYPE") else { return nil }
        guard text.contains("<?") else { return text }
        var kept = ""
        var rest = Substring(text)
        while let open = rest.range(of: "<?") {
            kept += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "?>") else { return nil }
            let instruction = rest[open.lowerBound..<close.upperBound]
            // The XML declaration, first in the document, stays.
            if kept.allSatisfy(\.isWhitespace), instruction.hasPrefix("<?xml ") || instruction == "<?xml?>" { kept += instruction }
            rest = rest[close.upperBound...]
        }
        return kept + rest
    }
}
