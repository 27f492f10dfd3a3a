import Foundation
import Testing

@Suite struct ValidateCommandTests {
    @Test func shippedSuitesAndConfigsAreValid() async throws {
        let output = try await CLI.run(["validate", "Suites/pm-pm.yaml", "Suites/sla-too-short.yaml", "Suites/configs/pm-pm.main.cf"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("ok   Suites/pm-pm.yaml: suite pm-pm-guest-availability, 4 scenarios, cluster labclus"))
        #expect(output.stdout.contains("ok   Suites/configs/pm-pm.main.cf: cluster labclus, 2 systems, 1 group"))
    }

    /// One line per mistake, each with its place; the corpus's
    /// one-sided partition also lacks a `within`, and both are reported.
    @Test func eachMalformedSuiteSaysWhereEachMistakeIsAndExitsTwo() async throws {
        let corpus = CLI.packageRoot.appendingPathComponent("Tests/HaywireTests/Suite/Corpus")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 20)
        for file in files {
            let output = try await CLI.run(["validate", file], in: corpus)
            let errors = output.stderr.split(separator: "\n").filter { !$0.contains(": warning: ") }
            #expect(output.status == 2, "\(file)")
            #expect(!errors.isEmpty && errors.allSatisfy { $0.hasPrefix("\(file):") && $0.contains(": error: ") }, "\(file): \(output.stderr)")
            #expect(errors.count == (file == "one-sided-partition.yaml" ? 2 : 1), "\(file): \(output.stderr)")
            #expect(!output.stderr.contains("Fatal error") && !output.stderr.contains("Stack"), "\(file)")
        }
    }

    /// The seed's sample starts nothing by itself: validate says so. An
    /// unknown type is loaded with a warning, and --strict refuses it.
    @Test func whatHaywireGuessesIsAWarningAndStrictRefusesIt() async throws {
        let seed = try await CLI.run(["validate", "Tests/HaywireTests/Fixtures/seed/pm-pm.main.cf"])
        #expect(seed.status == 0)
        #expect(seed.stderr.contains("pm-pm.main.cf:12:1: warning: group 'virtgrp': no AutoStartList, so VCS starts it nowhere until an operator does"), "\(seed.stderr)")
        let dir = try CLI.temporaryFolder()
        try "cluster c ( )\nsystem a ( )\ngroup g ( SystemList = { a = 0 } AutoStartList = { a } )\n    Frobnicator f ( )\n"
            .write(to: dir.appendingPathComponent("main.cf"), atomically: true, encoding: .utf8)
        let lenient = try await CLI.run(["validate", "main.cf"], in: dir)
        #expect(lenient.status == 0)
        #expect(lenient.stderr.contains("main.cf:4:5: warning: resource 'f': unknown type 'Frobnicator'"))
        let strict = try await CLI.run(["validate", "--strict", "main.cf"], in: dir)
        #expect(strict.status == 2)
        #expect(strict.stderr.hasPrefix("main.cf:4:5: error: resource 'f': unknown type 'Frobnicator'"), "\(strict.stderr)")
    }

    @Test func aMalformedMainCfIsOneLineAndExitsTwo() async throws {
        let dir = try CLI.temporaryFolder()
        try "cluster c (\n)\nsystem a (\n    Attr value\n)\n".write(to: dir.appendingPathComponent("main.cf"), atomically: true, encoding: .utf8)
        let output = try await CLI.run(["validate", "main.cf"], in: dir)
        #expect(output.status == 2)
        #expect(output.stderr == "main.cf:4:10: error: expected '=', found 'value'\n")
    }

    @Test func everyFileIsCheckedEvenAfterAnError() async throws {
        let dir = try CLI.temporaryFolder()
        try "cluster c (".write(to: dir.appendingPathComponent("a.cf"), atomically: true, encoding: .utf8)
        try "cluster d ( )\n".write(to: dir.appendingPathComponent("b.cf"), atomically: true, encoding: .utf8)
        let output = try await CLI.run(["validate", "a.cf", "b.cf"], in: dir)
        #expect(output.status == 2)
        #expect(output.stdout == "ok   b.cf: cluster d, 0 systems, 0 groups\n")
        #expect(output.stderr.hasPrefix("a.cf:1:12: error: "))
    }
}

@Suite struct StatusCommandTests {
    @Test func aCapturedHastatusReadsBackAsHaywireSeesIt() async throws {
        let capture = "Tests/HaywireTests/Fixtures/vcs/real/linbit-drbd-utils-hastatus-sum-after-switch.txt"
        let json = try await CLI.run(["status", "--from", capture, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout == #"{"manager": "vcs", "systems": {"linbit01": "RUNNING", "linbit02": "RUNNING"}, "groups": {"DRBDGrp": {"linbit01": "ONLINE", "linbit02": "ONLINE"}, "DRBDPriGrp": {"linbit01": "OFFLINE", "linbit02": "ONLINE"}}}"# + "\n")
        let text = try await CLI.run(["status", "--from", capture])
        #expect(text.stdout.contains("group  DRBDPriGrp linbit01=OFFLINE linbit02=ONLINE\n"))
        let resources = try await CLI.run(["status", "--from", "Tests/HaywireTests/Fixtures/vcs/real/akshatapshetty24-ksp-hares-state.txt"])
        #expect(resources.status == 0)
        #expect(resources.stdout.contains("resource infa_mount node01=OFFLINE|STATE UNKNOWN node02=OFFLINE|STATE UNKNOWN\n"), "\(resources.stdout)")
        #expect(try await CLI.run(["status", "--from", "nowhere.txt"]).stderr == "nowhere.txt: no such file\n")
        let pacemaker = try await CLI.run(["status", "--manager", "pacemaker", "--from", "Tests/HaywireTests/Fixtures/pacemaker/started-on-lab1.xml"])
        #expect(pacemaker.stdout.hasPrefix("node   lab1: online\nnode   lab2: online\nnode   lab3: online\n"), "\(pacemaker.stdout)")
        #expect(pacemaker.stdout.contains("resource vmgrp lab1=ONLINE lab2=OFFLINE lab3=OFFLINE\n"), "\(pacemaker.stdout)")
    }

    @Test func aSimulatedSuitesClusterOnceStarted() async throws {
        let status = try await CLI.run(["status", "Suites/pm-pm.yaml"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout == "system hosta: RUNNING\nsystem hostb: RUNNING\ngroup  vmgrp hosta=ONLINE hostb=OFFLINE\n")
        #expect(try await CLI.run(["status"]).status == 2)
    }
}
