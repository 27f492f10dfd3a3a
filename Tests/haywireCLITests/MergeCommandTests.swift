import Foundation
import Testing

@Suite struct MergeCommandTests {
    private func record(_ folder: URL, _ suite: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("\(suite).run.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func shardsMergeIntoTheWholeRun() async throws {
        let root = try CLI.temporaryFolder()
        var records: [String] = []
        for shard in 1...3 {
            let folder = root.appendingPathComponent("shard\(shard)")
            let run = try await CLI.run(["run", "Suites/pm-pm-timelines.yaml", "--shard", "\(shard)/3", "--seed", "8", "--reports", folder.path])
            #expect(run.status == 0)
            records += (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?
                .filter { $0.hasSuffix(".run.json") }.map { folder.appendingPathComponent($0).path } ?? []
        }
        #expect(records.count >= 2)
        let merged = root.appendingPathComponent("merged")
        let merge = try await CLI.run(["merge"] + records + ["--reports", merged.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        let whole = root.appendingPathComponent("whole")
        _ = try await CLI.run(["run", "Suites/pm-pm-timelines.yaml", "--seed", "8", "--reports", whole.path])
        let (a, b) = (try record(merged, "pm-pm-timelines"), try record(whole, "pm-pm-timelines"))
        #expect(NSDictionary(dictionary: ["s": a["scenarios"]!]).isEqual(to: ["s": b["scenarios"]!]))
        let junit = try String(contentsOf: merged.appendingPathComponent("pm-pm-timelines.junit.xml"), encoding: .utf8)
        #expect(junit.contains("tests=\"26\" failures=\"0\" errors=\"0\""))
        #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent("pm-pm-timelines.html").path))
    }

    @Test func shardsWithDifferentSeedsDoNotMerge() async throws {
        let root = try CLI.temporaryFolder()
        for (shard, seed) in [(1, "1"), (2, "2")] {
            _ = try await CLI.run(["run", "Suites/pm-pm.yaml", "--shard", "\(shard)/2", "--seed", seed, "--reports", root.appendingPathComponent("\(shard)").path])
        }
        let paths = [1, 2].map { root.appendingPathComponent("\($0)/pm-pm-guest-availability.run.json").path }
        let merge = try await CLI.run(["merge"] + paths + ["--reports", root.appendingPathComponent("m").path])
        #expect(merge.status == 2)
        #expect(merge.stderr.contains("run every shard with the same --seed"))
    }

    /// Every shard writes its record, an empty one too; merge names a
    /// missing shard and what it held, and refuses a shard given twice.
    @Test func aMissingShardIsNamedWithItsScenarios() async throws {
        let root = try CLI.temporaryFolder()
        var outputs: [String] = []
        for shard in 1...6 {
            let run = try await CLI.run(["run", "Suites/pm-pm.yaml", "--shard", "\(shard)/6", "--seed", "5", "--reports", root.appendingPathComponent("\(shard)").path])
            #expect(run.status == 0)
            outputs.append(run.stdout)
        }
        let path = { (shard: Int) in root.appendingPathComponent("\(shard)/pm-pm-guest-availability.run.json").path }
        #expect((1...6).allSatisfy { FileManager.default.fileExists(atPath: path($0)) })
        #expect(outputs[0].contains("no scenario falls in shard 1/6"))
        let all = try await CLI.run(["merge"] + (1...6).map(path) + ["--reports", root.appendingPathComponent("all").path])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.hasPrefix("pm-pm-guest-availability: 4 scenarios from 6 shards"))
        let partial = try await CLI.run(["merge"] + [1, 2, 4, 5, 6].map(path) + ["--reports", root.appendingPathComponent("p").path])
        #expect(partial.status == 2)
        #expect(partial.stderr == "suite pm-pm-guest-availability: missing shard 3/6: 'guest power loss fails over to the next host' (--allow-partial merges what is there and reports them skipped)\n")
        // Asked for, the merge keeps the missing scenario as skipped, in its place.
        let allowed = try await CLI.run(["merge", "--allow-partial"] + [1, 2, 4, 5, 6].map(path) + ["--reports", root.appendingPathComponent("a").path])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.hasPrefix("pm-pm-guest-availability: 4 scenarios (1 skipped: their shards are missing) from 5 shards"), "\(allowed.stdout)")
        let junit = try String(contentsOf: root.appendingPathComponent("a/pm-pm-guest-availability.junit.xml"), encoding: .utf8)
        #expect(junit.contains("skipped=\"1\""))
        #expect(junit.contains("name=\"guest power loss fails over to the next host\" time=\"0.000\">"))
        #expect(junit.contains("<skipped message=\"shard 3/6 missing\"/>"))
        let html = try String(contentsOf: root.appendingPathComponent("a/pm-pm-guest-availability.html"), encoding: .utf8)
        #expect(html.contains("3 passed</span>") && html.contains("1 skipped</span>"))
        let twice = try await CLI.run(["merge"] + [1, 2, 2, 3, 4, 5, 6].map(path) + ["--reports", root.appendingPathComponent("t").path])
        #expect(twice.status == 2)
        #expect(twice.stderr == "suite pm-pm-guest-availability: shard 2/6 is given more than once\n")
    }

    @Test func aMissingOrBrokenRecordIsOneLine() async throws {
        let folder = try CLI.temporaryFolder()
        let missing = try await CLI.run(["merge", folder.appendingPathComponent("gone.run.json").path])
        #expect(missing.status == 2)
        #expect(missing.stderr == "\(folder.appendingPathComponent("gone.run.json").path): no such file\n")
        let broken = folder.appendingPathComponent("broken.run.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "not json".write(to: broken, atomically: true, encoding: .utf8)
        let bad = try await CLI.run(["merge", broken.path])
        #expect(bad.status == 2)
        #expect(bad.stderr == "\(broken.path): not a haywire run record (not JSON)\n")
    }

    /// Refused before anything runs, not at merge time after every shard ran.
    @Test func aShardWithoutASeedIsRefusedAtStart() async throws {
        let run = try await CLI.run(["run", "Suites/pm-pm.yaml", "--shard", "1/2"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("--shard 1/2 needs --seed, the same on every shard (e.g. --seed "), "\(run.stderr)")
        #expect(!run.stdout.contains("PASS"))
    }

    @Test func aBadShardIsInvalidInput() async throws {
        let run = try await CLI.run(["run", "Suites/pm-pm.yaml", "--shard", "4/3"])
        #expect(run.status == 2)
        #expect(run.stderr == "--shard 4/3: expected I/N with 1 <= I <= N, e.g. 2/4\n")
    }
}
