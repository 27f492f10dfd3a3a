/// One scenario's timeline as an SVG picture: a band per group and system
/// (and per system) coloured by its state over time, the faults as shaded
/// spans, each expectation's deadline dashed and its recovery instant solid.
struct SVGTimeline {
    let scenario: RunRecord.ScenarioRecord
    /// Only the rows a person looks at first: the expected groups on each
    /// system, and systems whose state changed, without a tooltip per band
    /// (a large run's page).
    var focused = false
    static let width = 960.0
    static let labelWidth = 200.0
    static let rowHeight = 18.0
    static let maxRows = 40

    /// A row's state from an instant on.
    private struct Band {
        let from: Duration
        let state: String
    }

    func render() -> String {
        let rows = self.rows()
        let start = rows.flatMap { $0.bands.map(\.from) }.min() ?? .zero
        // What was observed, a little beyond so the last state shows, and the
        // deadlines unless they lie far beyond.
        let observed = max(RunRecord.duration(scenario.duration), RunRecord.duration(scenario.timeline.last?.t ?? 0), start + .seconds(1))
        let lastDeadline = scenario.expectations.map { RunRecord.duration($0.deadline) }.max() ?? observed
        let end = max(observed + (observed - start) * 0.05, min(lastDeadline + .seconds(1), observed + (observed - start) * 2))
        let span = seconds(end - start)
        let plot = Self.width - Self.labelWidth - 10
        let x = { (time: Duration) in Self.labelWidth + plot * max(0, min(1, seconds(time - start) / max(span, 0.001))) }
        let top = 24.0
        let height = top + Double(rows.count) * Self.rowHeight + 30
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(height))\" "
        svg += "viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        // Faults: shaded from their effect to their heal.
        for span in scenario.faultSpans {
            let from = x(RunRecord.duration(span.from)), to = x(span.to.map(RunRecord.duration) ?? end)
            svg += rect(from, top - 14, max(to - from, 2), Double(rows.count) * Self.rowHeight + 14, fill: "#f4c7c3", opacity: 0.45)
            svg += text(from + 3, top - 4, span.fault, fill: "#a52714")
        }
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * Self.rowHeight
            svg += text(4, y + 13, row.label, fill: "#202124")
            for (position, band) in row.bands.enumerated() {
                let until = position + 1 < row.bands.count ? row.bands[position + 1].from : end
                let from = x(band.from), to = x(until)
                svg += rect(from, y + 2, max(to - from, 1), Self.rowHeight - 4, fill: Self.colour(band.state), opacity: 1,
                            title: focused ? nil : "\(row.label): \(band.state) from \(secondsText(band.from))s")
            }
        }
        // Deadlines dashed, recoveries solid.
        let bottom = top + Double(rows.count) * Self.rowHeight
        for result in scenario.expectations where RunRecord.duration(result.deadline) <= end {
            let deadline = x(RunRecord.duration(result.deadline))
            svg += "<line x1=\"\(f(deadline))\" y1=\"\(f(top - 14))\" x2=\"\(f(deadline))\" y2=\"\(f(bottom))\" stroke=\"#d93025\" stroke-dasharray=\"4 3\"><title>\(XMLText.escape("deadline: " + result.expectation))</title></line>\n"
        }
        for result in scenario.expectations {
            if let broken = result.leftAt.map(RunRecord.duration), broken <= end {
                let at = x(broken)
                svg += "<line x1=\"\(f(at))\" y1=\"\(f(top - 14))\" x2=\"\(f(at))\" y2=\"\(f(bottom))\" stroke=\"#d93025\" stroke-width=\"2\"><title>\(XMLText.escape("missed: " + result.message))</title></line>\n"
            }
            if let at = result.satisfiedAt.map(RunRecord.duration), !result.windowed {
                let met = x(at)
                svg += "<line x1=\"\(f(met))\" y1=\"\(f(top - 14))\" x2=\"\(f(met))\" y2=\"\(f(bottom))\" stroke=\"#188038\" stroke-width=\"2\"><title>\(XMLText.escape("met: " + result.message))</title></line>\n"
            }
        }
        // What broke an audit, where it happened: a heavy red mark, one per
        // instant however many audits broke there.
        var broken: [(t: Double, texts: [String])] = []
        for entry in scenario.timeline where entry.kind == TimelineEntry.Kind.verdict.rawValue && entry.text.hasPrefix("failed: audit") {
            let text = String(entry.text.dropFirst("failed: ".count))
            if broken.last?.t == entry.t { broken[broken.count - 1].texts.append(text) } else { broken.append((entry.t, [text])) }
        }
        for (t, texts) in broken where RunRecord.duration(t) <= end {
            let at = x(RunRecord.duration(t))
            let title = texts.count > 3 ? texts.prefix(3).joined(separator: "\n") + "\n(and \(texts.count - 3) more)" : texts.joined(separator: "\n")
            svg += "<line x1=\"\(f(at))\" y1=\"\(f(top - 14))\" x2=\"\(f(at))\" y2=\"\(f(bottom))\" stroke=\"#d93025\" stroke-width=\"4\"><title>\(XMLText.escape(title))</title></line>\n"
        }
        // Time axis.
        let step = Self.tick(span)
        var tick = 0.0
        while tick <= span + 0.0001 {
            let position = Self.labelWidth + plot * (span > 0 ? tick / span : 0)
            svg += "<line x1=\"\(f(position))\" y1=\"\(f(bottom))\" x2=\"\(f(position))\" y2=\"\(f(bottom + 4))\" stroke=\"#5f6368\"/>\n"
            svg += text(position - 10, bottom + 16, "\(Self.number(tick + seconds(start)))s", fill: "#5f6368")
            tick += step
        }
        if rows.isEmpty { svg += text(Self.labelWidth, top + 12, "no state was observed", fill: "#5f6368") }
        svg += "</svg>\n"
        return svg
    }

    private struct Row {
        let label: String
        var bands: [Band]
    }

    /// Systems first, then groups on systems, in the order first seen.
    private func rows() -> [Row] {
        var rows: [Row] = []
        var index: [String: Int] = [:]
        let expected = Set(scenario.expectations.compactMap(\.group))
        for entry in scenario.timeline where entry.kind == TimelineEntry.Kind.state.rawValue {
            guard let system = entry.system, let state = entry.state else { continue }
            if focused, let group = entry.group, !expected.contains(group) { continue }
            let label = entry.group.map { "\($0) on \(system)" } ?? "system \(system)"
            let time = RunRecord.duration(entry.t)
            if let at = index[label] {
                rows[at].bands.append(Band(from: time, state: state))
            } else if rows.count < Self.maxRows {
                index[label] = rows.count
                rows.append(Row(label: label, bands: [Band(from: time, state: state)]))
            }
        }
        if focused { rows.removeAll { $0.label.hasPrefix("system ") && $0.bands.count == 1 } }
        return rows.enumerated().sorted { a, b in
            let (systemA, systemB) = (a.element.label.hasPrefix("system "), b.element.label.hasPrefix("system "))
            return systemA != systemB ? systemA : a.offset < b.offset
        }.map(\.element)
    }

    /// VCS state words to colours: up green, partial olive, faulted red,
    /// moving blue, offline grey.
    static func colour(_ state: String) -> String {
        let words = Set(state.split(separator: "|").map(String.init))
        if words.contains("FAULTED") || words.contains("ADMIN_WAIT") { return words.contains("ONLINE") ? "#f29900" : "#d93025" }
        if words.contains("STARTING") || words.contains("STOPPING") || words.contains("LEAVING") { return "#4285f4" }
        if words.contains("PARTIAL") { return "#9aa51f" }
        if words.contains("ONLINE") || words.contains("RUNNING") { return "#34a853" }
        if words.contains("EXITED") { return "#5f6368" }
        return "#dadce0"
    }

    /// A tick spacing that gives five to ten ticks.
    static func tick(_ span: Double) -> Double {
        for step in [1.0, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200] where span / step <= 10 { return step }
        return (span / 10).rounded(.up)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : oneDecimal(value)
    }

    private func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String, opacity: Double, title: String? = nil) -> String {
        var out = "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"\(fill)\""
        if opacity < 1 { out += " fill-opacity=\"\(opacity)\"" }
        guard let title else { return out + "/>\n" }
        return out + "><title>\(XMLText.escape(title))</title></rect>\n"
    }

    private func text(_ x: Double, _ y: Double, _ content: String, fill: String) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" fill=\"\(fill)\">\(XMLText.escape(content))</text>\n"
    }

    private func f(_ value: Double) -> String { oneDecimal(value) }

    private func seconds(_ duration: Duration) -> Double { RunRecord.seconds(duration) }
}
