import Foundation
import VCSSemantics

/// Where Pacemaker's scheduler says each resource runs once the cluster
/// has settled after a fault: what `next` means on a Pacemaker cluster.
public struct SchedulerAnswer: Sendable, Equatable {
    /// Top-level resource -> nodes where it is fully online.
    public let placements: [String: [String]]
    /// For the timeline: what was asked and what the scheduler did.
    public let summary: String
}

/// Asks crm_simulate, on a CIB, what a fault leads to.
enum SchedulerOracle {
    /// The fault in the scheduler's words, given where each primitive runs:
    /// an empty list for a fault the cluster has no way to notice (a guest's
    /// NIC link unless the guest is a guest node, a detached disk: nothing
    /// in a CIB watches them), nil with
    /// the reason for one haywire cannot translate.
    static func injections(
        for fault: Fault, in cib: CIBXML, running: [String: [String]], nodes: [String]
    ) -> Result<[PacemakerScheduler.Injection], Unpredictable> {
        switch fault {
        case .killHost(let host), .pauseHost(let host), .linkDown(let host, _), .outerLinksDown(let host, _):
            // A host cut off from every peer (the lab's hosts have one link)
            // leaves the membership and is fenced by the rest.
            return .success([.nodeFails(host)])
        case .outerDiskDetach(let host, let disk):
            // Only a Filesystem on that disk, running there, notices.
            guard let primitive = cib.primitives.first(where: {
                $0.type == "Filesystem" && $0.parameters["device"] == "/dev/\(disk)" && running[$0.id]?.contains(host) == true
            }) else { return .success([]) }
            return monitorFails(primitive, running: running)
        case .killProcess(.host(let host), let process) where ["corosync", "pacemakerd"].contains(process):
            return .success([.nodeFails(host)])
        case .partition(let sides):
            guard let majority = sides.first(where: { $0.count * 2 > nodes.count }) else {
                return .failure(Unpredictable("no side of the partition has a majority of \(nodes.count) nodes"))
            }
            return .success(nodes.filter { !majority.contains($0) }.map { .nodeFails($0) })
        case .killGuest(let guest), .crashGuest(let guest), .shutdownGuest(let guest), .pauseGuest(let guest):
            // The guest's VirtualDomain monitor finds it not running (a paused
            // one, through the monitor_scripts liveness check the lab gives it).
            guard let primitive = virtualDomain(running: guest, in: cib) else {
                return .failure(Unpredictable("no VirtualDomain resource in the CIB runs guest \(guest)"))
            }
            return monitorFails(primitive, running: running)
        case .unmount(let host, let mount):
            guard let primitive = cib.primitives.first(where: {
                $0.type == "Filesystem" && $0.parameters["directory"] == mount && running[$0.id]?.contains(host) == true
            }) else {
                return .failure(Unpredictable("no Filesystem resource in the CIB mounts \(mount) on \(host)"))
            }
            return monitorFails(primitive, running: running)
        case .guestLinksDown(let guest, _):
            // Only a guest node's connection watches a guest's network.
            guard let primitive = virtualDomain(running: guest, in: cib),
                  let node = primitive.meta["remote-node"], let host = running[primitive.id]?.first else { return .success([]) }
            return .success([.operationFails(resource: node, operation: "monitor", interval: guestConnectionMonitor, node: host, code: 1)])
        case .detachDisk, .rebootGuest:
            return .success([])
        case .killProcess(_, let process):
            return .failure(Unpredictable("haywire cannot tell which resource's monitor a killed \(process) fails"))
        case .other(let kind, _):
            return .failure(Unpredictable("the scheduler is not told of \(kind.rawValue) faults"))
        }
    }

    /// The fault in the scheduler's words when the cluster runs inside the
    /// lab's guests (KVM-KVM): `members` maps each guest that is a cluster
    /// node (of the same name) to its host. A guest that dies, panics,
    /// freezes, loses its link or its corosync, and every member on a host
    /// that does, leaves the membership and is fenced by the rest. Nil for
    /// a fault that touches no member.
    static func memberInjections(for fault: Fault, members: [String: String]) -> [PacemakerScheduler.Injection]? {
        func on(_ host: String) -> [PacemakerScheduler.Injection]? {
            let carried = members.filter { $0.value == host }.keys.sorted()
            return carried.isEmpty ? nil : carried.map { .nodeFails($0) }
        }
        switch fault {
        case .killHost(let host), .pauseHost(let host), .linkDown(let host, _), .outerLinksDown(let host, _):
            return on(host)
        case .killGuest(let guest), .crashGuest(let guest), .pauseGuest(let guest), .shutdownGuest(let guest),
             .guestLinksDown(let guest, _):
            return members[guest] == nil ? nil : [.nodeFails(guest)]
        case .killProcess(.guest(let guest), let process) where ["corosync", "pacemakerd"].contains(process):
            return members[guest] == nil ? nil : [.nodeFails(guest)]
        default:
            return nil
        }
    }

    /// The monitor interval, in ms, Pacemaker gives the connection resource
    /// of a guest node (the VirtualDomain's `remote-node`).
    static let guestConnectionMonitor = 30_000

    /// The VirtualDomain resource that runs libvirt domain `guest`.
    static func virtualDomain(running guest: String, in cib: CIBXML) -> CIBXML.Primitive? {
        cib.primitives.first { $0.type == "VirtualDomain" && domain(of: $0) == guest }
    }

    /// The libvirt domain a VirtualDomain resource runs: its config file's
    /// name without `.xml`, as the lab and most CIBs name them, else its id.
    static func domain(of primitive: CIBXML.Primitive) -> String {
        guard let config = primitive.parameters["config"] else { return primitive.id }
        let file = config.split(separator: "/").last.map(String.init) ?? config
        return file.hasSuffix(".xml") ? String(file.dropLast(4)) : file
    }

    private static func monitorFails(
        _ primitive: CIBXML.Primitive, running: [String: [String]]
    ) -> Result<[PacemakerScheduler.Injection], Unpredictable> {
        guard let node = running[primitive.id]?.first else {
            return .failure(Unpredictable("\(primitive.id) runs nowhere, so no monitor of it can fail"))
        }
        // No recurring monitor: Pacemaker never notices, and nothing moves.
        guard let monitor = primitive.operations.first(where: { $0.name == "monitor" && $0.interval > 0 && $0.role == nil }) else {
            return .success([])
        }
        return .success([.operationFails(resource: primitive.id, operation: "monitor", interval: monitor.interval, node: node, code: 7)])
    }

    /// Where each resource runs once the scheduler is done. Still busy (a
    /// guest node crm_simulate cannot bring back, say), it answers only for
    /// what its last transitions no longer touch.
    static func placements(_ after: PacemakerScheduler.Outcome) -> [String: [String]] {
        let restless = Set(after.restless.flatMap(words))
        return after.status.state.groups.keys.reduce(into: [String: [String]]()) { placements, group in
            let touched = ([group] + (after.status.members[group] ?? [])).contains(where: restless.contains)
            if !touched { placements[group] = after.status.state.onlineSystems(of: group) }
        }
    }

    /// The answer for `fault` on `cib` (a live `cibadmin -Q`, or a file).
    /// `members`: the guests that are cluster nodes, and their hosts (KVM-KVM).
    static func ask(cib text: String, fault: Fault, members: [String: String] = [:]) async throws -> SchedulerAnswer {
        guard let cib = CIBXML(text) else { throw HarnessError("the CIB is not a well-formed <cib> document") }
        let now = try await PacemakerScheduler.settle(text)
        // In a cluster inside guests, a fault that touches no member is nothing it notices.
        let injections = members.isEmpty
            ? try injections(for: fault, in: cib, running: now.status.primitives, nodes: cib.nodeNames).get()
            : memberInjections(for: fault, members: members) ?? []
        let after = try await PacemakerScheduler.settle(now.cib, injecting: injections)
        let placements = placements(after)
        guard after.settled || !placements.isEmpty else {
            throw HarnessError("crm_simulate still had work after \(PacemakerScheduler.transitionLimit) transitions")
        }
        let asked = injections.isEmpty ? "nothing the cluster notices" : injections.map(\.description).joined(separator: ", ")
        var did = after.actions.isEmpty ? "nothing" : after.actions.joined(separator: "; ")
        if !after.settled {
            did = Array(after.actions.prefix(12)).joined(separator: "; ")
                + "; not settled after \(PacemakerScheduler.transitionLimit) transitions, still: \(Set(after.restless).sorted().joined(separator: "; "))"
        }
        return SchedulerAnswer(placements: placements, summary: "crm_simulate: \(asked): \(did)")
    }
}

/// The resource names in a transition summary line (`Recover vm3 ( lab3 -> lab1 )`).
private func words(_ line: String) -> [String] {
    line.split(whereSeparator: { " ()'".contains($0) }).map { String($0).split(separator: ":").first.map(String.init) ?? String($0) }
}

/// A fault whose outcome Pacemaker's scheduler cannot be asked for.
struct Unpredictable: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
