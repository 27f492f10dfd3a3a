import Foundation

/// The cluster's own log lines around a scenario's faults, read through
/// each node's shell and placed on the timeline at their own timestamps,
/// each marked with its node and source. Only what a person reads first:
/// Pacemaker's and corosync's notices, warnings and errors; every line of
/// VCS's engine log. Hosts are taken to log in this machine's time zone.
struct ClusterLogs: Sendable {
    struct Source: Sendable {
        let label: String
        let path: String
        let vcsStamp: Bool
    }

    static let pacemaker = [Source(label: "pacemaker", path: "/var/log/pacemaker/pacemaker.log", vcsStamp: false),
                            Source(label: "corosync", path: "/var/log/corosync/corosync.log", vcsStamp: false)]
    static let vcs = [Source(label: "engine_A", path: "/var/VRTSvcs/log/engine_A.log", vcsStamp: true)]
    /// Per node and source, so one chatty daemon cannot bury the timeline.
    static let linesKept = 150

    let sources: [Source]

    /// The lines stamped between `from` and `to` (wall-clock dates) on
    /// every node, as timeline entries on `clock`.
    func entries(on nodes: [(name: String, shell: any CommandRunner)], from: Date, to: Date, clock: LabClock) async -> [TimelineEntry] {
        let year = Calendar(identifier: .gregorian).component(.year, from: from)
        var entries: [TimelineEntry] = []
        for node in nodes {
            for source in sources {
                guard let read = try? await node.shell.run(["/usr/bin/tail", "-n", "4000", source.path], timeout: .seconds(10)),
                      read.succeeded else { continue }
                let lines = source.vcsStamp ? Self.vcsMessages(read.stdout)
                    : read.stdout.split(separator: "\n").compactMap { line -> (Date, String)? in
                        guard Self.notable(line), let at = Self.syslogDate(line, year: year) else { return nil }
                        return (at, Self.message(line))
                    }
                let kept = lines.filter { $0.0 >= from && $0.0 <= to }.suffix(Self.linesKept)
                entries += kept.map { at, message in
                    TimelineEntry(time: clock.time(of: at), kind: .log, text: "\(node.name) \(source.label): \(message)")
                }
            }
        }
        return entries
    }

    /// Pacemaker (`notice:`, `warning:`, `error:`, `crit:`) and corosync
    /// (`corosync notice`, `corosync warning`, ...) lines a person reads.
    static func notable(_ line: Substring) -> Bool {
        ["notice", "warning", "error", "crit"].contains { level in
            line.contains(" \(level):") || line.contains("\t\(level):") || line.contains("corosync \(level) ")
        }
    }

    /// `Dec 06 21:49:13.405 ...` (syslog's stamp, corosync's hires one).
    static func syslogDate(_ line: Substring, year: Int) -> Date? {
        let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
        guard words.count >= 3, let month = months.firstIndex(of: String(words[0])), let day = Int(words[1]) else { return nil }
        return date(year: year, month: month + 1, day: day, time: words[2])
    }

    /// engine_A.log's messages with their stamps. The stamp is
    /// `2024/01/10 10:20:30`, or `Sep 26 2010 11:32:56` (the agent
    /// developer's guide), after a `TAG_C` on VCS before 4.0; a message may
    /// go on over the lines that follow it, and command output that VCS
    /// copies in between `+---...+` and `+===...+` is no message.
    static func vcsMessages(_ text: String) -> [(Date, String)] {
        var messages: [(Date, String)] = []
        var inOutput = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("+--") && trimmed.hasSuffix("+") { inOutput = true; continue }
            if trimmed.hasPrefix("+==") && trimmed.hasSuffix("+") { inOutput = false; continue }
            if inOutput || trimmed.isEmpty { continue }
            if let (at, message) = vcsStamped(line) {
                messages.append((at, message))
            } else if let last = messages.indices.last, messages[last].1.count < 1_000 {
                messages[last].1 += " " + trimmed
            }
        }
        return messages
    }

    /// A stamped engine log line: its time and its message (from `VCS` on,
    /// with the tag of VCS 3 in front).
    static func vcsStamped(_ line: Substring) -> (Date, String)? {
        var words = line.split(separator: " ", omittingEmptySubsequences: true)
        var tag: Substring?
        if let first = words.first, first.hasPrefix("TAG_") { tag = first; words.removeFirst() }
        guard words.count >= 3 else { return nil }
        let at: Date
        let rest: ArraySlice<Substring>
        let parts = words[0].split(separator: "/").compactMap { Int($0) }
        if parts.count == 3, let stamp = date(year: parts[0], month: parts[1], day: parts[2], time: words[1]) {
            (at, rest) = (stamp, words[2...])
        } else if words.count >= 5, let month = months.firstIndex(of: String(words[0])), let day = Int(words[1]), let year = Int(words[2]),
                  let stamp = date(year: year, month: month + 1, day: day, time: words[3]) {
            (at, rest) = (stamp, words[4...])
        } else {
            return nil
        }
        return (at, ((tag.map { [$0] } ?? []) + rest).joined(separator: " "))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func date(year: Int, month: Int, day: Int, time: Substring) -> Date? {
        let clock = time.split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let seconds = Double(clock[2]) else { return nil }
        var parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: Int(seconds))
        parts.nanosecond = Int(((seconds - seconds.rounded(.down)) * 1e9).rounded())
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        return calendar.date(from: parts)
    }

    /// A syslog line without its stamp, which the timeline gives.
    private static func message(_ line: Substring) -> String {
        let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
        return String(words.last ?? line).trimmingCharacters(in: .whitespaces)
    }
}
