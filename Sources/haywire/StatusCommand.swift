import ArgumentParser
import Foundation
import Haywire

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print the cluster as haywire sees it: a suite's lab, or a captured hastatus -sum, hagrp -state or crm_mon XML.")

    @Argument(help: "A suite: its cluster is read as a run would read it (a simulated one once it has started).")
    var suite: String?

    @Option(help: "Read this captured status output instead of a live cluster.")
    var from: String?

    @Option(help: "Who printed --from: vcs (hastatus -sum, hastatus -summary, hagrp -state, hasys -state) or pacemaker (crm_mon --output-as=xml).")
    var manager: String = "vcs"

    @Flag(help: "Print JSON: {\"manager\", \"systems\": {name: state}, \"groups\": {group: {system: state}}}.")
    var json = false

    func run() async throws {
        let status: ClusterStatus
        switch (suite, from) {
        case (nil, let path?):
            guard let kind = ClusterManager(rawValue: manager), kind != .simulated else {
                printError("--manager: '\(manager)' is not vcs or pacemaker")
                throw HaywireExit.invalidInput
            }
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                printError("\(path): \(FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")")
                throw HaywireExit.invalidInput
            }
            do { status = try ClusterStatus(capture: text, manager: kind) } catch {
                printError("\(path): \(error)")
                throw HaywireExit.invalidInput
            }
        case (let file?, nil):
            let loaded: Suite
            do { loaded = try SuiteLoader.load(path: file) } catch {
                printError(error.description)
                throw HaywireExit.invalidInput
            }
            do { status = try await Runner(factory: Runner.factory(for: loaded)).status(of: loaded) } catch {
                printError("cannot read the cluster of \(file): \(error)")
                throw HaywireExit.harnessError
            }
        default:
            printError("give a suite, or --from FILE (with --manager vcs|pacemaker), not both")
            throw HaywireExit.invalidInput
        }
        if json { say(status.json) } else { status.lines.forEach(say) }
    }
}
