import Foundation
import Libvirt

/// Faults on a real lab: guests through each host's libvirtd, links and
/// mounts through the host's shell, power through the lab's power commands.
public actor LabInjector: HandlerTableInjector {
    let hosts: [String: HostAccess]
    let clock: LabClock
    let workingDirectory: String
    nonisolated let outers: OuterHypervisors
    var connections: [String: Connection] = [:]
    /// What each unmount took away, to put it back.
    var unmounted: [String: (source: String, type: String)] = [:]
    /// Interfaces set down and disks detached, as XML, to put them back.
    var devices: [String: [String]] = [:]
    /// The host each guest fault was made on, for its evidence.
    var madeOn: [String: String] = [:]
    /// The pids each kill-process killed, by host and process.
    var killedPids: [String: Set<String>] = [:]

    /// The hosts each guest may run on, as the suite's lab lists them: the
    /// only ones asked for it.
    let guestHosts: [String: [String]]

    init(hosts: [HostAccess], clock: LabClock, workingDirectory: String, guestHosts: [String: [String]] = [:]) {
        self.hosts = Dictionary(uniqueKeysWithValues: hosts.map { ($0.name, $0) })
        self.guestHosts = guestHosts
        self.clock = clock
        self.workingDirectory = workingDirectory
        outers = OuterHypervisors(Dictionary(uniqueKeysWithValues: hosts.compactMap { host in host.outer.map { (host.name, $0) } }),
                                  callTimeout: hosts.map(\.libvirtTimeout).max() ?? .seconds(60))
    }

    public nonisolated let handlers = LabInjector.standard

    public nonisolated func clockNow() async -> Duration { clock.now }

    /// Polls each guest's `ready` command on the host that runs it.
    func waitUntilReady(_ guests: [LabSpec.Guest], within: Duration) async throws {
        let deadline = clock.now + within
        for guest in guests {
            guard let ready = guest.ready else { continue }
            while true {
                if let (host, _) = try? await runningGuest(guest.name) {
                    let command = "cd \(Shell.quote(workingDirectory)) && HAYWIRE_HOST=\(Shell.quote(host)) HAYWIRE_GUEST=\(Shell.quote(guest.name)) \(ready)"
                    if (try? await Command.run(["/bin/sh", "-c", command], timeout: .seconds(10)))?.succeeded == true { break }
                }
                guard clock.now < deadline else {
                    throw HarnessError("guest \(guest.name) did not become ready within \(formatDuration(within)) ('\(ready)')")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    func isMountedAnywhere(source: String) async throws -> Bool {
        for host in hosts.values.sorted(by: { $0.name < $1.name }) {
            guard let mounts = try? await shell(host, ["/bin/cat", "/proc/mounts"]).stdout else { continue }
            if mounts.split(separator: "\n").contains(where: { $0.hasPrefix(source + " ") }) { return true }
        }
        return false
    }

    /// Where `guest` runs, refused unless it carries the opt-in marker.
    func optedInGuest(_ guest: String) async throws -> (String, Domain) {
        let (host, domain) = try await runningGuest(guest)
        guard try await OptIn.isMarked(domain) else { throw OptIn.refusal(guest, on: host) }
        return (host, domain)
    }

    func runningGuest(_ guest: String) async throws -> (String, Domain) {
        var problems: [String] = []
        for name in guestHosts[guest] ?? hosts.keys.sorted() {
            guard await outers.isReachable(name) else {
                problems.append("\(name): unreachable, its outer domain is not running")
                continue
            }
            do {
                let domain = try await connection(name).lookupDomain(name: guest)
                if try await domain.isRunning() { return (name, domain) }
            } catch {
                problems.append("\(name): \(error)")
            }
        }
        throw HarnessError("guest \(guest) is not running on any host" + (problems.isEmpty ? "" : " (\(problems.joined(separator: "; ")))"))
    }

    /// The host's libvirt connection, opened again once if the daemon went
    /// away (restarted, or its keepalives or a call went unanswered).
    func connection(_ host: String) async throws -> Connection {
        if let open = connections[host] {
            if await open.isAlive() { return open }
            connections[host] = nil
        }
        guard let access = hosts[host] else { throw HarnessError("host \(host) is not in the lab") }
        let connection = try await access.openLibvirt()
        connections[host] = connection
        return connection
    }

    @discardableResult
    func shell(_ host: HostAccess, _ argv: [String]) async throws -> CommandResult {
        let result = try await host.shell.run(argv, timeout: .seconds(15))
        guard result.succeeded else {
            throw HarnessError("\(argv.joined(separator: " ")) on \(host.name) exited \(result.status): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result
    }

    func runLocal(_ command: String?, _ what: String) async throws {
        guard let command else { throw HarnessError("cannot \(what): the lab gives no power command for it") }
        let result = try await Command.run(["/bin/sh", "-c", "cd \(Shell.quote(workingDirectory)) && \(command)"], timeout: .seconds(60))
        guard result.succeeded else {
            throw HarnessError("\(what): '\(command)' exited \(result.status): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    func access(_ name: String?) throws -> HostAccess {
        guard let name, let host = hosts[name] else { throw HarnessError("the fault names no known host") }
        return host
    }
}
