import Foundation

/// A run's three reports, rendered from one record and written at once,
/// one per core: `<suite>.junit.xml`, `<suite>.html` and `<suite>.run.json`.
public enum ReportFiles {
    public struct Paths: Sendable {
        public let junit: String
        public let html: String
        public let json: String
    }

    public static func write(_ result: SuiteResult, to directory: String) async throws -> Paths {
        try await write(RunRecord(result), to: directory)
    }

    public static func write(_ record: RunRecord, to directory: String) async throws -> Paths {
        async let junit = JUnitWriter.write(record, to: directory)
        async let html = HTMLReport.write(record, to: directory)
        async let json = RunRecord.write(record, to: directory)
        return try await Paths(junit: junit, html: html, json: json)
    }
}
