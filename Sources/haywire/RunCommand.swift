import ArgumentParser
import Foundation
import Haywire
import VCSConfig

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites and write <reports>/<suite>.junit.xml for each.")

    @Argument(help: "Suite files to run.")
    var suites: [String]

    @Option(help: "Where to write reports.")
    var reports: String = "Reports"

    @Option(help: "The seed of what the run draws (recorded in each report); the same seed repeats a run.")
    var seed: UInt64?

    @Option(help: "Run only the scenarios with this name or tag (repeatable).")
    var only: [String] = []

    @Option(help: "Leave out the scenarios with this name or tag (repeatable).")
    var skip: [String] = []

    @Option(help: "The journal of faults made on real labs and not yet healed (default: <reports>/haywire.journal).")
    var journal: String?

    @Flag(help: "Heal what an earlier run's journal lists before running.")
    var restoreFirst = false

    @Flag(help: "Refuse what haywire would otherwise guess: a resource type nothing defines, a missing types file.")
    var strict = false

    @Flag(help: "Resolve every fault and print what it would do, changing nothing.")
    var dryRun = false

    @Option(help: "Run shard I of N (e.g. 2/4): a stable share of the scenarios, for CI agents running in parallel; haywire merge combines their reports.")
    var shard: String?

    func run() async throws {
        // Every suite must load before any scenario runs.
        var loaded: [Suite] = []
        var invalid = false
        for file in suites {
            do {
                loaded.append(try SuiteLoader.load(path: file, strict: strict))
            } catch {
                printError(error.description)
                invalid = true
            }
        }
        // Reports are named after the suite: two of one name would overwrite each other's.
        for (name, files) in Dictionary(grouping: loaded, by: \.name) where files.count > 1 {
            printError("suite name '\(name)' is used by \(files.map(\.file).joined(separator: " and ")): their reports would overwrite each other; rename one")
            invalid = true
        }
        if !dryRun, let problem = Self.unwritable(reports) {
            printError("--reports \(reports): \(problem)")
            invalid = true
        }
        if invalid { throw HaywireExit.invalidInput }
        if let shard {
            let parts = shard.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
                printError("--shard \(shard): expected I/N with 1 <= I <= N, e.g. 2/4")
                throw HaywireExit.invalidInput
            }
            // Shards merge into one run only if they draw from one seed.
            guard seed != nil else {
                printError("--shard \(shard) needs --seed, the same on every shard (e.g. --seed \(UInt64.random(in: 1...UInt64(Int64.max)))): merge refuses shards of different seeds")
                throw HaywireExit.invalidInput
            }
            loaded = loaded.map { $0.shard(parts[0], of: parts[1]) }
            // An empty shard still writes its reports: merge then knows it ran.
            for suite in loaded where suite.scenarios.isEmpty { say("suite \(suite.name): no scenario falls in shard \(shard)") }
        }
        if !only.isEmpty || !skip.isEmpty {
            loaded = loaded.map { $0.selecting(only: only, skip: skip) }
            guard loaded.contains(where: { !$0.scenarios.isEmpty }) else {
                printError("no scenario matches" + (only.isEmpty ? "" : " --only \(only.joined(separator: ", "))")
                           + (skip.isEmpty ? "" : " once --skip \(skip.joined(separator: ", ")) is applied"))
                throw HaywireExit.invalidInput
            }
            loaded = loaded.filter { !$0.scenarios.isEmpty }
        }

        if dryRun {
            var problems = 0
            for suite in loaded {
                say("suite \(suite.name) (\(suite.file), \(suite.cluster.manager.rawValue)): dry run, nothing is changed")
                let outcome = await Runner(factory: Runner.factory(for: suite, seed: seed ?? 0), seed: seed ?? 0).dryRun(suite)
                outcome.lines.forEach { say("  \($0)") }
                problems += outcome.problems
            }
            if problems > 0 {
                printError("the dry run found \(problems) problem\(problems == 1 ? "" : "s"): the run would refuse \(problems == 1 ? "it" : "them")")
                throw HaywireExit.harnessError
            }
            return
        }
        let journalPath = journal ?? (reports as NSString).appendingPathComponent("haywire.journal")
        try await checkJournal(journalPath)

        var warned: Set<String> = []
        for warning in loaded.flatMap(\.cluster.config.warnings) where warned.insert(warning.description).inserted {
            printError(warning.description)
        }
        let interrupts = Interrupts()
        let work = Task { try await runAll(loaded, interrupts: interrupts, journal: Journal(path: journalPath)) }
        interrupts.install { work.cancel() }
        try await work.value
    }

    /// Why reports cannot be written to `folder`, checked before anything runs; nil when they can.
    static func unwritable(_ folder: String) -> String? {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { return "is a file, not a folder" }
            return FileManager.default.isWritableFile(atPath: folder) ? nil : "is not writable"
        }
        // It will be made: its nearest existing parent must be a writable folder.
        // (NSString's deletingLastPathComponent traps on a one-letter name.)
        var parent = URL(fileURLWithPath: folder).standardizedFileURL.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: parent.path, isDirectory: &isFolder) {
            let up = parent.deletingLastPathComponent()
            if up.path == parent.path { return nil }
            parent = up
        }
        guard isFolder.boolValue else { return "\(parent.path) is a file, not a folder" }
        return FileManager.default.isWritableFile(atPath: parent.path) ? nil : "cannot be made: \(parent.path) is not writable"
    }

    /// A journal that still lists faults means a run died before healing
    /// them: heal first (--restore-first), or refuse to break more.
    private func checkJournal(_ path: String) async throws {
        let pending: [Journal.Entry]
        do { pending = try Journal(path: path).outstanding() } catch {
            printError("\(path): \(error)")
            throw HaywireExit.harnessError
        }
        guard !pending.isEmpty else { return }
        guard restoreFirst else {
            printError("\(path) lists \(pending.count) faults an earlier run made and did not heal: "
                       + "run haywire restore --journal \(path), or pass --restore-first")
            throw HaywireExit.harnessError
        }
        say("\(path): healing \(pending.count) faults an earlier run left")
        try await healJournal(path, unhealed: "not running over a broken lab")
    }

    private func runAll(_ loaded: [Suite], interrupts: Interrupts, journal: Journal) async throws {
        let seed = self.seed ?? UInt64.random(in: 1...UInt64(Int64.max))
        say("seed \(seed) (repeat this run with --seed \(seed))")
        var failed = 0, errors = 0, passed = 0
        var unhappy: [String] = []
        let display = ProgressDisplay()
        for suite in loaded where !Task.isCancelled {
            say("suite \(suite.name) (\(suite.file), \(suite.cluster.manager.rawValue), \(suite.scenarios.count) scenarios)")
            let clock = ContinuousClock()
            let started = clock.now
            var runner = Runner(factory: Runner.factory(for: suite, seed: seed), seed: seed)
            // A simulated fault dies with the process; a real one is journalled.
            if suite.cluster.manager != .simulated { runner.journal = journal }
            display.start(suite: suite.name, scenarios: suite.resultCount)
            runner.progress = { [display] in display.update($0) }
            let result = await runner.run(suite) { display.finished($0, line: Self.line(for: $0)) }
            display.end()
            let wall = clock.now - started
            passed += result.scenarios.count - result.failures - result.errors
            failed += result.failures
            errors += result.errors
            unhappy += result.scenarios.filter { $0.verdict == .failed || $0.verdict == .error }
                .map { "\(suite.name): \(Self.line(for: $0).trimmingCharacters(in: .whitespaces))" }
            if interrupts.count > 1 { continue }
            do {
                let paths = try await ReportFiles.write(result, to: reports)
                say("  JUnit: \(paths.junit) (wall \(String(format: "%.3f", Double(wall.components.attoseconds) / 1e18 + Double(wall.components.seconds)))s, cluster time \(formatDuration(result.duration)))")
                say("  HTML: \(paths.html)")
                say("  run record: \(paths.json) (haywire replay it)")
            } catch {
                printError("cannot write the reports to \(reports): \(error.localizedDescription)")
                throw HaywireExit.harnessError
            }
        }
        // A long run's failures, together at its end (at most a page).
        if !unhappy.isEmpty, loaded.map(\.resultCount).reduce(0, +) > 1 {
            say("failures and errors:")
            // One line each: a split brain's list of audits runs to kilobytes.
            for line in unhappy.prefix(Self.summaryLines) { say("  " + (line.count > 300 ? line.prefix(299) + "…" : line)) }
            if unhappy.count > Self.summaryLines { say("  ... and \(unhappy.count - Self.summaryLines) more (the JUnit and HTML have them all)") }
        }
        say("\(passed) passed, \(failed) failed, \(errors) errors")
        if interrupts.count > 0 { throw HaywireExit.interrupted }
        if errors > 0 { throw HaywireExit.harnessError }
        if failed > 0 { throw HaywireExit.scenarioFailed }
    }

    /// How many failures the end-of-run summary lists.
    static let summaryLines = 40

    static func line(for result: ScenarioResult) -> String {
        let label = switch result.verdict {
        case .passed: "PASS "
        case .failed: "FAIL "
        case .error: "ERROR"
        case .skipped: "SKIP "
        }
        let detail = switch result.verdict {
        case .passed where result.expectations.isEmpty: result.timeline.map(\.text).joined(separator: "; ")
        case .passed: result.expectations.map(\.message).joined(separator: "; ")
        case .failed, .error, .skipped: result.message
        }
        var line = "  \(label) \(result.name): \(detail)"
        if !result.healErrors.isEmpty { line += " [\(result.healErrors.joined(separator: "; "))]" }
        return line
    }
}
