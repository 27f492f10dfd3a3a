import Foundation

/// What the lab's Pacemaker alert agent (ci/lab/alert-agent) appends for
/// every event: tab-separated, the instant first (`timestamp-format`
/// `%s.%06N`, seconds and microseconds since the epoch).
struct PacemakerAlert: Sendable, Equatable {
    let at: Date
    let kind: String
    let node: String
    let resource: String
    let task: String
    let rc: Int?
    let targetRC: Int?

    /// Nil for a line in another shape (a torn last line, another agent's).
    init?(line: Substring) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 8, let seconds = Double(fields[0]), seconds > 0 else { return nil }
        at = Date(timeIntervalSince1970: seconds)
        kind = fields[1]
        node = fields[2]
        resource = fields[3]
        task = fields[4]
        rc = Int(fields[5])
        targetRC = Int(fields[6])
    }

    static func read(_ text: String) -> [PacemakerAlert] {
        text.split(separator: "\n").compactMap(PacemakerAlert.init(line:))
    }

    /// A start or promote of `resource` (or of one of its clone instances) that succeeded.
    func succeeded(starting resource: String) -> Bool {
        let plain = self.resource.split(separator: ":").first.map(String.init) ?? self.resource
        return kind == "resource" && ["start", "promote"].contains(task) && rc == 0 && (targetRC ?? 0) == 0
            && (self.resource == resource || plain == resource)
    }

    /// When `members` had all started on `node` between `after` and
    /// `before`: the last of their starts there, each member's latest; nil
    /// when no member started there in that window.
    static func online(_ members: [String], on node: String, in alerts: [PacemakerAlert], after: Date, before: Date) -> PacemakerAlert? {
        let starts = alerts.filter { alert in
            alert.node == node && alert.at > after && alert.at <= before && members.contains { alert.succeeded(starting: $0) }
        }
        return starts.max { $0.at < $1.at }
    }
}
