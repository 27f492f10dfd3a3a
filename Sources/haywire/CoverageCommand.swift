import ArgumentParser
import Haywire

struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Show which group met which fault kind, on which system, in run records: what ran, passed, failed or never ran.")

    @Argument(help: "Run records (*.run.json) or folders of them.")
    var paths: [String]

    func run() throws {
        print(Coverage(try readRecords(paths)).text(), terminator: "")
    }
}
