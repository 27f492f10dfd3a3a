/// `haywire merge`: the run records of one suite's shards (`--shard I/N`)
/// as one record, scenarios in the suite's order, from which JUnit, HTML and
/// a replayable record are written as if one agent had run them all.
extension RunRecord {
    /// With `allowPartial`, a missing shard's scenarios are kept as
    /// skipped ("shard 2/3 missing") instead of refusing the merge.
    public static func merge(_ records: [RunRecord], allowPartial: Bool = false) throws -> [RunRecord] {
        var bySuite: [String: [RunRecord]] = [:]
        var suites: [String] = []
        for record in records {
            if bySuite[record.suite] == nil { suites.append(record.suite) }
            bySuite[record.suite, default: []].append(record)
        }
        return try suites.map { try merge(suite: bySuite[$0]!, allowPartial: allowPartial) }
    }

    private static func merge(suite shards: [RunRecord], allowPartial: Bool) throws -> RunRecord {
        let first = shards[0]
        for shard in shards.dropFirst() {
            guard shard.seed == first.seed else {
                throw HarnessError("suite \(first.suite): shards ran with seeds \(first.seed) and \(shard.seed); run every shard with the same --seed")
            }
            guard shard.order == first.order, shard.manager == first.manager else {
                throw HarnessError("suite \(first.suite): the shards ran different versions of the suite")
            }
        }
        let missing = try checkEveryShard(shards, allowPartial: allowPartial)
        var seen: Set<String> = []
        for name in shards.flatMap(\.selected) where !seen.insert(name).inserted {
            throw HarnessError("suite \(first.suite): scenario '\(name)' ran in two shards")
        }
        let skipped = missing.flatMap { shard in
            shard.scenarios.filter { seen.insert($0).inserted }.map { name in
                ScenarioRecord(name: name, fault: "", verdict: Verdict.skipped.rawValue, message: "shard \(shard.index)/\(shard.count) missing",
                               duration: 0, resolution: 0, recovery: nil, healErrors: [], expectations: [], timeline: [], faultSpans: [])
            }
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
        let scenarios = (shards.flatMap(\.scenarios) + skipped).enumerated().sorted { a, b in
            (rank[base(a.element.name)] ?? Int.max, a.offset) < (rank[base(b.element.name)] ?? Int.max, b.offset)
        }.map(\.element)
        let selected = first.order.filter(seen.contains)
        let hosts = shards.map(\.hostname).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var merged = RunRecord(suite: first.suite, file: first.file, manager: first.manager, configPath: first.configPath, seed: first.seed,
                               startedAt: shards.map(\.startedAt).min()!, hostname: hosts.joined(separator: ", "),
                               selected: selected, order: first.order, sources: first.sources, scenarios: scenarios)
        let versions = shards.map { $0.haywireVersion ?? "unknown" }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        merged.haywireVersion = versions.joined(separator: ", ")
        return merged
    }

    /// A shard not given to merge, with the scenarios it held.
    struct MissingShard {
        let index: Int
        let count: Int
        let scenarios: [String]
    }

    /// Shards of one sharded run, each once, none missing: a missing shard
    /// is named with the scenarios it held, or, with `allowPartial`, returned.
    private static func checkEveryShard(_ shards: [RunRecord], allowPartial: Bool) throws -> [MissingShard] {
        let suite = shards[0].suite
        let parts = shards.map { record -> (Int, Int)? in
            guard let text = record.shard else { return nil }
            let numbers = text.split(separator: "/").compactMap { Int($0) }
            return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
        }
        // Records written before shards were named (or of unsharded runs) are merged as given.
        guard parts.allSatisfy({ $0 != nil }) else {
            if parts.contains(where: { $0 != nil }) { throw HarnessError("suite \(suite): some records are shards of a run and some are not") }
            return []
        }
        let counts = Set(parts.map { $0!.1 })
        guard counts.count == 1, let count = counts.first else {
            throw HarnessError("suite \(suite): the shards split the suite \(counts.sorted().map { "\($0) ways" }.joined(separator: " and "))")
        }
        var held: [Int: Int] = [:]
        for part in parts { held[part!.0, default: 0] += 1 }
        if let twice = held.first(where: { $0.value > 1 })?.key {
            throw HarnessError("suite \(suite): shard \(twice)/\(count) is given more than once")
        }
        guard Set(shards.compactMap(\.beforeSharding)).count <= 1 else {
            throw HarnessError("suite \(suite): the shards selected different scenarios (--only, --skip) before sharing them out")
        }
        let planned = shards[0].beforeSharding ?? []
        let missing = (1...count).filter { held[$0] == nil }.map { index in
            MissingShard(index: index, count: count,
                         scenarios: planned.filter { Suite.shardIndex(suite: suite, scenario: $0, count: count) == index })
        }
        guard !missing.isEmpty, !allowPartial else { return missing }
        let lost = missing.map { shard in
            "shard \(shard.index)/\(count)" + (shard.scenarios.isEmpty ? " (no scenario)" : ": " + shard.scenarios.map { "'\($0)'" }.joined(separator: ", "))
        }
        throw HarnessError("suite \(suite): missing \(lost.joined(separator: "; ")) (--allow-partial merges what is there and reports them skipped)")
    }
}
