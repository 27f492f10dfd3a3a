import Foundation
import Testing
@testable import VCSConfig

/// Configurations published by people outside haywire (Corpus/real, each
/// with its repository, path and commit in PROVENANCE.md): every one loads,
/// with warnings at most. A types file is loaded through a main.cf that
/// includes it; a fragment (groups without their cluster) through one that
/// gives it the cluster and the systems its SystemLists name.
@Suite struct RealCorpusTests {
    static let folder = CorpusTests.corpus.appendingPathComponent("real")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".cf") }.sorted()
    }

    @Test func theCorpusHoldsWhatTheIssueAsks() throws {
        #expect(Self.files.count >= 10)
        let provenance = try String(contentsOf: Self.folder.appendingPathComponent("PROVENANCE.md"), encoding: .utf8)
        for file in Self.files { #expect(provenance.contains("`\(file)`"), "\(file) has no provenance") }
    }

    @Test(arguments: files)
    func everyRealFileLoads(_ name: String) throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let path: String
        if lines.contains(where: { $0.hasPrefix("cluster ") }) {
            path = Self.folder.appendingPathComponent(name).path
        } else {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-real-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let systems = Self.systems(in: text)
            let wrapper = "cluster wrapper ( )\n" + systems.map { "system \($0) ( )\n" }.joined() + "include \"\(name)\"\n"
            path = dir.appendingPathComponent("main.cf").path
            try wrapper.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let config = try ConfigLoader.load(path: path)
        #expect(!config.name.isEmpty)
    }

    /// The systems `SystemList = { a = 0, b = 1 }` names, in order.
    static func systems(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "SystemList"), let open = rest[start.upperBound...].firstIndex(of: "{"),
              let close = rest[open...].firstIndex(of: "}") {
            for entry in rest[rest.index(after: open)..<close].split(separator: ",") {
                let name = entry.split(separator: "=").first?.trimmingCharacters(in: .whitespaces) ?? ""
                if !name.isEmpty, !names.contains(name) { names.append(name) }
            }
            rest = rest[close...]
        }
        return names
    }
}
