import ArgumentParser
import Foundation
import Haywire
import VCSConfig

@main
struct HaywireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haywire",
        abstract: "Break a high-availability cluster on purpose and check that it recovers within its SLAs.",
        discussion: "Exit codes: 0 all passed, 1 a scenario failed, 2 invalid input, 3 harness or lab error, 130 interrupted (after healing).",
        version: HaywireVersion.current,
        subcommands: [RunCommand.self, ValidateCommand.self, PlanCommand.self, DoctorCommand.self, ReplayCommand.self, MergeCommand.self, ReportCommand.self,
                      RestoreCommand.self, StatusCommand.self, CompareCommand.self, TrendCommand.self, CoverageCommand.self, FaultsCommand.self, CompletionsCommand.self, BenchCommand.self])

    /// Maps every way out to haywire's exit codes; usage errors are invalid input.
    static func main() async {
        // A write to a pipe whose reader died (a child command killed by the
        // same Ctrl-C, a closed `| head`) must fail with EPIPE, not kill
        // haywire in the middle of a heal.
        signal(SIGPIPE, SIG_IGN)
        Redaction.learnEnvironment()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as HaywireExit {
            Foundation.exit(exit.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            printError(fullMessage(for: error))
            Foundation.exit(HaywireExit.invalidInput.code)
        }
    }
}

/// haywire's exit codes.
struct HaywireExit: Error {
    let code: Int32

    static let passed = HaywireExit(code: 0)
    static let scenarioFailed = HaywireExit(code: 1)
    static let invalidInput = HaywireExit(code: 2)
    static let harnessError = HaywireExit(code: 3)
    static let interrupted = HaywireExit(code: 130)
}

/// Loads a main.cf, first learning the secrets of it and of what it includes.
func loadConfig(_ path: String, strict: Bool = false) throws(ConfigError) -> ClusterConfig {
    if let text = try? String(contentsOfFile: path, encoding: .utf8) { Redaction.learn(configText: text) }
    var files: [String] = []
    defer {
        for file in files { if let text = try? String(contentsOfFile: file, encoding: .utf8) { Redaction.learn(configText: text) } }
    }
    return try ConfigLoader.load(path: path, files: &files, strict: strict)
}

/// Writes a line to stdout at once, so a CI log shows progress as it happens.
func say(_ line: String) { writeLine(line, to: STDOUT_FILENO) }

func printError(_ line: String) { writeLine(line, to: STDERR_FILENO) }

private func writeLine(_ line: String, to fd: Int32) { writeAll(line + "\n", to: fd) }

/// write(2) until done: FileHandle.write traps when a signal interrupts it.
/// Every line haywire prints goes through here, with known secrets masked.
func writeAll(_ text: String, to fd: Int32) {
    var bytes = Array(Redaction.scrub(text).utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        bytes = bytes.dropFirst(written)
    }
}
