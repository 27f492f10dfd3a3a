import Foundation

/// Derives a Pacemaker suite from a CIB. Every scenario's outcome is
/// Pacemaker's own: crm_simulate, on the CIB, with the fault injected. The
/// suite says `online: next`, which a run resolves the same way on the live
/// CIB; the plan-time answer stands in a comment above each scenario, with
/// the SLA's formula from the cluster's own timings.
public struct CIBPlanner: Sendable {
    public struct Timings: Sendable {
        /// corosync's totem token and consensus, in milliseconds.
        public var token = 3000
        public var consensus: Int?
        public init() {}
        var consensusOrDefault: Int { consensus ?? token * 6 / 5 }
    }

    let text: String
    let cib: CIBXML
    let source: String
    public var faults: Set<FaultKind> = [.killHost, .linkDown, .killProcess, .killGuest, .unmount]
    public var timings = Timings()
    /// The suite's `lab:` section, as YAML lines; nil writes one to fill in.
    public var lab: [String]?
    /// The guests that lab names, when it is given: a VirtualDomain whose
    /// guest it lacks is not planned (haywire may not touch that guest).
    public var labGuests: Set<String>?
    /// The alert log the suite reads (`cluster.alerts`), if any.
    public var alerts: String?

    public init(cib text: String, source: String) throws {
        guard let cib = CIBXML(text) else { throw HarnessError("\(source): not a CIB (no well-formed <cib> document)") }
        guard !cib.nodeNames.isEmpty else { throw HarnessError("\(source): the CIB names no nodes (no <nodes>, no location constraints)") }
        self.text = text
        self.cib = cib
        self.source = source
    }

    /// corosync.conf's `token:` and `consensus:` (totem section), in ms.
    public static func timings(corosync text: String) -> Timings {
        var timings = Timings()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Int(parts[1]) else { continue }
            if parts[0] == "token" { timings.token = value }
            if parts[0] == "consensus" { timings.consensus = value }
        }
        return timings
    }

    private struct Planned {
        let resource: String
        var comments: [String]
        let name: String
        let fault: String
        /// The SLA, in the seconds its formula gives.
        let within: String
    }

    /// The suite, and how many scenarios it has.
    public func suite() async throws -> (text: String, scenarios: Int) {
        let steady = try await PacemakerScheduler.settle(text)
        guard steady.settled else { throw HarnessError("\(source): crm_simulate still had work after \(PacemakerScheduler.transitionLimit) transitions") }
        var planned: [Planned] = [], notes: [String] = []
        var resources: [String] = [], clones: [String] = []
        let guestNodes = guestNodes
        for top in cib.resources {
            if top.primitives.allSatisfy({ $0.agentClass == "stonith" }) {
                notes.append("\(top.id): a fencing device, not planned")
                continue
            }
            guard top.kind == .primitive || top.kind == .group else {
                // Watched, so that a fault elsewhere that disturbs it is collateral damage.
                clones.append(top.id)
                notes.append("\(top.id): a \(top.kind.rawValue) runs on every node it may at once: watched, not failed over, not planned")
                continue
            }
            if let guests = labGuests, let missing = top.primitives.first(where: {
                $0.type == "VirtualDomain" && !guests.contains(SchedulerOracle.domain(of: $0))
            }) {
                notes.append("\(top.id): guest \(SchedulerOracle.domain(of: missing)) is not in the lab, not planned")
                continue
            }
            let nodes = steady.status.state.onlineSystems(of: top.id)
            if let node = nodes.first, guestNodes.contains(node) {
                notes.append("\(top.id): runs inside guest node \(node); faults inside guest nodes are not planned yet")
                continue
            }
            guard nodes.count == 1 else {
                notes.append("\(top.id): crm_simulate runs it " + (nodes.isEmpty ? "nowhere" : "on \(nodes.joined(separator: ", "))") + " at rest, not planned")
                continue
            }
            resources.append(top.id)
            for (fault, yaml, name) in candidates(for: top, on: nodes[0]) {
                let injections: [PacemakerScheduler.Injection]
                switch SchedulerOracle.injections(for: fault, in: cib, running: steady.status.primitives, nodes: cib.nodeNames) {
                case .success(let made): injections = made
                case .failure(let why):
                    notes.append("\(top.id): \(name): \(why), not planned")
                    continue
                }
                let after = try await PacemakerScheduler.settle(steady.cib, injecting: injections)
                let landing = after.status.state.onlineSystems(of: top.id)
                let asked = injections.map(\.description).joined(separator: ", ")
                guard landing.count == 1 else {
                    notes.append("\(top.id): \(name): crm_simulate (\(asked)) leaves it "
                                 + (landing.isEmpty ? "stopped" : "on \(landing.joined(separator: ", "))") + ", not planned")
                    continue
                }
                let (within, formula) = sla(for: fault, of: top)
                planned.append(Planned(
                    resource: top.id,
                    comments: [formula, "crm_simulate: \(asked): \(top.id) \(nodes[0]) -> \(landing[0])"
                               + (after.actions.isEmpty ? "" : " (\(after.actions.joined(separator: "; ")))")],
                    name: "\(top.id): \(name)", fault: yaml, within: within))
            }
        }
        return (render(planned, resources: resources, clones: clones, notes: notes), planned.count)
    }

    /// The Pacemaker guest nodes the CIB's VirtualDomain resources define (`remote-node`).
    private var guestNodes: Set<String> { Set(cib.primitives.compactMap { $0.type == "VirtualDomain" ? $0.meta["remote-node"] : nil }) }

    /// The faults planned for `top` at rest on `node`: the fault, its YAML, its name.
    private func candidates(for top: CIBXML.TopLevel, on node: String) -> [(Fault, String, String)] {
        var list: [(Fault, String, String)] = []
        if faults.contains(.killHost) { list.append((.killHost(host: node), "{ kill-host: active(\(top.id)) }", "power loss of its node")) }
        if faults.contains(.linkDown) {
            list.append((.linkDown(host: node, links: []), "{ link-down: { host: active(\(top.id)) }, for: 20s }", "every link of its node cut for 20s"))
        }
        // The membership daemon killed: the node leaves the cluster and is fenced.
        if faults.contains(.killProcess) {
            list.append((.killProcess(where: .host(node), process: "corosync"), "{ kill-process: { host: active(\(top.id)), process: corosync } }",
                         "corosync killed on its node"))
        }
        for primitive in top.primitives {
            if faults.contains(.killGuest), primitive.type == "VirtualDomain" {
                let guest = SchedulerOracle.domain(of: primitive)
                list.append((.killGuest(guest: guest), "{ kill-guest: \(guest) }", "power loss of guest \(guest)"))
            }
            if faults.contains(.unmount), primitive.type == "Filesystem", let mount = primitive.parameters["directory"] {
                list.append((.unmount(host: node, mount: mount), "{ unmount: { host: active(\(top.id)), mount: \(mount) } }", "unmount \(mount)"))
            }
        }
        return list
    }

    /// `# SLA N s = …`: detection (the failed monitor's interval, or the
    /// membership's token, consensus and fencing), then the stops and starts.
    private func sla(for fault: Fault, of top: CIBXML.TopLevel) -> (seconds: String, formula: String) {
        let starts = top.primitives.map { ($0.id, timeout($0, "start")) }
        let startSum = starts.map(\.1).reduce(0, +)
        let startText = "starts \(seconds(startSum)) (" + starts.map { "\($0.0) \(seconds($0.1))" }.joined(separator: ", ") + ")"
        switch fault {
        case .killHost, .linkDown, .killProcess:
            let fencing = CIBXML.milliseconds(cib.options["stonith-timeout"]) ?? 60_000
            let total = timings.token + timings.consensusOrDefault + fencing + startSum
            return (seconds(total), "SLA \(seconds(total)) s = token \(seconds(timings.token)) + consensus \(seconds(timings.consensusOrDefault))"
                + " + stonith-timeout \(seconds(fencing)) + \(startText)")
        default:
            let failed: CIBXML.Primitive? = switch fault {
            case .killGuest(let guest): top.primitives.first { $0.type == "VirtualDomain" && SchedulerOracle.domain(of: $0) == guest }
            case .unmount(_, let mount): top.primitives.first { $0.type == "Filesystem" && $0.parameters["directory"] == mount }
            default: nil
            }
            let interval = failed?.operations.first { $0.name == "monitor" && $0.interval > 0 }?.interval ?? 0
            let stops = top.primitives.map { ($0.id, timeout($0, "stop")) }
            let stopSum = stops.map(\.1).reduce(0, +)
            let total = interval + stopSum + startSum
            return (seconds(total), "SLA \(seconds(total)) s = \(failed?.id ?? "its") monitor interval \(seconds(interval))"
                + " + stops \(seconds(stopSum)) (" + stops.map { "\($0.0) \(seconds($0.1))" }.joined(separator: ", ") + ") + \(startText)")
        }
    }

    /// An operation's timeout: its own, the CIB's op_defaults, or Pacemaker's 20 s.
    private func timeout(_ primitive: CIBXML.Primitive, _ operation: String) -> Int {
        primitive.operations.first { $0.name == operation }?.timeout
            ?? CIBXML.milliseconds(cib.operationDefaults["timeout"]) ?? 20_000
    }

    private func seconds(_ milliseconds: Int) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : String(format: "%.1f", Double(milliseconds) / 1000)
    }

    /// Each planned resource's nodes: by its location scores, best first,
    /// then the rest in the CIB's order; never one it is banned from.
    private func preference(of resource: String) -> [String] {
        func score(_ text: String) -> Double {
            switch text.uppercased() {
            case "INFINITY", "+INFINITY": .infinity
            case "-INFINITY": -.infinity
            default: Double(text) ?? 0
            }
        }
        let scores = Dictionary(cib.locations.filter { $0.resource == resource }.map { ($0.node, score($0.score)) }, uniquingKeysWith: max)
        return cib.nodeNames.enumerated()
            .filter { scores[$0.element] != -.infinity }
            .sorted { (scores[$0.element] ?? 0, -$0.offset) > (scores[$1.element] ?? 0, -$1.offset) }
            .map(\.element)
    }

    private func render(_ planned: [Planned], resources: [String], clones: [String], notes: [String]) -> String {
        let name = "plan-" + (cib.options["cluster-name"] ?? "pacemaker")
        var lines = [
            "# Generated by haywire plan from \(source).",
            "# Each outcome is Pacemaker's own: crm_simulate on this CIB with the fault",
            "# injected (its answer stands above each scenario). A run asks crm_simulate",
            "# again, on the live CIB, for every `online: next`. Each SLA is the cluster's",
            "# own timing: monitor intervals, op timeouts, corosync's token and consensus,",
            "# stonith-timeout; Pacemaker's defaults where the CIB is silent.",
        ]
        lines += notes.map { "# \($0)" }
        lines += ["suite: \(name)", "cluster:", "  manager: pacemaker", "  resources:"]
        lines += resources.map { "    \(quoted($0)): [\(preference(of: $0).map(quoted).joined(separator: ", "))]" }
        lines += clones.map { "    \(quoted($0)): { nodes: [\(preference(of: $0).map(quoted).joined(separator: ", "))], clone: true }" }
        if let alerts { lines.append("  alerts: \(quoted(alerts))") }
        lines += lab ?? placeholderLab()
        lines.append("scenarios:")
        for scenario in planned {
            lines += scenario.comments.map { "  # \($0)" }
            lines += [
                "  - name: \(quoted(scenario.name))",
                "    fault: \(scenario.fault)",
                "    expect:",
                "      - { group: \(quoted(scenario.resource)), online: next, within: \(scenario.within)s }",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func placeholderLab() -> [String] {
        var lines = ["# How haywire reaches each node: its libvirtd and a shell. Check them with haywire doctor.",
                     "lab:", "  hosts:"]
        let guestNodes = guestNodes
        let hosts = cib.nodeNames.filter { !guestNodes.contains($0) }
        lines += hosts.map { "    \(quoted($0)): { libvirt: \"qemu+ssh://root@\($0)/system\", shell: \"ssh://root@\($0)\" }" }
        let domains = cib.primitives.filter { $0.type == "VirtualDomain" }
        if !domains.isEmpty {
            lines.append("  guests:")
            let on = hosts.map(quoted).joined(separator: ", ")
            lines += domains.map { primitive in
                "    \(quoted(SchedulerOracle.domain(of: primitive))): { hosts: [\(on)]" + (primitive.meta["remote-node"].map { ", node: \(quoted($0))" } ?? "") + " }"
            }
        }
        return lines
    }

    private func quoted(_ text: String) -> String { yamlScalar(text) }
}
