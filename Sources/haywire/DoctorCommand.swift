import ArgumentParser
import Haywire

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check a suite's lab before a run: one line per check, with the fix for each failure.")

    @Argument(help: "The suite whose lab to check.")
    var suite: String

    @Flag(help: "Mark every lab guest, on every host it is defined on, as opted in to haywire's faults.")
    var mark = false

    func run() async throws {
        let loaded: Suite
        do {
            loaded = try SuiteLoader.load(path: suite)
        } catch {
            printError(error.description)
            throw HaywireExit.invalidInput
        }
        guard loaded.cluster.manager != .simulated else {
            say("PASS  \(loaded.name) runs on the built-in simulator: there is no lab to check")
            return
        }
        if mark {
            let (lines, failures) = await Doctor(suite: loaded).mark()
            lines.forEach { say($0) }
            if failures > 0 { throw HaywireExit.harnessError }
            return
        }
        let checks = await Doctor(suite: loaded).run()
        checks.forEach { say($0.line) }
        let failed = checks.filter { !$0.passed }.count
        say("\(checks.count - failed) passed, \(failed) failed")
        if failed > 0 { throw HaywireExit.harnessError }
    }
}
