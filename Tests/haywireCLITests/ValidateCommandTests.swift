import Foundation
import Testing

@Suite struct ValidateCommandTests {
    @Test func shippedSuitesAndConfigsAreValid() throws {
        let output = try CLI.run(["validate", "Suites/pm-pm.yaml", "Suites/sla-too-short.yaml", "Suites/configs/pm-pm.main.cf"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("ok   Suites/pm-pm.yaml: suite pm-pm-guest-availability, 4 scenarios, cluster labclus"))
        #expect(output.stdout.contains("ok   Suites/configs/pm-pm.main.cf: cluster labclus, 2 systems, 1 group"))
    }

    /// One line per mistake, each with its place; the corpus's
    /// one-sided partition also lacks a `within`, and both are reported.
    @Test func eachMalformedSuiteSaysWhereEachMistakeIsAndExitsTwo() throws {
        let corpus = CLI.packageRoot.appendingPathComponent("Tests/HaywireTests/Suite/Corpus")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 20)
        for file in files {
            let output = try CLI.run(["validate", file], in: corpus)
            let errors = output.stderr.split(separator: "\n").filter { !$0.contains(": warning: ") }
            #expect(output.status == 2, "\(file)")
            #expect(!errors.isEmpty && errors.allSatisfy { $0.hasPrefix("\(file):") && $0.contains(": error: ") }, "\(file): \(output.stderr)")
            #expect(errors.count == (file == "one-sided-partition.yaml" ? 2 : 1), "\(file): \(output.stderr)")
            #expect(!output.stderr.contains("Fatal error") && !output.stderr.contains("Stack"), "\(file)")
        }
    }

    @Test func aMalformedMainCfIsOneLineAndExitsTwo() throws {
        let dir = try CLI.temporaryFolder()
        try "cluster c (\n)\nsystem a (\n    Attr value\n)\n".write(to: dir.appendingPathComponent("main.cf"), atomically: true, encoding: .utf8)
        let output = try CLI.run(["validate", "main.cf"], in: dir)
        #expect(output.status == 2)
        #expect(output.stderr == "main.cf:4:10: error: expected '=', found 'value'\n")
    }

    @Test func everyFileIsCheckedEvenAfterAnError() throws {
        let dir = try CLI.temporaryFolder()
        try "cluster c (".write(to: dir.appendingPathComponent("a.cf"), atomically: true, encoding: .utf8)
        try "cluster d ( )\n".write(to: dir.appendingPathComponent("b.cf"), atomically: true, encoding: .utf8)
        let output = try CLI.run(["validate", "a.cf", "b.cf"], in: dir)
        #expect(output.status == 2)
        #expect(output.stdout == "ok   b.cf: cluster d, 0 systems, 0 groups\n")
        #expect(output.stderr.hasPrefix("a.cf:1:12: error: "))
    }
}
