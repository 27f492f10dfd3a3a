import ArgumentParser
import Foundation
import Haywire
import VCSConfig

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Derive a qualification suite from a main.cf: faults per failover group, SLAs from its timing attributes.")

    @Argument(help: "The main.cf to plan for.")
    var mainCf: String

    @Option(help: "Fault kinds to plan, comma-separated (default: kill-guest,kill-host,link-down,unmount,kill-process).")
    var faults: String?

    @Flag(help: "Refuse what haywire would otherwise guess: a resource type nothing defines, a missing types file.")
    var strict = false

    @Option(help: "Write the suite here instead of to stdout.")
    var out: String?

    @Option(name: .customLong("guest-config"),
            help: "ADDRESS=FILE: the main.cf of the cluster a RemoteGroup reaches at ADDRESS (its IpAddress), simulated inside the guest (repeatable).")
    var guestConfigs: [String] = []

    func run() throws {
        let config: ClusterConfig
        do {
            config = try loadConfig(mainCf, strict: strict)
        } catch {
            printError(error.description)
            throw HaywireExit.invalidInput
        }
        config.warnings.forEach { printError($0.description) }
        var planner = Planner(config: config, configReference: reference(to: mainCf, from: out))
        var given: [String: String] = [:]
        for entry in guestConfigs {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                printError("--guest-config: '\(entry)' is not ADDRESS=FILE")
                throw HaywireExit.invalidInput
            }
            do { _ = try loadConfig(parts[1], strict: strict) } catch {
                printError(error.description)
                throw HaywireExit.invalidInput
            }
            given[parts[0]] = reference(to: parts[1], from: out)
        }
        do { planner.guestClusters = try planner.guestClusters(configs: given) } catch {
            printError("\(mainCf): \(error)")
            throw HaywireExit.invalidInput
        }
        if let faults {
            var kinds: Set<FaultKind> = []
            for word in faults.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let kind = FaultKind(known: word) else {
                    printError("--faults: unknown fault kind '\(word)' (known: \(FaultKind.builtIn.map(\.rawValue).joined(separator: ", ")))")
                    throw HaywireExit.invalidInput
                }
                kinds.insert(kind)
            }
            planner.faults = kinds
        }
        guard planner.scenarioCount > 0 else {
            // Why, group by group: the comments the plan would hold.
            let reasons = planner.suite().split(separator: "\n").filter { $0.hasPrefix("  # ") }.map { "  " + $0.dropFirst(4) }
            printError("\(mainCf): nothing to plan:\n" + (reasons.isEmpty ? "  the cluster has no group" : reasons.joined(separator: "\n")))
            throw HaywireExit.invalidInput
        }
        let suite = planner.suite()
        guard let out else {
            say(suite.hasSuffix("\n") ? String(suite.dropLast()) : suite)
            return
        }
        do {
            let folder = Paths.folder(of: out)
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try suite.write(toFile: out, atomically: true, encoding: .utf8)
        } catch {
            printError("cannot write \(out): \(error.localizedDescription)")
            throw HaywireExit.harnessError
        }
        say("wrote \(out)")
    }

    /// The main.cf as seen from the folder of the suite being written.
    private func reference(to target: String, from suite: String?) -> String {
        let targetURL = URL(fileURLWithPath: target).standardizedFileURL
        guard let suite else { return targetURL.path }
        let base = URL(fileURLWithPath: suite).standardizedFileURL.deletingLastPathComponent().pathComponents
        let parts = targetURL.pathComponents
        var common = 0
        while common < min(base.count, parts.count), base[common] == parts[common] { common += 1 }
        return (Array(repeating: "..", count: base.count - common) + parts[common...]).joined(separator: "/")
    }
}
