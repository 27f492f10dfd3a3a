import Foundation
import Testing
import VCSConfig
import Yams
@testable import Haywire

/// The alias guard scans tokens; Yams is the oracle. Over generated YAML
/// with anchors and aliases in every style, the scan never counts fewer
/// nodes than Yams composes.
@Suite struct AliasBudgetTests {
    @Test func theScanCountsAtLeastWhatYamsComposes() throws {
        let seed = ProcessInfo.processInfo.environment["HAYWIRE_ALIAS_SEED"].flatMap(UInt64.init) ?? 20_261_201
        print("alias budget: seed \(seed) (HAYWIRE_ALIAS_SEED=\(seed) repeats it)")
        var random = SplitMix(seed: seed)
        var parsed = 0
        for round in 0..<400 {
            var writer = YAMLWriter(random: random)
            let text = writer.document()
            random = writer.random
            guard let root = try? Yams.compose(yaml: text) else { continue }
            parsed += 1
            var scan = AliasScan()
            #expect(scan.run(text, limit: .max) == nil)
            let composed = nodes(in: root)
            #expect(scan.total + 1 >= composed, "round \(round): scan \(scan.total + 1) < Yams \(composed) in\n\(text)")
        }
        // The generator must write YAML, or the property says nothing.
        #expect(parsed >= 360, "only \(parsed) of 400 generated documents were YAML")
    }

    /// YAML from public repositories (Suite/RealYAML, with its provenance):
    /// the scan counts at least what Yams composes, aliases included.
    @Test func yamlWrittenElsewhereIsCountedInFull() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("RealYAML")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let root = try #require(try Yams.compose(yaml: text), "\(file)")
            var scan = AliasScan()
            #expect(scan.run(text, limit: .max) == nil)
            #expect(scan.total + 1 >= nodes(in: root), "\(file): scan \(scan.total + 1) < Yams \(nodes(in: root))")
        }
        // Three aliases of the 65-node `&args_env_expect`, anchored alone on its line.
        let text = try String(contentsOf: folder.appendingPathComponent("cpanpm-distroprefs.yml"), encoding: .utf8)
        var scan = AliasScan()
        _ = scan.run(text, limit: .max)
        #expect(scan.aliased >= 3 * 65, "\(scan.aliased)")
    }

    @Test func aBombInBlockStyleIsRefusedWhereItsAliasesRunOver() {
        var text = "a: &a\n" + (0..<9).map { _ in "  - x\n" }.joined()
        for (level, name) in ["b", "c", "d", "e", "f", "g"].enumerated() {
            let previous = level == 0 ? "a" : ["b", "c", "d", "e", "f"][level - 1]
            text += "\(name): &\(name)\n" + (0..<9).map { _ in "- *\(previous)\n" }.joined()
        }
        #expect(throws: ConfigError.self) { try AliasBudget.check(text, file: "bomb.yaml") }
        var scan = AliasScan()
        let place = scan.run(text, limit: AliasBudget.limit)
        // YAML's own count crosses the limit at f's first alias too: the
        // aliases of b to e stand for 74,718 nodes, one e for 66,430.
        #expect(place.map { [$0.0, $0.1] } == [52, 3], "\(String(describing: place))")
    }

    @Test func aliasesInQuotesCommentsAndBlockScalarsAreText() {
        let text = """
            a: &a [x, y]
            b: "*a *a *a"
            c: '*a'  # *a *a
            d: |
              *a *a *a
            e: ls /tmp/*
            f: *a
            """
        var scan = AliasScan()
        #expect(scan.run(text, limit: .max) == nil)
        #expect(scan.aliased == 3)
    }

    private func nodes(in node: Node) -> Int {
        switch node {
        case .scalar, .alias: 1
        case .sequence(let sequence): 1 + sequence.reduce(0) { $0 + nodes(in: $1) }
        case .mapping(let mapping): 1 + mapping.reduce(0) { $0 + nodes(in: $1.key) + nodes(in: $1.value) }
        }
    }
}

/// Random YAML documents: block and flow collections, compact sequences
/// under keys, anchors (some tagged) and aliases of anchors already closed,
/// quoted scalars with YAML's indicators in them, comments, block scalars.
private struct YAMLWriter {
    var random: SplitMix
    private var closed: [String] = []
    private var nextAnchor = 0
    private var nextKey = 0

    init(random: SplitMix) { self.random = random }

    mutating func document() -> String {
        var lines: [String] = []
        for _ in 0..<random.next(in: 1...5) { lines += entry(indent: 0, depth: 0) }
        return lines.joined(separator: "\n") + "\n"
    }

    private mutating func key() -> String {
        nextKey += 1
        return "k\(nextKey)"
    }

    private mutating func anchor() -> String? {
        guard random.chance(0.4) else { return nil }
        nextAnchor += 1
        return "n\(nextAnchor)"
    }

    private mutating func scalar() -> String {
        switch random.next(in: 0...5) {
        case 0: "\"q *x &y # z: w\""
        case 1: "'it''s *a'"
        case 2: "two words"
        case 3: "!!str 42"
        case 4: "-5"
        default: "v"
        }
    }

    /// A flow node: a scalar, an alias, or a flow collection.
    private mutating func flow(depth: Int) -> String {
        if !closed.isEmpty, random.chance(0.3) { return "*\(random.pick(closed))" }
        let name = anchor()
        let prefix = name.map { "&\($0) " + (random.chance(0.2) ? "!!seq " : "") } ?? ""
        let body: String
        if depth < 3, random.chance(0.4) {
            let items = (0..<random.next(in: 0...3)).map { _ in flow(depth: depth + 1) }
            body = random.chance(0.5) ? "[\(items.joined(separator: ", "))]"
                : "{" + items.map { "\(key()): \($0)" }.joined(separator: ", ") + "}"
            if prefix.contains("!!seq"), body.hasPrefix("{") { return finish(name, "&\(name!) " + body) }
        } else {
            body = prefix.contains("!!seq") ? "[v]" : scalar()
        }
        return finish(name, prefix + body)
    }

    private mutating func finish(_ name: String?, _ text: String) -> String {
        if let name { closed.append(name) }
        return text
    }

    /// One `key: value` of a block mapping at `indent`.
    private mutating func entry(indent: Int, depth: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let comment = random.chance(0.2) ? "  # *c &d: e" : ""
        let name = key()
        guard depth < 3, random.chance(0.5) else { return ["\(pad)\(name): \(flow(depth: depth))\(comment)"] }
        let anchorName = anchor()
        let shape = random.next(in: 0...3)
        // An anchor after its key, or alone on the next line as deep as the
        // mapping or sequence it names.
        let ownLine = anchorName != nil && (shape == 0 || shape == 2) && random.chance(0.3)
        let head = "\(pad)\(name):" + (anchorName.map { ownLine ? "" : " &\($0)" } ?? "") + comment
        var lines = [head]
        if ownLine, let anchorName { lines.append("\(pad)  &\(anchorName)") }
        switch shape {
        case 0:
            for _ in 0..<random.next(in: 1...3) { lines += entry(indent: indent + 2, depth: depth + 1) }
        case 1:
            // A sequence as deep as its key, as many writers put it.
            for _ in 0..<random.next(in: 1...3) { lines += item(indent: indent, depth: depth + 1) }
        case 2:
            for _ in 0..<random.next(in: 1...3) { lines += item(indent: indent + 2, depth: depth + 1) }
        default:
            if anchorName != nil { lines[0] = "\(pad)\(name): \(anchorName.map { "&\($0) " } ?? "")|" } else { lines[0] = "\(pad)\(name): |" }
            lines += ["\(pad)  *x &y [not, a, flow]", "\(pad)  - nor: a sequence"]
        }
        if let anchorName { closed.append(anchorName) }
        return lines
    }

    /// One `- item` of a block sequence at `indent`.
    private mutating func item(indent: Int, depth: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        guard depth < 3, random.chance(0.4) else { return ["\(pad)- \(flow(depth: depth))"] }
        if random.chance(0.5) {
            // A compact mapping in the entry: `- key: value` and more keys below.
            let anchorName = anchor()
            var lines = ["\(pad)- " + (anchorName.map { "&\($0) " } ?? "") + "\(key()): \(flow(depth: depth + 1))"]
            for _ in 0..<random.next(in: 0...2) { lines += entry(indent: indent + 2, depth: depth + 1) }
            if let anchorName { closed.append(anchorName) }
            return lines
        }
        let anchorName = anchor()
        var lines = ["\(pad)-" + (anchorName.map { " &\($0)" } ?? "")]
        for _ in 0..<random.next(in: 1...2) { lines += entry(indent: indent + 2, depth: depth + 1) }
        if let anchorName { closed.append(anchorName) }
        return lines
    }
}
