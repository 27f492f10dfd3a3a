import Foundation
import Testing
@testable import VCSConfig

@Suite struct DiagnosticTests {
    private func error(_ text: String) -> String? {
        do {
            _ = try ConfigLoader.parse(text: text, file: "x.cf")
            return nil
        } catch {
            return error.description
        }
    }

    /// An empty file has no token to point at: the error names the file loaded.
    @Test func anEmptyFileIsNamedAsGiven() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-empty-\(UUID().uuidString)/sub")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let path = folder.appendingPathComponent("e.cf").path
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError(SourceLocation(file: path, line: 1, column: 1), "no cluster statement")) {
            try ConfigLoader.load(path: path)
        }
        #expect(throws: ConfigError(SourceLocation(file: "empty.cf", line: 1, column: 1), "no cluster statement")) {
            try ConfigLoader.parse(text: "", file: "empty.cf")
        }
    }

    @Test func syntaxErrorsPointAtTheToken() {
        #expect(error("cluster c (\n  Attr value\n)") == "x.cf:2:8: error: expected '=', found 'value'")
        #expect(error("cluster c ( A = \"open\n )") == "x.cf:1:17: error: string is not closed before the end of the line")
        #expect(error("cluster c ( A = { x, y )") == "x.cf:1:24: error: expected a list item or '}', found ')'")
        #expect(error("cluster c ( ) /* never closed") == "x.cf:1:15: error: comment is not closed before the end of the file")
        #expect(error("cluster c (") == "x.cf:1:12: error: expected an attribute name or ')', found the end of the file")
    }

    @Test func everySyntaxErrorIsReportedNotJustTheFirst() {
        #expect(error("cluster c (\n  A value\n)\nsystem a (\n  B = { x y\n)\nsystem b ( )\ngroup g ( C )\n") == """
            x.cf:2:5: error: expected '=', found 'value'
            x.cf:6:1: error: expected a list item or '}', found ')'
            x.cf:8:13: error: expected '=', found ')'
            """)
    }

    @Test func groupDependencyCyclesAreErrors() {
        #expect(error("cluster c ( )\nsystem a ( )\ngroup g ( )\n  requires group h online local firm\ngroup h ( )\n  requires group g online local firm\n")
            == "x.cf:4:3: error: group dependency cycle: g -> h -> g")
    }

    @Test func groupDependencyNeedsAllThreeWords() {
        #expect(error("cluster c ( )\nsystem a ( )\ngroup g ( )\nrequires group h online sideways hard")
            == "x.cf:4:25: error: requires group h: expected local, global or remote, found 'sideways'")
    }

    @Test func semanticErrorsNameWhatIsWrong() {
        #expect(error("cluster c ( )\ngroup g ( SystemList = { ghost = 0 } )")
            == "x.cf:2:11: error: group 'g': SystemList names 'ghost', which no system statement defines")
        #expect(error("cluster c ( )\nsystem a ( )\ngroup g ( )\nMount m ( )\nm requires v")
            == "x.cf:5:1: error: 'm requires v': no resource 'v'")
        #expect(error("cluster c ( )\nsystem a ( )\ngroup g ( )\nMount m ( )\nMount m ( )")
            == "x.cf:5:1: error: resource 'm' is defined twice (first at x.cf:4:1)")
        #expect(error("system a ( )") == "x.cf:1:1: error: no cluster statement")
        #expect(error("cluster c ( )\nMount m ( )") == "x.cf:2:1: error: resource 'm' comes before any group")
        #expect(error("cluster c ( )\nsystem a ( )\ngroup g ( )\nMount m ( )\nVolume v ( )\nm requires v\nv requires m")
            == "x.cf:6:1: error: resource dependency cycle: m -> v -> m")
        #expect(error("cluster c ( )\nsystem a ( )\ngroup g ( )\nrequires group h online local firm")
            == "x.cf:4:1: error: group 'g' requires group 'h', which is not defined")
        #expect(error("cluster c ( )\nsystem a ( )\ngroup g ( )\nMount m ( )\ngroup h ( )\nVolume v ( )\nv requires m")
            == "x.cf:7:1: error: 'v requires m': 'm' belongs to group 'g'; a resource can only require one in its own group")
    }
}

@Suite struct LoaderTests {
    private func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-cf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    @Test func missingTypesCfFallsBackWithAWarning() throws {
        let dir = try folder(["main.cf": "include \"types.cf\"\ncluster c ( )\n"])
        let config = try ConfigLoader.load(path: "\(dir)/main.cf")
        #expect(config.warnings.map(\.description) == [
            "\(dir)/main.cf:1:1: warning: types.cf not found; using haywire's built-in definitions of the agents it knows",
        ])
    }

    @Test func includesResolveRelativeToTheIncludingFile() throws {
        let dir = try folder([
            "main.cf": "include \"systems.cf\"\ncluster c ( )\ngroup g ( SystemList = { a = 0 } )\n",
            "systems.cf": "system a ( )\n",
        ])
        let config = try ConfigLoader.load(path: "\(dir)/main.cf")
        #expect(config.systems.map(\.name) == ["a"])
        #expect(config.warnings.isEmpty)
    }

    /// A main.cf travels without its type files: a warning at the include,
    /// and under `--strict` an error there.
    @Test func aMissingIncludeIsAWarningAtTheIncludeAndStrictRefusesIt() throws {
        let dir = try folder(["main.cf": "cluster c ( )\ninclude \"other.cf\"\n"])
        let config = try ConfigLoader.load(path: "\(dir)/main.cf")
        #expect(config.warnings.map(\.description) == ["\(dir)/main.cf:2:1: warning: other.cf not found; using haywire's built-in definitions of the agents it knows"])
        #expect(throws: ConfigError(SourceLocation(file: "\(dir)/main.cf", line: 2, column: 1),
                                    "other.cf not found; using haywire's built-in definitions of the agents it knows (--strict)")) {
            try ConfigLoader.load(path: "\(dir)/main.cf", strict: true)
        }
    }

    @Test func includeCyclesAreReported() throws {
        let dir = try folder(["main.cf": "include \"a.cf\"\ncluster c ( )\n", "a.cf": "include \"main.cf\"\n"])
        #expect(throws: ConfigError(SourceLocation(file: "\(dir)/a.cf", line: 1, column: 1), "include cycle: \(dir)/main.cf includes itself")) {
            try ConfigLoader.load(path: "\(dir)/main.cf")
        }
    }

    @Test func theShippedPmPmConfigLoads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Suites/configs/pm-pm.main.cf").standardizedFileURL.path
        let config = try ConfigLoader.load(path: path)
        let group = try #require(config.group(named: "vmgrp"))
        #expect(group.systemList.map(\.system) == ["hosta", "hostb"])
        #expect(ResourceOrder.onlineOrder(of: group) == ["vmdg", "vmvol", "vmmnt", "uplink", "vm1app"])
    }
}
