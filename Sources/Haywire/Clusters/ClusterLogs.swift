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
                let kept = read.stdout.split(separator: "\n").compactMap { line -> (Date, Substring)? in
                    guard source.vcsStamp || Self.notable(line),
                          let at = source.vcsStamp ? Self.vcsDate(line) : Self.syslogDate(line, year: year),
                          at >= from, at <= to else { return nil }
                    return (at, line)
                }.suffix(Self.linesKept)
                entries += kept.map { at, line in
                    TimelineEntry(time: clock.time(of: at), kind: .log, text: "\(node.name) \(source.label): \(Self.message(line, source))")
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

    /// `2024/01/10 10:20:30 VCS NOTICE ...` (engine_A.log).
    static func vcsDate(_ line: Substring) -> Date? {
        let words = line.split(separator: " ", maxSplits: 2)
        guard words.count >= 2 else { return nil }
        let parts = words[0].split(separator: "/").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return date(year: parts[0], month: parts[1], day: parts[2], time: words[1])
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

    /// The line without its stamp, which the timeline gives.
    private static func message(_ line: Substring, _ source: Source) -> String {
        let words = line.split(separator: " ", maxSplits: source.vcsStamp ? 2 : 3, omittingEmptySubsequences: true)
        return String(words.last ?? line).trimmingCharacters(in: .whitespaces)
    }
}
