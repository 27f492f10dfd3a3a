import Foundation
import VCSConfig

/// A real lab: the suite's hosts through their libvirt URIs and shells, and
/// the cluster through its probe on the wall clock.
public struct LabBackendFactory: BackendFactory {
    public init() {}

    public func makeBackend(for suite: Suite, scenario: Scenario?) async throws -> Backend {
        let clock = LabClock()
        let hosts = suite.lab.hosts.compactMap { host -> HostAccess? in
            guard let shell = host.shell else { return nil }
            return HostAccess(name: host.name, libvirtURI: host.libvirt, shell: shell,
                              powerOff: host.powerOff, powerOn: host.powerOn, outer: host.outer,
                              libvirtTimeout: suite.lab.libvirtTimeout)
        }
        let directory = Paths.folder(of: suite.file)
        let injector = LabInjector(hosts: hosts, clock: clock, workingDirectory: directory.isEmpty ? "." : directory,
                                   guestHosts: Dictionary(suite.lab.guests.map { ($0.name, $0.hosts) }, uniquingKeysWith: { a, _ in a }))
        let events = GuestEvents(clock: clock)
        await events.listen(to: hosts)
        let groups = suite.cluster.config.groups.map(\.name)
        // Where the cluster's own commands run: its nodes, the hosts (PM-PM),
        // or the guests that hosts carry as systems, through their agents (KVM-KVM).
        let members = suite.lab.carriers
        let nodes: [NodeAccess] = members.isEmpty
            ? hosts.map { NodeAccess(name: $0.name, shell: $0.shell) }
            : suite.lab.hosts.flatMap(\.systems).map { NodeAccess(name: $0, shell: MemberGuest(guest: $0, injector: injector)) }
        let pacemaker = PacemakerReader(groups: groups)
        // Inside guests the CIB is read there and crm_mon runs here (CIBStatusReader says why).
        let reader: any StatusReader = suite.cluster.manager == .vcs ? VCSReader(groups: groups)
            : members.isEmpty ? pacemaker : CIBStatusReader(pacemaker: pacemaker, timeout: .seconds(20)) as any StatusReader
        var probe = PollingProbe(hosts: nodes.map { ($0.name, $0.shell) }, reader: reader,
                                 interval: suite.cluster.probeInterval, clock: clock, guestEvents: events,
                                 outers: injector.outers)
        if !members.isEmpty { probe.blindLimit = .seconds(60) }
        var backend = Backend(injector: injector, probe: probe,
                              links: Array(Set(suite.lab.hosts.flatMap(\.links))).sorted(), close: { await events.stop() })
        if suite.cluster.manager == .pacemaker {
            backend.prepare = { await Self.clearFailures(on: nodes) }
            backend.scheduler = { fault in
                try await SchedulerOracle.ask(cib: try await Self.liveCIB(from: nodes), fault: fault, members: members)
            }
            backend.pendingWork = { try await Self.pendingWork(on: nodes) }
            if let path = suite.cluster.alerts {
                backend.stampOnline = { group, system, after, before in
                    await Self.alertStamp(group, on: system, after: after, before: before, log: path, nodes: nodes, clock: clock,
                                          members: pacemaker.members[group])
                }
            }
        }
        let logs = ClusterLogs(sources: suite.cluster.manager == .vcs ? ClusterLogs.vcs : ClusterLogs.pacemaker)
        let logNodes = nodes.map { (name: $0.name, shell: $0.shell) }
        backend.clusterLog = { from, to in
            let wall = { (time: Duration) in clock.startDate.addingTimeInterval(secondsValue(time)) }
            return await logs.entries(on: logNodes, from: wall(from), to: wall(to), clock: clock)
        }
        let guests = suite.lab.guests.filter { $0.ready != nil }
        backend.guestsReady = { within in
            try await injector.waitUntilReady(guests, within: within)
        }
        return backend
    }

    /// Clocks of the lab's hosts may run a little apart from haywire's: an
    /// alert this much after the poll that saw the group online still counts.
    static let alertSkew: Duration = .milliseconds(50)

    /// The last start (or promote) of `group`'s members (as the probe last
    /// read them) on `system` in the window, from that host's alert log; nil
    /// when it has none.
    /// Pacemaker runs its alert agents after it records the operation, so
    /// the probe may see a group online before the alert is written (the
    /// fresh-clone CI stamped 7 of 8 once): the log is read again until
    /// the alert is there, for this long at most.
    static let alertWait: Duration = .seconds(3)

    static func alertStamp(
        _ group: String, on system: String, after: Duration, before: Duration, log: String, nodes: [NodeAccess], clock: LabClock,
        members: [String]?
    ) async -> Stamp? {
        guard let host = nodes.first(where: { $0.name == system }), let members, !members.isEmpty else { return nil }
        let wall = { (time: Duration) in clock.startDate.addingTimeInterval(secondsValue(time)) }
        let deadline = clock.now + alertWait
        while true {
            if let read = try? await host.shell.run(["/usr/bin/tail", "-n", "5000", log], timeout: .seconds(5)), read.succeeded,
               let alert = PacemakerAlert.online(members, on: system, in: PacemakerAlert.read(read.stdout),
                                                 after: wall(after), before: wall(before + alertSkew)) {
                return Stamp(at: clock.time(of: alert.at), source: "Pacemaker's alert: \(alert.resource) \(alert.task) ok on \(alert.node)")
            }
            guard clock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// What the cluster still does: a DC's controller not in S_IDLE is
    /// mid-transition (a guest node's connection keeps it in S_POLICY_ENGINE
    /// while the guest boots, and the actions waiting on it show in
    /// crm_simulate only as blocked); an idle one may still have work
    /// crm_simulate sees on the live CIB.
    static func pendingWork(on hosts: [NodeAccess]) async throws -> [String] {
        var problems: [String] = []
        for host in hosts {
            do {
                let dc = try await host.shell.run(["/usr/sbin/crmadmin", "--dc_lookup", "--output-as=xml"], timeout: .seconds(10))
                guard dc.succeeded, let name = XMLScanner.attribute("node_name", of: "dc", in: dc.stdout) else {
                    problems.append("\(host.name): no DC (crmadmin exited \(dc.status))")
                    continue
                }
                let status = try await host.shell.run(["/usr/sbin/crmadmin", "--status=\(name)", "--output-as=xml"], timeout: .seconds(10))
                let state = XMLScanner.attribute("state", of: "crmd", in: status.stdout) ?? "an unknown state"
                if state != "S_IDLE" { return ["the DC \(name) is in \(state), not S_IDLE"] }
                let cib = try await liveCIB(from: [host] + hosts.filter { $0.name != host.name })
                return try await PacemakerScheduler.pending(cib).map { "crm_simulate on the live CIB: " + $0 }
            } catch {
                problems.append("\(host.name): \(error)")
            }
        }
        throw HarnessError("no host said what the cluster still does: " + problems.joined(separator: "; "))
    }

    /// `cibadmin -Q` from the first host that answers: the CIB with its status.
    static func liveCIB(from hosts: [NodeAccess]) async throws -> String {
        var problems: [String] = []
        for host in hosts {
            do {
                let result = try await host.shell.run(["/usr/sbin/cibadmin", "--query"], timeout: .seconds(10))
                if result.succeeded, result.stdout.contains("<cib") { return result.stdout }
                problems.append("\(host.name): cibadmin exited \(result.status)")
            } catch {
                problems.append("\(host.name): \(error)")
            }
        }
        throw HarnessError("no host gave its CIB: " + problems.joined(separator: "; "))
    }

    /// `crm_resource --cleanup`, so a scenario does not inherit the last
    /// one's bans. Cleanup is asynchronous: wait for the cluster to settle,
    /// or its late re-probes could erase the fail counts the scenario makes.
    static func clearFailures(on hosts: [NodeAccess]) async {
        for host in hosts {
            guard let cleaned = try? await host.shell.run(["/usr/sbin/crm_resource", "--cleanup", "--quiet"], timeout: .seconds(20)),
                  cleaned.succeeded else { continue }
            _ = try? await host.shell.run(["/usr/sbin/crm_resource", "--wait", "--timeout=60s"], timeout: .seconds(70))
            return
        }
    }
}

/// A cluster node and where its commands run.
struct NodeAccess: Sendable {
    let name: String
    let shell: any CommandRunner
}
