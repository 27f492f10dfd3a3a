import Foundation

/// Recovery-time history over a folder of run records, as one
/// self-contained HTML page: a sparkline per scenario and per fault kind,
/// the SLA as a dashed line, misses in red, and the runs `compare` finds
/// slower than all the runs before them ringed.
public struct Trend: Sendable {
    public struct Point: Sendable {
        public let run: String
        /// Nil: no recovery was seen (drawn at the top, in red).
        public let median: Double?
        public let missed: Bool
        public var regression = false
    }

    public struct Series: Sendable {
        public let key: String
        public let sla: Double?
        public var points: [Point]
    }

    public let series: [Series]
    public let runs: Int

    /// `records` in any order: they are sorted by when they started.
    public init(_ records: [RunRecord], slower: Double = 0.10, confidence: Double = 0.95) {
        let ordered = records.sorted { $0.startedAt < $1.startedAt }
        runs = ordered.count
        var series: [String: Series] = [:]
        var order: [String] = []
        // Each run against every run before it, kept as one growing sample.
        var before = Comparison.Samples([])
        for (index, record) in ordered.enumerated() {
            let samples = Comparison.Samples([record])
            let compared = index == 0 ? nil
                : Comparison(before: before, after: samples, slower: slower, confidence: confidence, intervals: false)
            before.add(record)
            let slowerKeys = Set(compared?.regressions.map(\.key) ?? [])
            let scenariosByKey = Dictionary(grouping: record.scenarios) { Comparison.Samples.key(record, $0) }
            func add(_ key: String, _ values: [Double], missed: Bool, sla: Double?) {
                guard !values.isEmpty || missed else { return }
                if series[key] == nil { order.append(key); series[key] = Series(key: key, sla: sla, points: []) }
                var point = Point(run: record.startedAt, median: values.isEmpty ? nil : Statistics.median(values), missed: missed)
                point.regression = slowerKeys.contains(key)
                series[key]!.points.append(point)
            }
            for (key, values) in samples.byScenario.sorted(by: { $0.key < $1.key }) {
                let runs = scenariosByKey[key] ?? []
                let sla = runs.flatMap(\.expectations).filter { !$0.windowed }.map(\.within).min()
                add(key, values, missed: runs.contains { $0.verdict != "passed" }, sla: sla)
            }
            for (kind, values) in samples.byKind.sorted(by: { $0.key < $1.key }) {
                add("fault \(kind)", values, missed: false, sla: nil)
            }
        }
        self.series = order.compactMap { series[$0] }
    }

    public func html(title: String) -> String {
        let e = XMLText.escape
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(title)): haywire trend</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em}td,th{padding:4px 10px;text-align:left}
            .miss{fill:#c0392b}.ok{fill:#2c3e50}.slower{fill:none;stroke:#e67e22;stroke-width:2}</style></head><body>
            <h1>\(e(title))</h1>
            <p>Median recovery per run, oldest first, over \(runs) runs. Dashed: the SLA. Red: a run that missed it.
            Ringed: slower than every run before it, as haywire compare judges.</p>
            <table><tr><th>scenario or fault kind</th><th>history</th><th>last</th><th>SLA</th></tr>

            """
        for line in series {
            let last = line.points.last.map { $0.median.map { String(format: "%.1f s", $0) } ?? "never" } ?? "-"
            html += "<tr><td>\(e(line.key))</td><td>\(sparkline(line))</td><td>\(last)</td>"
            html += "<td>\(line.sla.map { String(format: "%.0f s", $0) } ?? "")</td></tr>\n"
        }
        return html + "</table>\n<p>haywire \(e(HaywireVersion.current))</p></body></html>\n"
    }

    private func sparkline(_ line: Series) -> String {
        let width = 240.0, height = 40.0, pad = 4.0
        let top = max(line.points.compactMap(\.median).max() ?? 1, line.sla ?? 0) * 1.1
        let step = line.points.count > 1 ? (width - 2 * pad) / Double(line.points.count - 1) : 0
        func y(_ value: Double) -> Double { height - pad - (top > 0 ? value / top : 0) * (height - 2 * pad) }
        let xy = line.points.enumerated().map { (pad + Double($0.offset) * step, $0.element.median.map(y) ?? pad) }
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        if let sla = line.sla {
            svg += String(format: "<line x1=\"0\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"3,3\"/>", width, y(sla), y(sla))
        }
        svg += "<polyline fill=\"none\" stroke=\"#2c3e50\" points=\"" + xy.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ") + "\"/>"
        for (point, (x, yy)) in zip(line.points, xy) {
            svg += "<circle class=\"\(point.missed ? "miss" : "ok")\" " + String(format: "cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\">", x, yy)
                + "<title>\(XMLText.escape(point.run)): " + (point.median.map { String(format: "%.1f s", $0) } ?? "never recovered") + "</title></circle>"
            if point.regression { svg += String(format: "<circle class=\"slower\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"/>", x, yy) }
        }
        return svg + "</svg>"
    }
}
