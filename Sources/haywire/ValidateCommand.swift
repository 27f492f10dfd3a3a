import ArgumentParser
import Haywire
import VCSConfig

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check suites (.yaml) and main.cf files without running anything.")

    @Argument(help: "Suite files (.yaml, .yml) and main.cf files.")
    var files: [String]

    @Flag(help: "Refuse what haywire would otherwise guess: a resource type nothing defines, a missing types file.")
    var strict = false

    func run() throws {
        var invalid = false
        for file in files {
            do {
                if file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                    let suite = try SuiteLoader.load(path: file, strict: strict)
                    suite.cluster.config.warnings.forEach { printError($0.description) }
                    say("ok   \(file): suite \(suite.name), \(counted(suite.scenarios.count, "scenario")), cluster \(suite.cluster.config.name)")
                } else {
                    let config = try loadConfig(file, strict: strict)
                    config.warnings.forEach { printError($0.description) }
                    say("ok   \(file): cluster \(config.name), \(counted(config.systems.count, "system")), \(counted(config.groups.count, "group"))")
                }
            } catch {
                printError(error.description)
                invalid = true
            }
        }
        if invalid { throw HaywireExit.invalidInput }
    }

    /// `1 group`, `2 groups`.
    private func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}
