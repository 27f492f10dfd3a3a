import Foundation
import VCSConfig
import VCSSemantics

/// Reads a real cluster's state through one host's shell.
protocol StatusReader: Sendable {
    /// The state as that host sees it, and whether its view counts (a
    /// Pacemaker partition without quorum does not).
    func read(on shell: any CommandRunner) async throws -> StatusRead
}

/// One host's answer to the probe.
struct StatusRead: Sendable {
    var state: ClusterState
    var authoritative: Bool
    /// What the cluster says has happened, each worded the same way every
    /// time it is read (Pacemaker's failed actions and fencing history), with
    /// when the cluster says it happened where it says.
    var happenings: [Happening] = []
}

struct Happening: Sendable, Equatable {
    let text: String
    var at: Date? = nil
}

/// `crm_mon --output-as=xml`.
struct PacemakerReader: StatusReader {
    let groups: [String]
    /// Each resource's primitives, as the last read found them.
    let members = Members()

    final class Members: @unchecked Sendable {
        private let lock = NSLock()
        private var byResource: [String: [String]] = [:]
        func update(_ members: [String: [String]]) { lock.withLock { byResource = members } }
        subscript(resource: String) -> [String]? { lock.withLock { byResource[resource] } }
    }

    func read(on shell: any CommandRunner) async throws -> StatusRead {
        let result = try await shell.run(["/usr/sbin/crm_mon", "-1", "--output-as=xml"], timeout: .seconds(5))
        guard result.succeeded || result.stdout.contains("<summary>") else {
            throw HarnessError("crm_mon exited \(result.status): \(result.stderr.prefix(200))")
        }
        return statusRead(try PacemakerStatus.parse(result.stdout, groups: groups))
    }

    /// What `status` says, its members remembered.
    func statusRead(_ status: PacemakerStatus) -> StatusRead {
        members.update(status.members)
        let failures = status.failedActions.map { Happening(text: $0.text, at: Self.date($0.changed)) }
        let fencing = status.fencing.map {
            Happening(text: $0.text + ($0.completed.isEmpty ? "" : " (completed \($0.completed))"), at: Self.date($0.completed))
        }
        return StatusRead(state: status.state, authoritative: status.quorate, happenings: failures + fencing)
    }

    /// crm_mon's `2026-12-02 03:51:26Z`; nil for its other forms.
    static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
        return formatter.date(from: text)
    }
}

/// `hastatus -sum`.
struct VCSReader: StatusReader {
    let groups: [String]

    func read(on shell: any CommandRunner) async throws -> StatusRead {
        let result = try await shell.run(["/opt/VRTSvcs/bin/hastatus", "-sum"], timeout: .seconds(10))
        return StatusRead(state: try VCSStatus.summary(result.stdout + result.stderr, groups: groups), authoritative: true)
    }
}

/// Polls a real cluster on the wall clock. It asks the hosts in order and
/// takes the first authoritative answer (or the first answer at all when
/// none is), so a dead node is skipped. A host that stops answering, and
/// answers again, is a timeline event; no answer from any host for longer
/// than `blindLimit` ends the watch with an error instead of a hang.
public struct PollingProbe: ClusterProbe {
    let hosts: [(name: String, shell: any CommandRunner)]
    let reader: any StatusReader
    let interval: Duration
    let clock: LabClock
    var guestEvents: GuestEvents? = nil
    var outers: OuterHypervisors? = nil
    var blindLimit: Duration = .seconds(30)
    let silence = HostSilence()
    let happenings = ClusterHappenings()
    let looks = LookCount()
    let reads = ReadTimes()

    public var resolution: Duration { interval }

    public func answeredAt(askedAt time: Duration) async -> Duration { await reads.answeredAt(askedAt: time) ?? time }

    public func now() async -> Duration { clock.now }

    public func state() async throws -> ClusterState {
        let poll = await self.poll()
        if let state = poll.state { return state }
        throw HarnessError("no host answered: \(poll.problems.joined(separator: "; "))")
    }

    /// One round of asking: the state if any host answered, when that host
    /// was asked, and what each host that did not answer said.
    private func poll() async -> (state: ClusterState?, askedAt: Duration, problems: [String]) {
        var fallback: (state: ClusterState, askedAt: Duration)?
        var problems: [String] = []
        for host in hosts {
            if let outers, await !outers.isReachable(host.name) {
                problems.append("\(host.name): unreachable, its outer domain is not running")
                await silence.failed(host.name, "its outer domain is not running", at: clock.now)
                continue
            }
            let askedAt = clock.now
            do {
                let read = try await reader.read(on: host.shell)
                await reads.record(askedAt: askedAt, answeredAt: clock.now)
                await silence.answered(host.name, at: clock.now)
                await happenings.saw(read.happenings, at: askedAt)
                if read.authoritative { return (read.state, askedAt, problems) }
                fallback = fallback ?? (read.state, askedAt)
            } catch {
                problems.append("\(host.name): \(error)")
                await silence.failed(host.name, "\(error)", at: clock.now)
            }
        }
        return (fallback?.state, fallback?.askedAt ?? clock.now, problems)
    }

    public func watch(until deadline: Duration, _ observe: (Observation) -> Bool) async throws -> Observation {
        var last: ClusterState?
        var blindSince: Duration?
        var events: [TimelineEntry] = []
        while true {
            let started = clock.now
            let poll = await self.poll()
            events += await silence.drain() + (await happenings.drain()) + (await guestEvents?.drain() ?? [])
            if let state = poll.state {
                blindSince = nil
                // Stamped when the answering host was asked: the state it
                // read can be no older, so a change is placed within one
                // probe interval, not one interval plus the command's time.
                var observation = Observation(time: poll.askedAt, state: state, events: events)
                observation.look = looks.next()
                events = []
                if state != last || !observation.events.isEmpty, observe(observation) { return observation }
                last = state
                if clock.now >= deadline { return observation }
            } else {
                let since = blindSince ?? started
                blindSince = since
                // A short silence at the deadline ends the watch on what was last seen.
                if clock.now >= deadline, clock.now - since < blindLimit, let last {
                    return Observation(time: clock.now, state: last, events: events)
                }
                if clock.now - since >= blindLimit || clock.now >= deadline {
                    throw ProbeBlind(events: events, message: "no host answered for \(secondsText(clock.now - since)) s: "
                                     + poll.problems.joined(separator: "; "))
                }
                if !events.isEmpty, let last {
                    let observation = Observation(time: clock.now, state: last, events: events)
                    events = []
                    if observe(observation) { return observation }
                }
            }
            let next = min(started + interval, deadline)
            if next > clock.now { try await Task.sleep(for: next - clock.now) }
        }
    }
}

/// The probe saw nothing for too long: why, and the timeline events of
/// the hosts falling silent, which the scenario keeps.
struct ProbeBlind: Error, CustomStringConvertible {
    let events: [TimelineEntry]
    let message: String
    var description: String { message }
}

/// Which hosts stopped answering the probe: one timeline event when a host
/// falls silent and one when it answers again, not one per poll.
actor HostSilence {
    private var silent: Set<String> = []
    private var pending: [TimelineEntry] = []

    func failed(_ host: String, _ reason: String, at time: Duration) {
        guard silent.insert(host).inserted else { return }
        pending.append(TimelineEntry(time: time, kind: .note, text: "\(host) does not answer the probe: \(reason)"))
    }

    func answered(_ host: String, at time: Duration) {
        guard silent.remove(host) != nil else { return }
        pending.append(TimelineEntry(time: time, kind: .note, text: "\(host) answers the probe again"))
    }

    func drain() -> [TimelineEntry] {
        defer { pending.removeAll() }
        return pending
    }
}


/// When the probe's reads were asked and answered: the state a read
/// returns is from somewhere between the two. A probe serves one scenario,
/// so this holds a few thousand reads at most (10 minutes, 3 hosts).
actor ReadTimes {
    private var answers: [Duration: Duration] = [:]

    func record(askedAt: Duration, answeredAt: Duration) { answers[askedAt] = answeredAt }

    func answeredAt(askedAt: Duration) -> Duration? { answers[askedAt] }
}

/// How many answered looks a probe has taken, across its watches.
final class LookCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func next() -> Int { lock.withLock { count += 1; return count } }
}

/// The cluster's own account of what happened (failed actions, fencing):
/// a timeline event the first time each is read. What the first answer
/// already lists, or what the cluster dates from before the probe began
/// (a rebooted node relearns its peers' fencing history), is not news.
actor ClusterHappenings {
    private var seen: Set<String>?
    private var pending: [TimelineEntry] = []
    /// Clocks of the lab's hosts may run a little apart.
    private let since = Date().addingTimeInterval(-5)

    func saw(_ happenings: [Happening], at time: Duration) {
        guard var known = seen else {
            seen = Set(happenings.map(\.text))
            return
        }
        for happening in happenings where known.insert(happening.text).inserted {
            if let at = happening.at, at < since { continue }
            pending.append(TimelineEntry(time: time, kind: .cluster, text: happening.text))
        }
        seen = known
    }

    func drain() -> [TimelineEntry] {
        defer { pending.removeAll() }
        return pending
    }
}
