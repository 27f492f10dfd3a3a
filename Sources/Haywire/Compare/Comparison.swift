import Foundation

/// Tonight's runs against earlier ones: for each scenario and each fault
/// kind, are recoveries slower, beyond `slower` (a fraction: 0.1 is 10 %)
/// with the given confidence? Plus the verdicts that flipped and the
/// scenarios that appeared or disappeared.
public struct Comparison: Sendable {
    public struct Row: Sendable {
        /// `suite / scenario`, or `fault kill-guest`.
        public let key: String
        public let baseline: [Double]
        public let current: [Double]
        public let medianDelta: Double?
        public let p95Delta: Double?
        public let medianInterval: (low: Double, high: Double)?
        public let p95Interval: (low: Double, high: Double)?
        public let pValue: Double?
        public let verdict: Verdict
    }

    public enum Verdict: Sendable, Equatable {
        case regression(String)
        case unchanged
        case notEnough(String)
    }

    public let rows: [Row]
    /// `suite / scenario: passed before, failed now`.
    public let flips: [String]
    public let appeared: [String]
    public let disappeared: [String]
    public let slower: Double
    public let confidence: Double
    public static let minimumSamples = 8

    public var regressions: [Row] { rows.filter { if case .regression = $0.verdict { true } else { false } } }
    public var failed: Bool { !regressions.isEmpty || !flips.isEmpty }

    public init(baseline: [RunRecord], current: [RunRecord], slower: Double = 0.10, confidence: Double = 0.95, seed: UInt64 = 1) {
        self.init(before: Samples(baseline), after: Samples(current), slower: slower, confidence: confidence, seed: seed)
    }

    /// Without `intervals`, rows carry no bootstrap intervals: trend wants
    /// only the verdicts, for every run against all the runs before it.
    init(before: Samples, after: Samples, slower: Double, confidence: Double, seed: UInt64 = 1, intervals: Bool = true) {
        self.slower = slower
        self.confidence = confidence
        var rows: [Row] = []
        func row(_ key: String, _ base: [Double], _ now: [Double]) -> Row {
            Self.row(key, base, now, slower: slower, confidence: confidence, seed: seed, intervals: intervals)
        }
        for key in Set(before.byScenario.keys).intersection(after.byScenario.keys).sorted() {
            rows.append(row(key, before.byScenario[key]!, after.byScenario[key]!))
        }
        for kind in Set(before.byKind.keys).intersection(after.byKind.keys).sorted() {
            rows.append(row("fault \(kind)", before.byKind[kind]!, after.byKind[kind]!))
        }
        self.rows = rows
        appeared = Set(after.byScenario.keys).subtracting(before.byScenario.keys).sorted()
        disappeared = Set(before.byScenario.keys).subtracting(after.byScenario.keys).sorted()
        flips = after.verdicts.keys.sorted().compactMap { name in
            guard before.verdicts[name] == "passed", let now = after.verdicts[name], now != "passed" else { return nil }
            return "\(name): passed before, \(now) now"
        }
    }

    private static func row(_ key: String, _ base: [Double], _ now: [Double], slower: Double, confidence: Double, seed: UInt64,
                            intervals: Bool) -> Row {
        let smallest = min(base.count, now.count)
        guard smallest >= minimumSamples else {
            let delta = base.isEmpty || now.isEmpty ? nil : Statistics.median(now) - Statistics.median(base)
            return Row(key: key, baseline: base, current: now, medianDelta: delta, p95Delta: nil, medianInterval: nil, p95Interval: nil,
                       pValue: nil, verdict: .notEnough("not enough samples (n=\(smallest); need ≥ \(minimumSamples) for a verdict)"))
        }
        let medianBefore = Statistics.median(base), medianNow = Statistics.median(now)
        let p95 = { (values: [Double]) in Statistics.quantile(values, 0.95) }
        let p = Statistics.slowerPValue(baseline: base, current: now)
        let medianInterval: (low: Double, high: Double)? = !intervals ? nil
            : Statistics.bootstrapInterval(baseline: base, current: now, confidence: confidence, seed: seed, quantile: 0.5)
        let p95Interval: (low: Double, high: Double)? = !intervals ? nil
            : Statistics.bootstrapInterval(baseline: base, current: now, confidence: confidence, seed: seed &+ 1, quantile: 0.95)
        let relative = medianBefore > 0 ? (medianNow - medianBefore) / medianBefore : 0
        let verdict: Verdict = p < 1 - confidence && relative > slower
            ? .regression(String(format: "slower: median %.1f s -> %.1f s (+%.0f %%), p=%.4f", medianBefore, medianNow, relative * 100, p))
            : .unchanged
        return Row(key: key, baseline: base, current: now, medianDelta: medianNow - medianBefore, p95Delta: p95(now) - p95(base),
                   medianInterval: medianInterval, p95Interval: p95Interval, pValue: p, verdict: verdict)
    }

    /// Recovery times by scenario (repeats together) and by fault kind, and
    /// each scenario run's verdict.
    struct Samples {
        var byScenario: [String: [Double]] = [:]
        var byKind: [String: [Double]] = [:]
        var verdicts: [String: String] = [:]

        init(_ records: [RunRecord]) {
            for record in records { add(record) }
        }

        mutating func add(_ record: RunRecord) {
            for scenario in record.scenarios {
                let run = "\(record.suite) / \(scenario.name)"
                // The latest record's verdict of a scenario run stands.
                verdicts[run] = scenario.verdict
                let key = Self.key(record, scenario)
                let kind = String(scenario.fault.split(separator: " ").first ?? "")
                byScenario[key, default: []] += []  // seen, even without a recovery
                guard let recovery = scenario.recovery else { continue }
                byScenario[key, default: []].append(recovery)
                byKind[kind, default: []].append(recovery)
            }
        }

        /// `suite / scenario`, its repeats together.
        static func key(_ record: RunRecord, _ scenario: RunRecord.ScenarioRecord) -> String {
            "\(record.suite) / \(base(scenario.name))"
        }

        /// "name #3" and "name (percentiles)" are runs of "name".
        static func base(_ name: String) -> String {
            for marker in [" #", " ("] {
                if let cut = name.range(of: marker, options: .backwards) { return String(name[..<cut.lowerBound]) }
            }
            return name
        }
    }
}
