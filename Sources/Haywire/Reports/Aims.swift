/// What a scenario strikes: each group its expectations name, against each
/// fault kind, on the system (host or guest) the fault targets. Read from a
/// suite's text, with no run, or from run records, so that a plan, a suite
/// and runs can be set side by side (`haywire coverage`).
public struct Aim: Hashable, Comparable, Sendable {
    public let group: String
    public let kind: String
    public let system: String

    public static func < (a: Aim, b: Aim) -> Bool { (a.group, a.kind, a.system) < (b.group, b.kind, b.system) }
}

public enum Aims {
    /// A suite's aims as written. A fault on `active(G)` strikes where the
    /// scenario's `given:` puts G, else where G starts (the first of its
    /// AutoStartList), else it is named `active(G)`; drawn schedules aim at
    /// nothing until they run.
    public static func of(_ suite: Suite) -> Set<Aim> {
        var aims = Set<Aim>()
        let starts = suite.cluster.config.groups.compactMap { group in
            group.autoStartList.first.map { Placement(group: group.name, system: $0) }
        }
        for scenario in suite.scenarios {
            let groups = Set(scenario.expectations.map(\.group).filter { !$0.isEmpty })
            for fault in scenario.faults {
                let system = system(of: fault.target, given: scenario.given + starts)
                for group in groups { aims.insert(Aim(group: group, kind: fault.kind.rawValue, system: system)) }
            }
        }
        return aims
    }

    /// What runs struck (skipped scenarios struck nothing).
    public static func of(_ records: [RunRecord]) -> Set<Aim> { Coverage(records).aims }

    static func system(of target: FaultSpec.Target, given: [Placement]) -> String {
        func host(_ ref: HostRef) -> String {
            switch ref {
            case .named(let name): name
            case .active(let group): given.first { $0.group == group }?.system ?? ref.description
            case .next: ref.description
            }
        }
        switch target {
        case .guest(let name), .disk(let name, _): return name
        case .guestAt(let ref), .host(let ref), .links(let ref, _), .mount(let ref, _), .process(let ref, _),
             .guestProcess(let ref, _), .guestLinks(let ref, _), .outerLinks(let ref, _), .outerDisk(let ref, _):
            return host(ref)
        case .partition(let sides): return sides.first?.joined(separator: ",") ?? "?"
        }
    }

    /// `grp0  kill-host  on sys8, sys16`: one line per group and kind.
    public static func lines(_ aims: Set<Aim>) -> [String] {
        var byGroupAndKind: [String: [String]] = [:]
        var order: [String] = []
        for aim in aims.sorted() {
            let key = "\(aim.group)  \(aim.kind)"
            if byGroupAndKind[key] == nil { order.append(key) }
            byGroupAndKind[key, default: []].append(aim.system)
        }
        return order.map { "\($0)  on \(byGroupAndKind[$0]!.joined(separator: ", "))" }
    }
}
