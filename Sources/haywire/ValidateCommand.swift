import ArgumentParser
import Haywire
import VCSConfig

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check suites (.yaml) and main.cf files without running anything.")

    @Argument(help: "Suite files (.yaml, .yml) and main.cf files.")
    var files: [String]

    func run() throws {
        var invalid = false
        for file in files {
            do {
                if file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                    let suite = try SuiteLoader.load(path: file)
                    suite.cluster.config.warnings.forEach { printError($0.description) }
                    say("ok   \(file): suite \(suite.name), \(suite.scenarios.count) scenarios, cluster \(suite.cluster.config.name)")
                } else {
                    let config = try loadConfig(file)
                    config.warnings.forEach { printError($0.description) }
                    say("ok   \(file): cluster \(config.name), \(config.systems.count) systems, \(config.groups.count) groups")
                }
            } catch {
                printError(error.description)
                invalid = true
            }
        }
        if invalid { throw HaywireExit.invalidInput }
    }
}
