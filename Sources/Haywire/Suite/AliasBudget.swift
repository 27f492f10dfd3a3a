import VCSConfig

/// Refuses YAML whose aliases would stand for more than `limit` nodes (a
/// "billion laughs" bomb) before anything walks or hashes the tree: nine
/// aliases of nine aliases, seven deep, are 4.8 million nodes. Yams hashes
/// a mapping's keys while it composes, so this runs on the text, first.
enum AliasBudget {
    static let limit = 100_000

    static func check(_ text: String, file: String, limit: Int = limit) throws(ConfigError) {
        var scan = AliasScan()
        if let (line, column) = scan.run(text, limit: limit) {
            throw ConfigError(SourceLocation(file: file, line: line, column: column),
                              "YAML aliases here stand for more than \(limit) nodes (an alias bomb?)")
        }
    }
}

/// A scan of YAML's tokens, not a parser. It counts the scalars, flow
/// collections, block collections and aliases inside each anchored node;
/// an alias counts as the node its anchor names. Where it cannot tell, it
/// counts more (a plain scalar of two words is two), so aliases multiply its
/// count at least as YAML multiplies nodes.
struct AliasScan {
    /// Nodes each anchor's node stands for, once it is closed.
    private(set) var sizes: [String: Int] = [:]
    /// Nodes the aliases seen so far stand for.
    private(set) var aliased = 0
    /// Every node counted, aliases at what they stand for: the whole
    /// document as YAML expands it, or more.
    private(set) var total = 0

    /// An anchored node being counted.
    private struct Open {
        let anchor: String
        var count = 0
        /// A flow collection: closed when the flow depth drops below this.
        var flowDepth: Int?
        /// A block node: closed by the first line indented no deeper than
        /// the anchor's line (a `- ` entry under a key may be as deep).
        var block = false
        let indent: Int
        let onKeyLine: Bool
        /// Alone at the start of its line: its node is the lines below, as
        /// deep as this one.
        var ownLine = false
    }

    private var open: [Open] = []
    private var flowDepth = 0
    /// The open flow collections, innermost last: `[` or `{`.
    private var flowKinds: [Character] = []

    /// Where the aliases first stand for more than `limit` nodes (line and
    /// column, from 1), or nil.
    mutating func run(_ text: String, limit: Int) -> (Int, Int)? {
        var blockScalarIndent: Int?
        var quote: Character?
        var previous: (indent: Int, entry: Bool)?
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Array(rawLine)
            let indent = line.prefix { $0 == " " }.count
            let blank = indent == line.count || line[indent] == "#"
            if let threshold = blockScalarIndent {
                if blank || indent > threshold { continue }
                blockScalarIndent = nil
            }
            var i = 0
            if quote == nil, !blank, flowDepth == 0 {
                let entry = isIndicator(line, at: indent, "-")
                closeBlocks(before: indent, entry: entry)
                // A deeper line, or a first `- ` entry, opens a block collection.
                if let previous, indent > previous.indent || (entry && !(previous.entry && previous.indent == indent)) { count(1) }
                previous = (indent, entry)
                i = indent
            }
            while i < line.count {
                let char = line[i]
                if let q = quote {
                    if char == q {
                        if q == "'", i + 1 < line.count, line[i + 1] == "'" {
                            i += 2
                            continue
                        }
                        quote = nil
                        closeScalar()
                    } else if char == "\\", q == "\"" {
                        i += 1
                    }
                    i += 1
                    continue
                }
                let tokenStart = i == 0 || " \t[{,".contains(line[i - 1])
                switch char {
                case ",":
                    // In a flow mapping a key may have no value: a null node.
                    if flowKinds.last == "{" { count(1) }
                    i += 1
                case " ", "\t":
                    i += 1
                case "#" where i == 0 || line[i - 1] == " " || line[i - 1] == "\t":
                    i = line.count
                case "-" where isIndicator(line, at: i, char) && flowDepth == 0:
                    // `- key: value` and `- - item` open a collection in the entry.
                    var rest = Array(line[(i + 1)...].drop { $0 == " " || $0 == "\t" })
                    while rest.first == "&" || rest.first == "!" {
                        rest = Array(rest.drop { !" \t".contains($0) }.drop { $0 == " " || $0 == "\t" })
                    }
                    if !rest.isEmpty, rest.first != "#", rest.first != "[", rest.first != "{", startsBlock(rest) { count(1) }
                    countNull(after: i, in: line)
                    i += 1
                case "-" where isIndicator(line, at: i, char), "?" where isIndicator(line, at: i, char), ":" where isIndicator(line, at: i, char):
                    countNull(after: i, in: line)
                    i += 1
                case "[", "{":
                    count(char == "{" ? 2 : 1)
                    flowKinds.append(char)
                    flowDepth += 1
                    i += 1
                case "]", "}":
                    flowDepth = max(0, flowDepth - 1)
                    _ = flowKinds.popLast()
                    while let last = open.last, let depth = last.flowDepth, depth > flowDepth { close(open.removeLast()) }
                    i += 1
                case "&" where tokenStart:
                    let name = word(line, from: i + 1)
                    i += 1 + name.count
                    var rest = line[i...].drop { $0 == " " || $0 == "\t" }
                    if rest.first == "!" { rest = rest.drop { !" \t".contains($0) }.drop { $0 == " " || $0 == "\t" } }
                    var node = Open(anchor: name, indent: indent, onKeyLine: line.contains(":"))
                    node.ownLine = i - 1 - name.count == indent && (rest.isEmpty || rest.first == "#")
                    if rest.first == "[" || rest.first == "{" {
                        node.flowDepth = flowDepth + 1
                    } else if flowDepth == 0, startsBlock(Array(rest)) {
                        node.block = true
                    }
                    open.append(node)
                case "!" where tokenStart:
                    // A tag names a type; it is no node.
                    i += 1 + word(line, from: i + 1).count
                case "*" where tokenStart && !word(line, from: i + 1).isEmpty:
                    let name = word(line, from: i + 1)
                    let size = sizes[name] ?? 1
                    aliased += size
                    if aliased > limit { return (number + 1, i + 1) }
                    count(size)
                    closeScalar()
                    i += 1 + name.count
                case "\"" where tokenStart, "'" where tokenStart:
                    count(1)
                    quote = char
                    i += 1
                case "|" where tokenStart && flowDepth == 0, ">" where tokenStart && flowDepth == 0:
                    // A block scalar: its lines hold text, never an alias.
                    count(1)
                    closeScalar()
                    blockScalarIndent = indent
                    i = line.count
                default:
                    // A plain scalar, or a word of one.
                    var end = i
                    // Up to a space, a flow indicator, or the `:` after a key.
                    while end < line.count, !" \t[]{},".contains(line[end]), !isIndicator(line, at: end, ":") { end += 1 }
                    if tokenStart || (i > 0 && line[i - 1] == ":") {
                        count(1)
                        closeScalar()
                    }
                    i = max(end, i + 1)
                }
            }
        }
        while let done = open.popLast() { close(done) }
        return nil
    }

    /// After an anchor: nothing (its node is on the lines below), a `- `
    /// entry or a `key:` (a collection that goes on below).
    private func startsBlock(_ rest: [Character]) -> Bool {
        if rest.isEmpty || rest.first == "#" || isIndicator(rest, at: 0, "-") || isIndicator(rest, at: 0, "?") { return true }
        var quote: Character?
        for (index, char) in rest.enumerated() {
            if let q = quote {
                if char == q { quote = nil }
            } else if char == "\"" || char == "'" {
                quote = char
            } else if char == "#", index > 0, rest[index - 1] == " " {
                return false
            } else if isIndicator(rest, at: index, ":") {
                return true
            }
        }
        return false
    }

    /// `-`, `?` or `:` followed by a space or the end of the line.
    private func isIndicator(_ line: [Character], at index: Int, _ char: Character) -> Bool {
        index < line.count && line[index] == char && (index + 1 == line.count || line[index + 1] == " " || line[index + 1] == "\t")
    }

    /// `key:` or `-` with nothing after it on the line: a null node (or
    /// a block below, which is counted again: more, never fewer).
    private mutating func countNull(after index: Int, in line: [Character]) {
        let rest = line[(index + 1)...].drop { $0 == " " || $0 == "\t" }
        if rest.isEmpty || rest.first == "#" { count(1) }
    }

    /// An anchor's or an alias's name: up to a space or a flow indicator.
    private func word(_ line: [Character], from start: Int) -> String {
        var end = start
        while end < line.count, !" \t[]{},".contains(line[end]) { end += 1 }
        return String(line[start..<end])
    }

    private mutating func count(_ nodes: Int) {
        total += nodes
        for index in open.indices { open[index].count += nodes }
    }

    /// An anchor that opens neither a block nor a flow collection names
    /// the scalar or alias that comes next.
    private mutating func closeScalar() {
        guard let last = open.last, !last.block, last.flowDepth == nil else { return }
        close(open.removeLast())
    }

    private mutating func closeBlocks(before indent: Int, entry: Bool) {
        while let last = open.last, last.block {
            let deeper = last.ownLine ? indent >= last.indent : indent > last.indent
            guard !deeper, !(indent == last.indent && entry && last.onKeyLine) else { return }
            close(open.removeLast())
        }
    }

    private mutating func close(_ node: Open) {
        // A block node is a collection: itself, and what it holds.
        sizes[node.anchor] = max(1, node.count + (node.block ? 1 : 0))
    }
}
