import Foundation

/// One self-contained HTML file per suite run (`<suite>.html`): no script,
/// no fetch. A summary of the scenarios, recovery times per fault kind
/// (min, median, p95, max), and per scenario its expectations, a timeline
/// picture and the timeline itself.
public enum HTMLReport {
    public static func render(_ suite: SuiteResult) -> String { render(RunRecord(suite, sources: false)) }

    public static func render(_ suite: RunRecord) -> String {
        let e = XMLText.escape
        let passed = suite.scenarios.count - suite.failures - suite.errors - suite.skipped
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>\(e(suite.suite)): haywire</title>
            <style>\(style)</style></head><body>
            <h1>\(e(suite.suite))</h1>
            <p class="meta">\(e(suite.file)) · \(e(suite.manager)) · seed \(suite.seed) · \
            \(e(suite.startedAt)) on \(e(suite.hostname)) · cluster time \(e(formatDuration(RunRecord.duration(suite.duration)))) · \
            haywire \(e(suite.haywireVersion ?? "unknown"))</p>
            <p class="counts"><span class="passed">\(passed) passed</span> <span class="failed">\(suite.failures) failed</span> \
            <span class="error">\(suite.errors) errors</span>\(suite.skipped > 0 ? " <span class=\"skipped\">\(suite.skipped) skipped</span>" : "")</p>

            """
        html += "<h2>Scenarios</h2>\n<table><tr><th>scenario</th><th>verdict</th><th>fault</th><th>recovery</th><th>SLA</th><th>detail</th></tr>\n"
        for (index, scenario) in suite.scenarios.enumerated() {
            let sla = scenario.expectations.map { formatDuration(RunRecord.duration($0.within)) }.joined(separator: ", ")
            let detail = scenario.verdict == Verdict.passed.rawValue ? "" : scenario.message
            html += "<tr><td><a href=\"#s\(index)\">\(e(scenario.name))</a></td><td class=\"\(scenario.verdict)\">\(scenario.verdict)</td>"
            let late = scenario.expectations.contains { !$0.passed && !$0.windowed && $0.recovery != nil }
            html += "<td>\(e(scenario.fault))</td><td>\(scenario.recovery.map { formatDuration(RunRecord.duration($0)) + (late ? " (late)" : "") } ?? "")</td>"
            html += "<td>\(e(sla))</td><td>\(e(detail))</td></tr>\n"
        }
        html += "</table>\n"
        html += recoveryTable(suite)
        let coverage = Coverage([suite])
        if !coverage.groups.isEmpty {
            html += "<h2>Coverage</h2>\n<p>Each group against each fault kind: where the fault struck, how many scenarios passed (✓) and failed (✗).</p>\n"
            html += coverage.html()
        }
        html += renderedInChunks(suite.scenarios) { index, scenario in section(scenario, index: index) }
        html += "</body></html>\n"
        return html
    }

    /// Writes `<directory>/<suite>.html`; returns its path.
    public static func write(_ suite: RunRecord, to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("\(RunRecord.fileName(suite.suite)).html")
        try render(suite).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Each scenario's recovery (its slowest met expectation), per fault
    /// kind (the first word of its first fault): repeats make the spread.
    /// Recovery times by fault kind, misses counted with their real times
    /// where they were seen late, and those never seen counted apart.
    static func recoveryTable(_ suite: RunRecord) -> String {
        var byKind: [String: (times: [Duration], late: Int, never: Int)] = [:]
        for scenario in suite.scenarios {
            let kind = scenario.fault.split(separator: " ").first.map(String.init) ?? "?"
            let missed = scenario.expectations.filter { !$0.passed && !$0.windowed && $0.decided }
            if let recovery = scenario.recovery {
                byKind[kind, default: ([], 0, 0)].times.append(RunRecord.duration(recovery))
                if missed.contains(where: { $0.recovery != nil }) { byKind[kind]!.late += 1 }
            } else if !missed.isEmpty {
                byKind[kind, default: ([], 0, 0)].never += 1
            }
        }
        guard !byKind.isEmpty else { return "" }
        var html = "<h2>Recovery times by fault</h2>\n<table><tr><th>fault</th><th>recoveries</th><th>of them late</th><th>never recovered</th>"
            + "<th>min</th><th>median</th><th>p95</th><th>max</th></tr>\n"
        for (kind, row) in byKind.sorted(by: { $0.key < $1.key }) {
            let times = row.times
            let cells = [0, 50, 95, 100].map { p -> String in
                guard !times.isEmpty else { return "" }
                if p == 0 { return formatDuration(times.min()!) }
                return Percentiles.value(p, of: times.map { $0 }).map(formatDuration) ?? ""
            }
            html += "<tr><td>\(XMLText.escape(kind))</td><td>\(times.count)</td><td>\(row.late)</td><td>\(row.never)</td>"
                + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>\n"
    }

    static func section(_ scenario: RunRecord.ScenarioRecord, index: Int) -> String {
        let e = XMLText.escape
        var html = "<section id=\"s\(index)\"><h3><span class=\"badge \(scenario.verdict)\">\(scenario.verdict)</span> \(e(scenario.name))</h3>\n"
        html += "<p class=\"fault\">\(e(scenario.fault))</p>\n<ul>\n"
        for result in scenario.expectations {
            let mark = result.passed ? "met" : "missed"
            html += "<li class=\"\(mark)\">\(mark): \(e(result.message))</li>\n"
        }
        if scenario.expectations.isEmpty, !scenario.message.isEmpty { html += "<li class=\"missed\">\(e(scenario.message))</li>\n" }
        for error in scenario.healErrors { html += "<li class=\"missed\">heal: \(e(error))</li>\n" }
        html += "</ul>\n"
        html += SVGTimeline(scenario: scenario).render()
        html += "<details><summary>timeline (\(scenario.timeline.count) events)</summary><pre>"
        html += e(scenario.timeline.map(\.line).joined(separator: "\n"))
        html += "</pre></details></section>\n"
        return html
    }

    static let style = """
        body{font-family:sans-serif;margin:24px;color:#202124;max-width:1000px}
        h1{margin-bottom:4px}.meta{color:#5f6368;margin-top:0}
        table{border-collapse:collapse;margin:8px 0 24px}td,th{border:1px solid #dadce0;padding:4px 8px;text-align:left;font-size:13px;vertical-align:top}
        th{background:#f1f3f4}.passed{color:#188038}.failed{color:#d93025}.error{color:#e37400}
        .counts span{margin-right:12px;font-weight:bold}
        section{border-top:1px solid #dadce0;padding-top:8px;margin-top:16px}
        .badge{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px}.badge.passed{background:#188038}
        .badge.failed{background:#d93025}.badge.error{background:#e37400}
        li.met{color:#188038}li.missed{color:#d93025}.fault{color:#a52714;margin:4px 0}
        pre{font-size:11px;background:#f8f9fa;padding:8px;overflow-x:auto}
        """
}
