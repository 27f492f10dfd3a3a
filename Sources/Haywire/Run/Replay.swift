import Foundation
import VCSConfig

/// `haywire replay RUN.json`: the recorded suite, from the files the record
/// carries, run again with the recorded seed and scenarios; then the two
/// outcomes compared. A simulated run must repeat to the event; a real lab's
/// must reach the same verdicts.
public enum Replay {
    /// Writes the record's files under `directory` and loads the suite from
    /// there, with the recorded scenarios selected.
    public static func suite(of record: RunRecord, in directory: String) throws -> Suite {
        var suitePath: String?
        for source in record.sources {
            let path = source.path.hasPrefix("/") ? nil : (directory as NSString).appendingPathComponent(source.path)
            guard let path else { continue }  // read from where it was: outside the suite's folder
            try FileManager.default.createDirectory(atPath: Paths.folder(of: path), withIntermediateDirectories: true)
            try source.text.write(toFile: path, atomically: true, encoding: .utf8)
            if suitePath == nil { suitePath = path }
        }
        guard let suitePath else { throw HarnessError("the record carries no suite file") }
        let suite = try SuiteLoader.load(path: suitePath)
        let missing = record.selected.filter { name in !suite.scenarios.contains { $0.name == name } }
        guard missing.isEmpty else { throw HarnessError("the recorded suite has no scenario \(missing.joined(separator: ", "))") }
        return suite.filter { record.selected.contains($0.name) }
    }

    /// How `actual` differs from `expected`, one line each; empty when the
    /// outcome is the same.
    public static func differences(_ expected: RunRecord, _ actual: RunRecord) -> [String] {
        var lines: [String] = []
        let exact = expected.manager == ClusterManager.simulated.rawValue
        for old in expected.scenarios {
            guard let new = actual.scenarios.first(where: { $0.name == old.name }) else {
                lines.append("\(old.name): not run again")
                continue
            }
            if new.verdict != old.verdict { lines.append("\(old.name): \(new.verdict), was \(old.verdict)") }
            for (a, b) in zip(old.expectations, new.expectations) where a.passed != b.passed || (exact && a.recovery != b.recovery) {
                lines.append("\(old.name): \(b.message), was: \(a.message)")
            }
            if exact, new.timeline != old.timeline {
                let index = zip(old.timeline, new.timeline).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(old.timeline.count, new.timeline.count)
                let was = index < old.timeline.count ? line(old.timeline[index]) : "(nothing)"
                let now = index < new.timeline.count ? line(new.timeline[index]) : "(nothing)"
                lines.append("\(old.name): timeline differs at event \(index + 1): \(now), was \(was)")
            }
        }
        for new in actual.scenarios where !expected.scenarios.contains(where: { $0.name == new.name }) {
            lines.append("\(new.name): new in this run")
        }
        return lines
    }

    private static func line(_ event: RunRecord.Event) -> String {
        TimelineEntry(time: .milliseconds(Int64((event.t * 1000).rounded())), kind: TimelineEntry.Kind(rawValue: event.kind) ?? .note,
                      text: event.text).line
    }
}
