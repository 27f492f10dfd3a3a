import Foundation

/// One self-contained HTML file per suite run (`<suite>.html`): no script,
/// no fetch. The counts, the failures first, recovery times per fault kind
/// (min, median, p95, max), coverage, a table of every scenario, then per
/// scenario (failures first) its expectations, a timeline picture and the
/// timeline itself; large runs summarize the passing ones (ReportBudget).
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
        let failing = suite.scenarios.indices.filter { suite.scenarios[$0].verdict != Verdict.passed.rawValue }
        if !failing.isEmpty {
            html += "<h2>Failures</h2>\n<table><tr><th>scenario</th><th>verdict</th><th>fault</th><th>why</th></tr>\n"
            for index in failing {
                let scenario = suite.scenarios[index]
                html += "<tr><td><a href=\"#s\(index)\">\(e(scenario.name))</a></td><td class=\"\(scenario.verdict)\">\(scenario.verdict)</td>"
                html += "<td>\(e(scenario.fault))</td><td>\(e(shortened(scenario.message, to: 300)))</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += recoveryTable(suite)
        let coverage = Coverage([suite])
        if !coverage.groups.isEmpty {
            html += "<h2>Coverage</h2>\n<p>Each group against each fault kind: where the fault struck, how many scenarios passed (✓) and failed (✗).</p>\n"
            html += coverage.html()
        }
        html += scenarioTable(suite)
        let budget = ReportBudget(suite.scenarios, fullLimit: fullTimelines, failingShare: failingTimelines, passingShare: passingTimelines,
                                  floor: 1024)
        let passing = suite.scenarios.indices.filter { suite.scenarios[$0].verdict == Verdict.passed.rawValue }
        html += renderedInChunks(failing) { position, index in
            section(suite.scenarios[index], index: index, budget: budget, picture: !budget.summarizePassing || position < pictures)
        }
        if budget.summarizePassing, !passing.isEmpty {
            html += "<h2>Passing scenarios</h2>\n<p class=\"meta\">Their timelines are summarized to keep this page small: "
                + "the run record (.run.json) has every line, and <code>haywire report RUN --scenario NAME</code> draws any scenario in full.</p>\n"
        }
        html += renderedInChunks(passing) { _, index in section(suite.scenarios[index], index: index, budget: budget) }
        html += "</body></html>\n"
        return html
    }

    /// Every timeline in full up to 4 MB of them; past that, passing
    /// scenarios share 3 MB of summaries, the others 4 MB, and their
    /// pictures show only the expected groups and the systems that changed.
    static let fullTimelines = 4_000_000, failingTimelines = 4_000_000, passingTimelines = 3_000_000
    /// At most this many failures drawn in a large run (about 3 KB each).
    static let pictures = 1_000

    static func scenarioTable(_ suite: RunRecord) -> String {
        let e = XMLText.escape
        var html = "<h2>Scenarios</h2>\n<table><tr><th>scenario</th><th>verdict</th><th>fault</th><th>recovery</th><th>SLA</th><th>detail</th></tr>\n"
        for (index, scenario) in suite.scenarios.enumerated() {
            let sla = scenario.expectations.map { formatDuration(RunRecord.duration($0.within)) }.joined(separator: ", ")
            let detail = scenario.verdict == Verdict.passed.rawValue ? "" : shortened(scenario.message, to: 200)
            html += "<tr><td><a href=\"#s\(index)\">\(e(scenario.name))</a></td><td class=\"\(scenario.verdict)\">\(scenario.verdict)</td>"
            let late = scenario.expectations.contains { !$0.passed && !$0.windowed && $0.recovery != nil }
            html += "<td>\(e(scenario.fault))</td><td>\(scenario.recovery.map { formatDuration(RunRecord.duration($0)) + (late ? " (late)" : "") } ?? "")</td>"
            html += "<td>\(e(sla))</td><td>\(e(detail))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    /// `text` cut at a character boundary to at most `limit` characters.
    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
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

    static func section(_ scenario: RunRecord.ScenarioRecord, index: Int, budget: ReportBudget, picture: Bool = true) -> String {
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
        let summarized = budget.summarizePassing && scenario.verdict == Verdict.passed.rawValue
        if !summarized, picture { html += SVGTimeline(scenario: scenario, focused: budget.summarizePassing).render() }
        if !summarized, !picture { html += "<p class=\"meta\">Not drawn: past \(pictures) failures; <code>haywire report RUN --scenario NAME</code> draws it.</p>\n" }
        html += "<details><summary>timeline (\(scenario.timeline.count) events\(summarized ? ", summarized" : ""))</summary><pre>"
        html += e(budget.text(of: scenario))
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
