import Foundation
import Testing
@testable import VCSConfig

/// main.cf files written for these tests: valid ones must load, broken ones
/// must fail at the place their first line names (`// expect: L:C: reason`),
/// under `--strict` (an unknown type is only a warning without it).
@Suite struct CorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

    static var validFiles: [String] {
        let dir = corpus.appendingPathComponent("valid").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.sorted().compactMap { name in
            if name.hasSuffix(".cf") { return "\(dir)/\(name)" }
            let main = "\(dir)/\(name)/main.cf"
            return FileManager.default.fileExists(atPath: main) ? main : nil
        }
    }

    static var brokenFiles: [String] {
        let dir = corpus.appendingPathComponent("broken").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { "\(dir)/\($0)" }
    }

    @Test func theCorpusIsLargeEnough() {
        #expect(Self.validFiles.count >= 30)
        #expect(Self.brokenFiles.count >= 30)
    }

    @Test(arguments: validFiles)
    func validFilesLoad(_ path: String) throws {
        let config = try ConfigLoader.load(path: path)
        #expect(!config.name.isEmpty)
    }

    @Test(arguments: brokenFiles)
    func brokenFilesFailWhereTheySay(_ path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let header = try #require(text.split(separator: "\n").first).dropFirst("// expect: ".count)
        let parts = header.split(separator: ":", maxSplits: 2).map(String.init)
        let (line, column, reason) = (parts[0], parts[1], parts[2].trimmingCharacters(in: .whitespaces))
        do {
            _ = try ConfigLoader.load(path: path, strict: true)
            Issue.record("\(path) loaded")
        } catch {
            let first = error.description.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.hasPrefix("\(path):\(line):\(column): error: "), "\(first)")
            #expect(first.contains(reason), "\(first)")
            #expect(!error.description.contains("Hunter2"))
        }
    }

    @Test func theSeedTopologiesReadAsTheyShould() throws {
        let dir = Self.corpus.appendingPathComponent("valid").path
        let pmpm = try ConfigLoader.load(path: "\(dir)/01-pm-pm.cf")
        #expect(ResourceOrder.onlineOrder(of: pmpm.groups[0]) == ["vmdg", "vmvol", "vmmnt", "vmapp"])
        let host = try ConfigLoader.load(path: "\(dir)/02-pm-pm-monitoring-host.cf")
        #expect(host.group(named: "watchgrp")?.groupDependencies.first?.strength == .hard)
        let kvm = try ConfigLoader.load(path: "\(dir)/04-kvm-kvm.cf")
        #expect(kvm.group(named: "appgrp")?.autoStartList == ["guesta", "guestb"])
        let parallel = try ConfigLoader.load(path: "\(dir)/09-parallel.cf")
        #expect(parallel.groups[0].isParallel)
        let override = try ConfigLoader.load(path: "\(dir)/30-types-override/main.cf")
        let app = try #require(override.groups[0].resource(named: "app"))
        #expect(override.integer("MonitorInterval", of: app) == 15)
        let deps = try ConfigLoader.load(path: "\(dir)/08-group-deps-all.cf")
        #expect(deps.groups.flatMap(\.groupDependencies).map(\.locality.rawValue) == ["local", "local", "local", "global", "remote", "local"])
    }
}
