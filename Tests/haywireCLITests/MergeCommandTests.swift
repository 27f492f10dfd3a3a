import Foundation
import Testing

@Suite struct MergeCommandTests {
    private func record(_ folder: URL, _ suite: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("\(suite).run.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func shardsMergeIntoTheWholeRun() throws {
        let root = try CLI.temporaryFolder()
        var records: [String] = []
        for shard in 1...3 {
            let folder = root.appendingPathComponent("shard\(shard)")
            let run = try CLI.run(["run", "Suites/pm-pm-timelines.yaml", "--shard", "\(shard)/3", "--seed", "8", "--reports", folder.path])
            #expect(run.status == 0)
            records += (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?
                .filter { $0.hasSuffix(".run.json") }.map { folder.appendingPathComponent($0).path } ?? []
        }
        #expect(records.count >= 2)
        let merged = root.appendingPathComponent("merged")
        let merge = try CLI.run(["merge"] + records + ["--reports", merged.path])
        #expect(merge.status == 0, "\(merge.stderr)")
        let whole = root.appendingPathComponent("whole")
        _ = try CLI.run(["run", "Suites/pm-pm-timelines.yaml", "--seed", "8", "--reports", whole.path])
        let (a, b) = (try record(merged, "pm-pm-timelines"), try record(whole, "pm-pm-timelines"))
        #expect(NSDictionary(dictionary: ["s": a["scenarios"]!]).isEqual(to: ["s": b["scenarios"]!]))
        let junit = try String(contentsOf: merged.appendingPathComponent("pm-pm-timelines.junit.xml"), encoding: .utf8)
        #expect(junit.contains("tests=\"26\" failures=\"0\" errors=\"0\""))
        #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent("pm-pm-timelines.html").path))
    }

    @Test func shardsWithDifferentSeedsDoNotMerge() throws {
        let root = try CLI.temporaryFolder()
        for (shard, seed) in [(1, "1"), (2, "2")] {
            _ = try CLI.run(["run", "Suites/pm-pm.yaml", "--shard", "\(shard)/2", "--seed", seed, "--reports", root.appendingPathComponent("\(shard)").path])
        }
        let paths = [1, 2].map { root.appendingPathComponent("\($0)/pm-pm-guest-availability.run.json").path }
        let merge = try CLI.run(["merge"] + paths + ["--reports", root.appendingPathComponent("m").path])
        #expect(merge.status == 2)
        #expect(merge.stderr.contains("run every shard with the same --seed"))
    }

    /// Refused before anything runs, not at merge time after every shard ran.
    @Test func aShardWithoutASeedIsRefusedAtStart() throws {
        let run = try CLI.run(["run", "Suites/pm-pm.yaml", "--shard", "1/2"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("--shard 1/2 needs --seed, the same on every shard (e.g. --seed "), "\(run.stderr)")
        #expect(!run.stdout.contains("PASS"))
    }

    @Test func aBadShardIsInvalidInput() throws {
        let run = try CLI.run(["run", "Suites/pm-pm.yaml", "--shard", "4/3"])
        #expect(run.status == 2)
        #expect(run.stderr == "--shard 4/3: expected I/N with 1 <= I <= N, e.g. 2/4\n")
    }
}
