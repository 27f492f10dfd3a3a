import Foundation

/// JUnit XML in the shape Jenkins, GitLab and junitparser read: one
/// `<testsuite>` per suite, one `<testcase>` per scenario. An SLA miss is a
/// `<failure>`; a harness that could not set up, inject or observe is an
/// `<error>`. Times are the backend's clock (virtual seconds in a simulated
/// run), so two runs differ only in `timestamp` and `hostname`.
public enum JUnitWriter {
    public static func render(_ suites: [SuiteResult]) -> String {
        render(records: suites.map { RunRecord($0, sources: false) })
    }

    public static func render(records suites: [RunRecord]) -> String {
        let tests = suites.map(\.scenarios.count).reduce(0, +)
        let failures = suites.map(\.failures).reduce(0, +)
        let errors = suites.map(\.errors).reduce(0, +)
        let skipped = suites.map(\.skipped).reduce(0, +)
        let time = suites.map(\.duration).reduce(0, +)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"haywire\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(seconds(time))\">\n"
        for suite in suites { xml += render(suite) }
        xml += "</testsuites>\n"
        return xml
    }

    static func render(_ suite: RunRecord) -> String {
        let a = XMLText.attribute
        var xml = "  <testsuite name=\"\(a(suite.suite))\" tests=\"\(suite.scenarios.count)\" failures=\"\(suite.failures)\""
        xml += " errors=\"\(suite.errors)\" skipped=\"\(suite.skipped)\" time=\"\(seconds(suite.duration))\""
        xml += " timestamp=\"\(timestamp(suite.startedAt))\" hostname=\"\(a(suite.hostname))\">\n"
        xml += "    <properties>\n"
        xml += property("manager", suite.manager, indent: 6)
        xml += property("suite-file", suite.file, indent: 6)
        xml += property("config", suite.configPath, indent: 6)
        xml += property("seed", String(suite.seed), indent: 6)
        xml += property("haywire-version", suite.haywireVersion ?? "unknown", indent: 6)
        xml += "    </properties>\n"
        let classname = suite.suite
        let budget = ReportBudget(suite.scenarios, fullLimit: fullOutput, failingShare: failingOutput, passingShare: passingOutput)
        xml += renderedInChunks(suite.scenarios) { _, scenario in render(scenario, classname: classname, budget: budget) }
        xml += "  </testsuite>\n"
        return xml
    }

    static func render(_ scenario: RunRecord.ScenarioRecord, classname: String, budget: ReportBudget) -> String {
        let a = XMLText.attribute
        var xml = "    <testcase classname=\"\(a(classname))\" name=\"\(a(scenario.name))\" time=\"\(seconds(scenario.duration))\">\n"
        xml += "      <properties>\n"
        xml += property("fault", scenario.fault, indent: 8)
        xml += property("recovery-time", scenario.recovery.map(seconds) ?? "", indent: 8)
        xml += property("sla", scenario.expectations.map { seconds($0.within) }.joined(separator: " "), indent: 8)
        xml += property("resolution", seconds(scenario.resolution), indent: 8)
        for (index, result) in scenario.expectations.enumerated() {
            xml += property("expectation.\(index + 1)", result.message, indent: 8)
        }
        xml += "      </properties>\n"
        switch scenario.verdict {
        case Verdict.failed.rawValue:
            xml += "      <failure type=\"sla-miss\" message=\"\(a(scenario.message))\">\(XMLText.escape(details(scenario)))</failure>\n"
        case Verdict.error.rawValue:
            xml += "      <error type=\"harness\" message=\"\(a(scenario.message))\">\(XMLText.escape(details(scenario)))</error>\n"
        case Verdict.skipped.rawValue:
            xml += "      <skipped message=\"\(a(scenario.message))\"/>\n"
        default:
            break
        }
        let story = budget.text(of: scenario)
        xml += "      <system-out>\(XMLText.escape(story))</system-out>\n"
        if !scenario.healErrors.isEmpty {
            // A failed heal never replaces the verdict; it is reported beside it.
            xml += "      <system-err>\(XMLText.escape(scenario.healErrors.joined(separator: "\n")))</system-err>\n"
        }
        xml += "    </testcase>\n"
        return xml
    }

    /// Seconds with millisecond precision, as JUnit's `time` wants them.
    static func seconds(_ value: Double) -> String { secondsText(millis: milliseconds(seconds: value)) }

    /// Every timeline in full up to 8 MB of them; past that, passing cases
    /// share 6 MB of summaries and the others 14 MB (CI servers choke on
    /// hundreds of megabytes). The run record keeps all of it.
    static let fullOutput = 8_000_000, failingOutput = 14_000_000, passingOutput = 6_000_000

    /// The first and last lines of `lines` that fit in `limit` bytes, with a
    /// note of what was left out between them.
    /// `lines` may be lazy: only about `limit` bytes' worth from each end
    /// are made.
    static func capped<Lines: BidirectionalCollection>(_ lines: Lines, limit: Int) -> String where Lines.Element == String {
        var total = 0
        for line in lines {
            total += line.utf8.count + 1
            if total > limit { break }
        }
        guard total > limit else { return lines.joined(separator: "\n") }
        var head: [String] = [], tail: [String] = []
        var headBytes = 0, tailBytes = 0
        for line in lines {
            guard headBytes + line.utf8.count + 1 <= limit / 3 else { break }
            head.append(line)
            headBytes += line.utf8.count + 1
        }
        for line in lines.dropFirst(head.count).reversed() {
            guard tailBytes + line.utf8.count + 1 <= limit - limit / 3 - 200 else { break }
            tail.append(line)
            tailBytes += line.utf8.count + 1
        }
        let left = lines.count - head.count - tail.count
        return (head + ["[... \(left) lines left out; the run record (.run.json) has the whole timeline ...]"] + tail.reversed())
            .joined(separator: "\n")
    }

    private static func details(_ scenario: RunRecord.ScenarioRecord) -> String {
        var lines = scenario.expectations.map { ($0.passed ? "met: " : $0.decided ? "missed: " : "") + $0.message }
        if lines.isEmpty { lines = [scenario.message] }
        return lines.joined(separator: "\n")
    }

    private static func property(_ name: String, _ value: String, indent: Int) -> String {
        String(repeating: " ", count: indent) + "<property name=\"\(XMLText.attribute(name))\" value=\"\(XMLText.attribute(value))\"/>\n"
    }

    /// ISO 8601 without a zone, as the JUnit schema wants it (UTC), from
    /// the record's ISO 8601 instant.
    static func timestamp(_ iso: String) -> String {
        guard let date = ISO8601DateFormatter().date(from: iso) else { return "1970-01-01T00:00:00" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }

    /// Writes `<dir>/<suite>.junit.xml` and returns its path.
    public static func write(_ record: RunRecord, to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("\(RunRecord.fileName(record.suite)).junit.xml")
        try render(records: [record]).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A suite name made safe as a file name.
}
