import Foundation

/// A comparison as a terminal table and as JUnit, where each regression
/// and each flipped verdict is a `<failure>` a CI server gates on.
extension Comparison {
    public func table() -> String {
        func s(_ value: Double?) -> String { value.map { String(format: "%+.1fs", $0) } ?? "-" }
        func interval(_ value: (low: Double, high: Double)?) -> String {
            value.map { String(format: "[%+.1f, %+.1f]", $0.low, $0.high) } ?? ""
        }
        var lines = ["slower than \(Int((slower * 100).rounded())) % at confidence \(Int((confidence * 100).rounded())) %:"]
        for row in rows {
            let counts = "n=\(row.baseline.count)/\(row.current.count)"
            let detail: String = switch row.verdict {
            case .regression(let why): "REGRESSION  \(why)"
            case .unchanged: "ok"
            case .notEnough(let why): why
            }
            lines.append("  \(row.key)  \(counts)  median \(s(row.medianDelta)) \(interval(row.medianInterval))"
                         + "  p95 \(s(row.p95Delta)) \(interval(row.p95Interval))"
                         + (row.pValue.map { String(format: "  p=%.4f", $0) } ?? "") + "  \(detail)")
        }
        lines += flips.map { "  FLIPPED  \($0)" }
        lines += appeared.map { "  appeared  \($0)" } + disappeared.map { "  disappeared  \($0)" }
        lines.append("\(regressions.count) regressions, \(flips.count) verdicts flipped, \(appeared.count) scenarios appeared, \(disappeared.count) disappeared")
        return lines.joined(separator: "\n") + "\n"
    }

    public func junit() -> String {
        let a = XMLText.attribute
        let skipped = rows.filter { if case .notEnough = $0.verdict { true } else { false } }.count
        let failures = regressions.count + flips.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"haywire-compare\" tests=\"\(rows.count + flips.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\">\n"
        xml += "  <testsuite name=\"compare\" tests=\"\(rows.count + flips.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\">\n"
        for row in rows {
            xml += "    <testcase classname=\"compare\" name=\"\(a(row.key))\">"
            switch row.verdict {
            case .regression(let why): xml += "<failure message=\"\(a(why))\" type=\"regression\"/>"
            case .notEnough(let why): xml += "<skipped message=\"\(a(why))\"/>"
            case .unchanged: break
            }
            xml += "</testcase>\n"
        }
        for flip in flips {
            xml += "    <testcase classname=\"compare.verdicts\" name=\"\(a(flip))\"><failure message=\"\(a(flip))\" type=\"flip\"/></testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }
}
