/// `haywire merge`: the run records of one suite's shards (`--shard I/N`)
/// as one record, scenarios in the suite's order, from which JUnit, HTML and
/// a replayable record are written as if one agent had run them all.
extension RunRecord {
    public static func merge(_ records: [RunRecord]) throws -> [RunRecord] {
        var bySuite: [String: [RunRecord]] = [:]
        var suites: [String] = []
        for record in records {
            if bySuite[record.suite] == nil { suites.append(record.suite) }
            bySuite[record.suite, default: []].append(record)
        }
        return try suites.map { try merge(suite: bySuite[$0]!) }
    }

    private static func merge(suite shards: [RunRecord]) throws -> RunRecord {
        let first = shards[0]
        for shard in shards.dropFirst() {
            guard shard.seed == first.seed else {
                throw HarnessError("suite \(first.suite): shards ran with seeds \(first.seed) and \(shard.seed); run every shard with the same --seed")
            }
            guard shard.order == first.order, shard.manager == first.manager else {
                throw HarnessError("suite \(first.suite): the shards ran different versions of the suite")
            }
        }
        var seen: Set<String> = []
        for name in shards.flatMap(\.selected) where !seen.insert(name).inserted {
            throw HarnessError("suite \(first.suite): scenario '\(name)' ran in two shards")
        }
        let rank = Dictionary(first.order.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        // A repeated scenario's runs ("name #3", "name (percentiles)") sort with it.
        let base = { (name: String) -> String in
            if let cut = name.range(of: " #", options: .backwards), rank[String(name[..<cut.lowerBound])] != nil {
                return String(name[..<cut.lowerBound])
            }
            if name.hasSuffix(" (percentiles)") { return String(name.dropLast(" (percentiles)".count)) }
            return name
        }
        let scenarios = shards.flatMap(\.scenarios).enumerated().sorted { a, b in
            (rank[base(a.element.name)] ?? Int.max, a.offset) < (rank[base(b.element.name)] ?? Int.max, b.offset)
        }.map(\.element)
        let selected = first.order.filter(seen.contains)
        let hosts = shards.map(\.hostname).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return RunRecord(suite: first.suite, file: first.file, manager: first.manager, configPath: first.configPath, seed: first.seed,
                         startedAt: shards.map(\.startedAt).min()!, hostname: hosts.joined(separator: ", "),
                         selected: selected, order: first.order, sources: first.sources, scenarios: scenarios)
    }
}
