import Foundation

/// Pacemaker's own scheduler as the oracle: `crm_simulate` on a CIB with a
/// fault injected, run transition after transition until the cluster has
/// nothing left to do, and the result read as the probe reads a live
/// cluster (`crm_mon` on the simulated CIB). Where a resource goes is then
/// Pacemaker's answer, with its constraints, stickiness, fail counts and
/// fencing, not a rule of haywire's.
struct PacemakerScheduler: Sendable {
    /// What the fault does, in the scheduler's words.
    enum Injection: Sendable, Equatable, CustomStringConvertible {
        /// The node leaves the cluster and is fenced (`--node-fail`).
        case nodeFails(String)
        /// An operation returns `code` (`--op-inject rsc_op_interval@node=code`):
        /// 7 for a monitor that finds the resource stopped.
        case operationFails(resource: String, operation: String, interval: Int, node: String, code: Int)

        var arguments: [String] {
            switch self {
            case .nodeFails(let node): ["--node-fail", node]
            case .operationFails(let resource, let operation, let interval, let node, let code):
                ["--op-inject", "\(resource)_\(operation)_\(interval)@\(node)=\(code)"]
            }
        }

        var description: String {
            switch self {
            case .nodeFails(let node): "node \(node) fails"
            case .operationFails(let resource, let operation, let interval, let node, let code):
                "\(resource)'s \(operation)\(interval > 0 ? " (every \(interval) ms)" : "") on \(node) returns \(code)"
            }
        }
    }

    struct Outcome: Sendable {
        let status: PacemakerStatus
        /// The CIB after the cluster settled, with its status section.
        let cib: String
        /// What the scheduler did, transition by transition (its summaries).
        let actions: [String]
        /// False when the scheduler still had work after `transitionLimit` transitions.
        let settled: Bool
        /// What the last transitions still did when it had not settled.
        var restless: [String] = []
    }

    /// Transitions after which a cluster that still has work is reported, not waited on.
    static let transitionLimit = 10

    /// Where `crm_simulate` and `crm_mon` are; nil when this machine lacks them.
    static var installed: Bool {
        ["/usr/sbin/crm_simulate", "/usr/bin/crm_simulate"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The cluster once `cib` has settled with `injections` made. A CIB with no
    /// recorded node states (written by hand, not `cibadmin -Q`) has every node
    /// brought up first.
    static func settle(_ cib: String, injecting injections: [Injection] = []) async throws -> Outcome {
        try await withFile(of: cib) { file, read in try await settle(file, read, injecting: injections) }
    }

    private static func settle(_ file: String, _ read: CIBXML, injecting injections: [Injection]) async throws -> Outcome {
        var actions: [String] = []
        var recent: [[String]] = []
        var settled = false
        // The first transition brings nodes up and injects the fault; later ones
        // carry on from where it stopped, as the controller would.
        var arguments = injections.flatMap(\.arguments)
        if read.nodeStates.isEmpty { arguments = read.nodeNames.flatMap { ["--node-up", $0] } + arguments }
        for _ in 0..<transitionLimit {
            let result = try await Command.run(
                ["crm_simulate", "--xml-file", file, "--simulate", "--quorum", "true", "--save-output", file] + arguments,
                timeout: .seconds(30))
            guard result.succeeded else {
                throw HarnessError("crm_simulate failed (\(result.status)): \(firstLine(result.stderr + result.stdout))")
            }
            arguments = []
            let summary = transitionSummary(result.stdout)
            if summary.isEmpty {
                settled = true
                break
            }
            actions += summary
            recent = Array((recent + [summary]).suffix(3))
        }
        let final = try String(contentsOfFile: file, encoding: .utf8)
        var outcome = Outcome(status: try await status(ofCIBFile: file, groups: nil), cib: final, actions: actions, settled: settled)
        if !settled { outcome.restless = recent.flatMap { $0 } }
        return outcome
    }

    /// What the cluster would do next on `cib` as it stands (the first
    /// transition of a live CIB, nothing injected): empty when it is idle.
    /// A fault made while it still has work is judged against a cluster
    /// that was already moving, and its `next` against a stale picture.
    static func pending(_ cib: String) async throws -> [String] {
        try await withFile(of: cib) { file, _ in
            let result = try await Command.run(["crm_simulate", "--xml-file", file, "--simulate"], timeout: .seconds(30))
            guard result.succeeded else {
                throw HarnessError("crm_simulate failed (\(result.status)): \(firstLine(result.stderr + result.stdout))")
            }
            return transitionSummary(result.stdout)
        }
    }

    /// The cluster as crm_mon reads the CIB in `file` (`CIB_file`), as the
    /// probe reads a live one.
    static func status(ofCIBFile file: String, groups: [String]?) async throws -> PacemakerStatus {
        let mon = try await Command.run(["crm_mon", "-1", "--output-as=xml"], timeout: .seconds(30), environment: ["CIB_file": file])
        guard mon.stdout.contains("<") else {
            throw HarnessError("crm_mon could not read the CIB in \(file): \(firstLine(mon.stderr))")
        }
        return try PacemakerStatus.parse(mon.stdout, groups: groups)
    }

    /// Runs `body` on a private copy of `cib`, readied for the scheduler.
    private static func withFile<T>(of cib: String, _ body: (String, CIBXML) async throws -> T) async throws -> T {
        guard installed else {
            throw HarnessError("Pacemaker's scheduler (crm_simulate) is not installed here: install pacemaker-cli-utils")
        }
        guard let read = CIBXML(cib) else { throw HarnessError("not a CIB: no well-formed <cib> document") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-scheduler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("cib.xml").path
        try ready(cib, read).write(toFile: file, atomically: true, encoding: .utf8)
        return try await body(file, read)
    }

    /// The CIB as the scheduler needs it: a DC named (without one,
    /// crm_simulate 2.1.5 ignores fail counts, so a failed monitor under
    /// migration-threshold 1 restarts in place) and a feature set.
    private static func ready(_ cib: String, _ read: CIBXML) -> String {
        var additions: [String] = []
        if read.root["dc-uuid"] == nil, let first = read.nodes.first?.id ?? read.nodeNames.first {
            additions.append("dc-uuid=\"\(escaped(first))\"")
        }
        if read.root["crm_feature_set"] == nil { additions.append("crm_feature_set=\"3.16.1\"") }
        guard !additions.isEmpty, let open = cib.range(of: "<cib") else { return cib }
        return cib.replacingCharacters(in: open, with: "<cib " + additions.joined(separator: " "))
    }

    /// The lines under "Transition Summary:", each an action the scheduler took.
    static func transitionSummary(_ output: String) -> [String] {
        var lines: [String] = [], inside = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("Transition Summary") { inside = true; continue }
            guard inside else { continue }
            if trimmed.hasPrefix("* ") {
                // `Move       vm1     ( lab1 -> lab2 )`, its columns closed up.
                let words = trimmed.dropFirst(2).split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
                lines.append(words.replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")"))
            } else if !trimmed.isEmpty { break }
        }
        // Blocked actions wait for something the simulation will not bring:
        // `Start vm1 (lab2) (blocked)`, or `Start vm3-node (lab1) blocked`.
        return lines.filter { !$0.contains("(blocked)") && !$0.hasSuffix(" blocked") }
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;")
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "no output")
    }
}
