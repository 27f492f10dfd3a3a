import ArgumentParser
import Foundation
import Haywire
import VCSConfig

struct CoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Show which group met which fault kind on which system: in run records, in a suite, and what the plan from a main.cf or CIB would add.",
        discussion: """
            Each path is a run record (*.run.json, *.run.json.gz) or a folder of them, a suite (*.yaml), \
            or a main.cf or CIB to plan from. With runs, the table shows what ran, passed and failed; with a suite, \
            what it aims at and never ran. The plan from the main.cf or CIB given, or from the suite's own main.cf, \
            is set beside them: what it would strike that they do not.
            """)

    @Argument(help: "Run records or folders of them, at most one suite, and at most one main.cf or CIB.")
    var paths: [String]

    func run() async throws {
        var records: [String] = [], suitePath: String?, planFrom: String?
        for path in paths {
            var folder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &folder) else {
                printError("\(path): no such file or folder")
                throw HaywireExit.invalidInput
            }
            if folder.boolValue || path.hasSuffix(".run.json") || path.hasSuffix(".run.json.gz") {
                records.append(path)
            } else if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                guard suitePath == nil else { return try refuse("give at most one suite (\(suitePath!), \(path))") }
                suitePath = path
            } else {
                guard planFrom == nil else { return try refuse("give at most one main.cf or CIB (\(planFrom!), \(path))") }
                planFrom = path
            }
        }
        let runs = records.isEmpty ? [] : try readRecords(records)
        var suite: Suite?
        if let suitePath {
            do { suite = try SuiteLoader.load(path: suitePath) } catch {
                printError(error.description)
                throw HaywireExit.invalidInput
            }
            if planFrom == nil, let config = suite?.cluster.configPath, !config.isEmpty { planFrom = config }
        }
        guard !runs.isEmpty || suite != nil || planFrom != nil else { return try refuse("nothing to show") }
        if !runs.isEmpty { print(Coverage(runs).text(), terminator: "") }
        let ran = Aims.of(runs)
        if let suite {
            let aims = Aims.of(suite)
            let never = runs.isEmpty ? aims : aims.subtracting(ran)
            let title = runs.isEmpty ? "\(suitePath!) aims at (\(aims.count)):" : "\(suitePath!) aims at and no run struck (\(never.count) of \(aims.count)):"
            print(([title] + Aims.lines(never).map { "  " + $0 }).joined(separator: "\n"))
        }
        if let planFrom {
            let planned = Aims.of(try await plannedSuite(planFrom))
            let have = ran.union(suite.map(Aims.of) ?? [])
            let added = planned.subtracting(have)
            print((["the plan from \(planFrom) would add (\(added.count) of its \(planned.count)):"] + Aims.lines(added).map { "  " + $0 })
                .joined(separator: "\n"))
        }
    }

    private func refuse(_ why: String) throws {
        printError("coverage: \(why)")
        throw HaywireExit.invalidInput
    }

    /// The suite `haywire plan` would write for `path`, loaded.
    private func plannedSuite(_ path: String) async throws -> Suite {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-coverage-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let plan: String
            if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<") {
                plan = try await CIBPlanner(cib: text, source: absolute).suite().text
            } else {
                plan = Planner(config: try loadConfig(path), configReference: absolute).suite()
            }
            let file = folder.appendingPathComponent("plan.yaml").path
            try plan.write(toFile: file, atomically: true, encoding: .utf8)
            return try SuiteLoader.load(path: file)
        } catch let error as ConfigError {
            printError(error.description)
            throw HaywireExit.invalidInput
        } catch {
            printError("\(path): cannot plan: \(error)")
            throw HaywireExit.invalidInput
        }
    }
}
