import Foundation
import Testing
import VCSConfig
@testable import Haywire

/// Malformed suites (Corpus/*.yaml), each headed `# expect: LINE:COLUMN:
/// reason`: each must give exactly that one error.
@Suite struct SuiteCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus").path

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func theCorpusCoversTheKindsOfMistake() {
        #expect(Self.files.count >= 20)
        for kind in ["unknown-fault", "unknown-host", "negative-duration", "wrong-type", "duplicate-name", "sla-before-fault", "anchor-bomb"] {
            #expect(Self.files.contains("\(kind).yaml"), "\(kind)")
        }
    }

    @Test(arguments: files) func eachGivesItsOneError(_ file: String) throws {
        let path = "\(Self.folder)/\(file)"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expected = try #require(text.split(separator: "\n").first?.split(separator: "# expect: ", maxSplits: 1).last.map(String.init))
        do {
            _ = try SuiteLoader.load(path: path)
            Issue.record("\(file) loaded")
        } catch {
            #expect("\(error.location.line):\(error.location.column): \(error.reason)" == expected)
        }
    }
}
