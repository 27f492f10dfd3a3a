/// What a set of runs covered: each group against each fault kind, and on
/// which system the fault struck, passed or failed; an empty cell is a
/// combination that never ran.
public struct Coverage: Sendable {
    public struct Cell: Sendable, Equatable {
        /// System the fault struck (a host or a guest) -> how many scenarios.
        public var passed: [String: Int] = [:]
        public var failed: [String: Int] = [:]
    }

    public let groups: [String]
    public let kinds: [String]
    public let cells: [String: [String: Cell]]

    public init(_ records: [RunRecord]) {
        var cells: [String: [String: Cell]] = [:]
        var kinds = Set<String>()
        for scenario in records.flatMap(\.scenarios) where scenario.verdict != "skipped" {
            let groups = Set(scenario.expectations.compactMap(\.group))
            for span in scenario.faultSpans {
                let (kind, target) = Self.struck(span)
                kinds.insert(kind)
                for group in groups {
                    if scenario.verdict == "passed" {
                        cells[group, default: [:]][kind, default: Cell()].passed[target, default: 0] += 1
                    } else {
                        cells[group, default: [:]][kind, default: Cell()].failed[target, default: 0] += 1
                    }
                }
            }
        }
        self.cells = cells
        groups = cells.keys.sorted()
        self.kinds = FaultKind.builtIn.map(\.rawValue).filter(kinds.contains) + kinds.subtracting(FaultKind.builtIn.map(\.rawValue)).sorted()
    }

    /// Every group, fault kind and system that some scenario struck.
    public var aims: Set<Aim> {
        Set(cells.flatMap { group, kinds in
            kinds.flatMap { kind, cell in
                Set(cell.passed.keys).union(cell.failed.keys).map { Aim(group: group, kind: kind, system: $0) }
            }
        })
    }

    /// A fault's kind and the system it struck: its host or guest, or a
    /// partition's first side.
    static func struck(_ span: RunRecord.Span) -> (kind: String, system: String) {
        let kind = span.resolved?.kind.rawValue ?? String(span.fault.split(separator: " ").first ?? "?")
        guard let fault = span.resolved else { return (kind, "?") }
        if case .partition(let sides) = fault { return (kind, sides.first?.joined(separator: ",") ?? "?") }
        return (kind, fault.host ?? fault.guest ?? "?")
    }

    /// `hosta 2✓ hostb 1✗`, or empty.
    public func summary(_ group: String, _ kind: String) -> String {
        guard let cell = cells[group]?[kind] else { return "" }
        let systems = Set(cell.passed.keys).union(cell.failed.keys).sorted()
        return systems.map { system in
            let marks = [cell.passed[system].map { "\($0)✓" }, cell.failed[system].map { "\($0)✗" }].compactMap { $0 }
            return ([system] + marks).joined(separator: " ")
        }.joined(separator: ", ")
    }

    /// Groups down, fault kinds across; `never ran` where nothing did.
    public func text() -> String {
        var lines: [String] = []
        for group in groups {
            lines.append(group)
            for kind in kinds {
                let cell = summary(group, kind)
                lines.append("  \(kind.padding(toLength: 15, withPad: " ", startingAt: 0)) \(cell.isEmpty ? "never ran" : cell)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func html() -> String {
        let e = XMLText.escape
        var html = "<table class=\"coverage\"><tr><th>group</th>" + kinds.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for group in groups {
            html += "<tr><td>\(e(group))</td>" + kinds.map { kind in
                let cell = summary(group, kind)
                return cell.isEmpty ? "<td class=\"never\">never ran</td>" : "<td>\(e(cell))</td>"
            }.joined() + "</tr>\n"
        }
        return html + "</table>\n"
    }
}
