import Foundation
import VCSConfig

/// A run as JSON (`<suite>.run.json`): seed, scenarios, resolved faults,
/// timelines and verdicts, with the suite and main.cf files it read (their
/// secrets redacted), so that `haywire replay` can run it again exactly.
public struct RunRecord: Codable, Equatable, Sendable {
    public struct Source: Codable, Equatable, Sendable {
        /// As the run read it: relative to the suite's folder when inside it.
        public let path: String
        public let text: String
    }

    public struct Event: Codable, Equatable, Sendable {
        public let t: Double
        public let kind: String
        public let text: String
        /// For a state change: a group on a system, or a system, and its state.
        public var group: String? = nil
        public var system: String? = nil
        public var state: String? = nil

        /// `[   73.000s] state   vmgrp on hosta: ONLINE -> OFFLINE`; a kind
        /// this haywire does not know (a newer one's) is shown as written.
        public var line: String { TimelineEntry.line(millis: milliseconds(seconds: t), kind: kind, text: text) }
    }

    public struct ExpectationRecord: Codable, Equatable, Sendable {
        public let expectation: String
        /// The group it is about; absent for system states and from older records.
        public var group: String? = nil
        public let system: String?
        /// The deadline after the fault, or the window.
        public let within: Double
        public let deadline: Double
        public let satisfiedAt: Double?
        public let recovery: Double?
        /// When a window was broken.
        public let leftAt: Double?
        public let windowed: Bool
        public let passed: Bool
        public let decided: Bool
        public let message: String
    }

    public struct Span: Codable, Equatable, Sendable {
        public let fault: String
        public let from: Double
        public let to: Double?
        /// The typed fault; absent from records written before faults were typed.
        public var resolved: Fault? = nil
    }

    public struct ScenarioRecord: Codable, Equatable, Sendable {
        public let name: String
        public let fault: String
        public let verdict: String
        public let message: String
        public let duration: Double
        public let resolution: Double
        public let recovery: Double?
        public let healErrors: [String]
        public let expectations: [ExpectationRecord]
        public let timeline: [Event]
        public let faultSpans: [Span]
    }

    /// Set in a decoder's userInfo: scenarios come without their timelines.
    static let skipTimelines = CodingUserInfoKey(rawValue: "haywire.skipTimelines")!

    public var format = "haywire-run/1"
    /// The haywire that ran it (absent from records older than 0.10).
    public var haywireVersion: String? = HaywireVersion.current
    public let suite: String
    /// The suite file as the run named it.
    public let file: String
    public let manager: String
    public let configPath: String
    public let seed: UInt64
    public let startedAt: String
    public let hostname: String
    /// The scenarios the run selected (before repeats).
    public let selected: [String]
    /// `I/N` for a shard, and the scenarios selected before sharding;
    /// absent from records of runs that were not sharded.
    public var shard: String? = nil
    public var beforeSharding: [String]? = nil
    /// All scenarios of the suite file, in order.
    public let order: [String]
    public let sources: [Source]
    public let scenarios: [ScenarioRecord]

    /// The record of `result`; with `sources`, the files it was read from.
    public init(_ result: SuiteResult, sources includeSources: Bool = true) {
        suite = result.suite
        file = result.file
        manager = result.manager.rawValue
        configPath = result.configPath
        seed = result.seed
        startedAt = ISO8601DateFormatter().string(from: result.startedAt)
        hostname = result.hostname
        selected = result.selected
        order = result.order
        shard = result.shard
        beforeSharding = result.shard == nil ? nil : result.beforeSharding
        let folder = Paths.folder(of: result.file)
        sources = !includeSources ? [] : result.sources.compactMap { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            let relative = !folder.isEmpty && path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
            return Source(path: path == result.file ? (path as NSString).lastPathComponent : relative,
                          text: Redaction.scrub(path == result.file ? text : Secrets.redact(text)))
        }
        let all = result.scenarios
        let scrub = Redaction.scrubber()
        scenarios = inChunks(of: all.count) { range in range.map { Self.record(all[$0], scrub: scrub) } }.flatMap { $0 }
    }

    init(suite: String, file: String, manager: String, configPath: String, seed: UInt64, startedAt: String, hostname: String,
         selected: [String], order: [String], sources: [Source], scenarios: [ScenarioRecord]) {
        self.suite = suite
        self.file = file
        self.manager = manager
        self.configPath = configPath
        self.seed = seed
        self.startedAt = startedAt
        self.hostname = hostname
        self.selected = selected
        self.order = order
        self.sources = sources
        self.scenarios = scenarios
    }

    /// This record with other scenarios (`haywire report --scenario`).
    public func replacing(scenarios: [ScenarioRecord]) -> RunRecord {
        var record = RunRecord(suite: suite, file: file, manager: manager, configPath: configPath, seed: seed, startedAt: startedAt,
                               hostname: hostname, selected: selected, order: order, sources: sources, scenarios: scenarios)
        record.shard = shard
        record.beforeSharding = beforeSharding
        record.format = format
        record.haywireVersion = haywireVersion
        return record
    }

    /// A suite's name as safe for a file name.
    static func fileName(_ name: String) -> String {
        let safe = name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }
        let text = String(safe).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return text.isEmpty ? "suite" : text
    }

    static func seconds(_ duration: Duration) -> Double { secondsValue(duration) }

    /// Seconds as a Duration; a record's nonsense (NaN, beyond 10^12 s) is clamped.
    static func duration(_ seconds: Double) -> Duration { Haywire.duration(seconds: seconds) }

    public var failures: Int { scenarios.filter { $0.verdict == Verdict.failed.rawValue }.count }
    public var errors: Int { scenarios.filter { $0.verdict == Verdict.error.rawValue }.count }
    public var skipped: Int { scenarios.filter { $0.verdict == Verdict.skipped.rawValue }.count }
    /// Backend-clock time of all scenarios.
    public var duration: Double { scenarios.map(\.duration).reduce(0, +) }

    /// A scenario's record, with the run's known secrets masked in its text.
    private static func record(_ scenario: ScenarioResult, scrub: (String) -> String) -> ScenarioRecord {
        ScenarioRecord(
            name: scrub(scenario.name), fault: scrub(scenario.fault), verdict: scenario.verdict.rawValue, message: scrub(scenario.message),
            duration: seconds(scenario.duration), resolution: seconds(scenario.resolution),
            recovery: scenario.recovery.map(seconds), healErrors: scenario.healErrors.map(scrub),
            expectations: scenario.expectations.map {
                ExpectationRecord(expectation: $0.expectation.description, group: $0.expectation.group.isEmpty ? nil : $0.expectation.group,
                                  system: $0.system, within: seconds($0.expectation.within),
                                  deadline: seconds($0.deadline), satisfiedAt: $0.satisfiedAt.map(seconds),
                                  recovery: ($0.recovery ?? $0.lateRecovery).map(seconds), leftAt: $0.leftAt.map(seconds),
                                  windowed: $0.expectation.isWindowed, passed: $0.passed, decided: $0.decided, message: scrub($0.message))
            },
            timeline: scenario.timeline.map {
                Event(t: seconds($0.time), kind: $0.kind.rawValue, text: scrub($0.text), group: $0.group, system: $0.system, state: $0.state)
            },
            faultSpans: scenario.faultSpans.map {
                Span(fault: scrub($0.fault), from: seconds($0.from), to: $0.to.map(seconds), resolved: $0.resolved?.scrubbed(by: scrub))
            })
    }

    /// The record as compact JSON, keys sorted: JSONEncoder's output, with
    /// the scenarios written by ScenarioJSON (a long run's in parallel
    /// chunks) and spliced in.
    public func json() throws -> Data {
        let pieces = try jsonPieces()
        var data = Data(capacity: pieces.reduce(0) { $0 + $1.count })
        for piece in pieces { data.append(piece) }
        return data
    }

    /// The JSON in pieces, to write or compress without joining them:
    /// the outline up to the scenarios, each chunk of scenarios, the rest.
    func jsonPieces() throws -> [Data] {
        let outline = [UInt8](try Self.encoder().encode(replacing(scenarios: [])))
        let slot = Array(#""scenarios":[]"#.utf8)
        guard let at = outline.indices.first(where: { outline[$0...].starts(with: slot) }) else {
            return [try Self.encoder().encode(self)]
        }
        let all = scenarios
        let chunks = inChunks(of: all.count) { range in ScenarioJSON.members(all[range], continuing: range.lowerBound > 0) }
        let open = at + slot.count - 1  // just past "scenarios":[
        return [Data(outline[..<open])] + chunks + [Data(outline[open...])]
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Run records named by `paths`: files, or folders holding `*.run.json`
    /// or `*.run.json.gz`.
    /// Without `timelines`, scenarios come without theirs: compare, trend
    /// and coverage read a 5,120-scenario record in a fraction of the memory.
    public static func read(paths: [String], timelines: Bool = true) throws -> [RunRecord] {
        var files: [String] = []
        for path in paths {
            var folder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &folder) else { throw HarnessError("\(path): no such file or folder") }
            if folder.boolValue {
                let inside = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).filter(isRecordName)
                guard !inside.isEmpty else { throw HarnessError("\(path): no run records (*.run.json or *.run.json.gz) in it") }
                files += inside.sorted().map { "\(path)/\($0)" }
            } else {
                files.append(path)
            }
        }
        return try files.map { try read($0, timelines: timelines) }
    }

    static func isRecordName(_ name: String) -> Bool { name.hasSuffix(".run.json") || name.hasSuffix(".run.json.gz") }

    /// A record, compressed or not (whatever its name says).
    public static func read(_ path: String, timelines: Bool = true) throws -> RunRecord {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        if Gzip.isCompressed(data) { data = try Gzip.decompress(data) }
        let decoder = JSONDecoder()
        if !timelines { decoder.userInfo[skipTimelines] = true }
        let record = try decoder.decode(RunRecord.self, from: data)
        guard record.format == "haywire-run/1" else { throw HarnessError("\(path): unknown format \(record.format)") }
        return record
    }

    /// Writes `<directory>/<suite>.run.json`, or `.run.json.gz` past
    /// `compressAbove` bytes, and removes the other; returns its path.
    public static func write(_ result: SuiteResult, to directory: String) throws -> String {
        try write(RunRecord(result), to: directory)
    }

    public static func write(_ record: RunRecord, to directory: String, compressAbove: Int = compressAbove) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let plain = (directory as NSString).appendingPathComponent("\(RunRecord.fileName(record.suite)).run.json")
        let pieces = try record.jsonPieces()
        let compressed = pieces.reduce(0) { $0 + $1.count } > compressAbove
        let path = compressed ? plain + ".gz" : plain
        try writeAtomically(compressed ? compressInParallel(pieces) : pieces, to: path)
        try? FileManager.default.removeItem(atPath: compressed ? plain : plain + ".gz")
        return path
    }

    /// 16 MB of JSON: about 450 scenarios of a many-group plan.
    public static let compressAbove = 16_000_000

    /// One gzip member per piece, as many at once as there are cores.
    static func compressInParallel(_ pieces: [Data]) throws -> [Data] {
        let results = ChunkResults<Result<Data, Error>>(count: pieces.count)
        DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
            results.set(index, Result { try Gzip.compress(pieces[index]) })
        }
        return try results.inOrder().map { try $0.get() }
    }

    /// `parts` one after another in a file that appears whole or not at all.
    private static func writeAtomically(_ parts: [Data], to path: String) throws {
        let temporary = path + ".partial-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let file = FileHandle(forWritingAtPath: temporary) else {
            throw HarnessError("cannot write \(temporary)")
        }
        do {
            for part in parts { try file.write(contentsOf: part) }
            try file.close()
            guard rename(temporary, path) == 0 else { throw HarnessError("cannot write \(path): \(String(cString: strerror(errno)))") }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}

extension RunRecord.ScenarioRecord {
    private enum CodingKeys: String, CodingKey {
        case name, fault, verdict, message, duration, resolution, recovery, healErrors, expectations, timeline, faultSpans
    }

    /// Without its timeline when the decoder is told to skip them
    /// (`read(paths:timelines: false)`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        fault = try c.decode(String.self, forKey: .fault)
        verdict = try c.decode(String.self, forKey: .verdict)
        message = try c.decode(String.self, forKey: .message)
        duration = try c.decode(Double.self, forKey: .duration)
        resolution = try c.decode(Double.self, forKey: .resolution)
        recovery = try c.decodeIfPresent(Double.self, forKey: .recovery)
        healErrors = try c.decode([String].self, forKey: .healErrors)
        expectations = try c.decode([RunRecord.ExpectationRecord].self, forKey: .expectations)
        timeline = decoder.userInfo[RunRecord.skipTimelines] as? Bool == true ? [] : try c.decode([RunRecord.Event].self, forKey: .timeline)
        faultSpans = try c.decode([RunRecord.Span].self, forKey: .faultSpans)
    }
}
