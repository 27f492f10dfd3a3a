import ArgumentParser
import Foundation
import Haywire
import VCSConfig

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Derive a qualification suite from a main.cf (faults per failover group, SLAs from its timing attributes) or from a Pacemaker CIB (outcomes from crm_simulate).")

    @Argument(help: "The main.cf, or the CIB (cibadmin -Q, pcs cluster cib), to plan for.")
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

    @Option(name: .customLong("lab-from"), help: "CIB plans: take the lab section (hosts, shells, guests), its defaults and its alert log from this suite.")
    var labFrom: String?

    @Option(help: "CIB plans: the cluster's corosync.conf, for its token and consensus (default: corosync's 3 s token).")
    var corosync: String?

    func run() async throws {
        if let text = try? String(contentsOfFile: mainCf, encoding: .utf8),
           text.contains("<cib") || text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<") {
            try await planCIB(text)
            return
        }
        if labFrom != nil || corosync != nil {
            printError("--lab-from and --corosync are for a Pacemaker CIB; \(mainCf) is not one")
            throw HaywireExit.invalidInput
        }
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
        try write(planner.suite())
    }

    private func write(_ suite: String) throws {
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

    /// A Pacemaker suite whose outcomes are crm_simulate's on the CIB.
    private func planCIB(_ text: String) async throws {
        var planner: CIBPlanner
        do { planner = try CIBPlanner(cib: text, source: mainCf) } catch {
            printError("\(error)")
            throw HaywireExit.invalidInput
        }
        if let faults {
            var kinds: Set<FaultKind> = []
            for word in faults.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let kind = FaultKind(known: word), planner.faults.contains(kind) else {
                    printError("--faults: a CIB plan makes kill-host, link-down, kill-process, kill-guest and unmount, not '\(word)'")
                    throw HaywireExit.invalidInput
                }
                kinds.insert(kind)
            }
            planner.faults = kinds
        }
        if let corosync {
            guard let conf = try? String(contentsOfFile: corosync, encoding: .utf8) else {
                printError("--corosync: \(corosync): no such file")
                throw HaywireExit.invalidInput
            }
            planner.timings = CIBPlanner.timings(corosync: conf)
        }
        if let labFrom {
            let (section, suite) = try labSection(of: labFrom)
            planner.lab = section
            planner.labGuests = Set(suite.lab.guests.map(\.name))
            planner.alerts = suite.cluster.alerts
        }
        let planned: (text: String, scenarios: Int)
        do { planned = try await planner.suite() } catch {
            printError("\(mainCf): \(error)")
            throw HaywireExit.harnessError
        }
        guard planned.scenarios > 0 else {
            let reasons = planned.text.split(separator: "\n").filter { $0.hasPrefix("# ") && $0.contains("not planned") }
            printError("\(mainCf): nothing to plan:\n" + reasons.map { "  " + $0.dropFirst(2) }.joined(separator: "\n"))
            throw HaywireExit.invalidInput
        }
        try write(planned.text)
    }

    /// The `lab:` section of a suite, as written. Its commands run in that
    /// suite's folder, so a lab with relative ones must be written beside it.
    private func labSection(of path: String) throws -> (lines: [String], suite: Suite) {
        let suite: Suite
        do { suite = try SuiteLoader.load(path: path) } catch {
            printError("--lab-from: \(error.description)")
            throw HaywireExit.invalidInput
        }
        let commands = suite.lab.hosts.flatMap { [$0.powerOff, $0.powerOn] } + suite.lab.guests.map(\.ready)
        let relative = commands.compactMap { $0 }.contains { !$0.hasPrefix("/") }
        let here = URL(fileURLWithPath: Paths.folder(of: path).isEmpty ? "." : Paths.folder(of: path)).standardizedFileURL.path
        let there = URL(fileURLWithPath: out.map { Paths.folder(of: $0).isEmpty ? "." : Paths.folder(of: $0) } ?? ".").standardizedFileURL.path
        if relative && here != there {
            printError("--lab-from: \(path)'s lab runs commands relative to \(here); write the plan there (--out \(here)/NAME.yaml)")
            throw HaywireExit.invalidInput
        }
        let lines = (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) ?? []
        guard lines.contains(where: { $0.hasPrefix("lab:") }) else {
            printError("--lab-from: \(path) has no lab section")
            throw HaywireExit.invalidInput
        }
        // The lab's own timings (`defaults:`, e.g. steady-within) come with it.
        let section = ["lab:", "defaults:"].flatMap { key -> [String] in
            guard let start = lines.firstIndex(where: { $0.hasPrefix(key) }) else { return [] }
            let end = lines[(start + 1)...].firstIndex { !$0.isEmpty && !$0.hasPrefix(" ") && !$0.hasPrefix("#") } ?? lines.count
            return lines[start..<end].reversed().drop { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.hasPrefix("#") }.reversed()
        }
        return (section, suite)
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
