import Foundation

/// One host's clock against this machine's, read over its shell. The host
/// read its clock somewhere between `before` and `after` (this machine's
/// time), so its offset is known to within half that round trip.
struct ClockReading: Sendable, Equatable {
    let host: String
    let offset: Double
    let uncertainty: Double
}

extension ClockReading {
    /// The reading of the shortest round trip: a shell's first call pays
    /// for the connection (an ssh handshake took 3.7 s to a TCG host) and
    /// would put the host seconds ahead.
    init?(host: String, samples: [(before: Double, theirs: Double, after: Double)]) {
        guard let best = samples.min(by: { $0.after - $0.before < $1.after - $1.before }) else { return nil }
        self.host = host
        offset = best.theirs - (best.before + best.after) / 2
        uncertainty = (best.after - best.before) / 2
    }
}

extension Doctor {
    /// Samples each host's clock a few times and keeps the tightest.
    func clockChecks() async -> [DoctorCheck] {
        var readings: [ClockReading] = []
        for host in suite.lab.hosts {
            guard let shell = host.shell else { continue }
            var samples: [(before: Double, theirs: Double, after: Double)] = []
            for _ in 0..<Self.clockSamples {
                let before = Date().timeIntervalSince1970
                guard let result = try? await shell.run(["/bin/date", "+%s.%N"]), result.succeeded,
                      let theirs = Double(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { continue }
                samples.append((before, theirs, Date().timeIntervalSince1970))
            }
            if let reading = ClockReading(host: host.name, samples: samples) { readings.append(reading) }
        }
        return [Self.clockCheck(readings, tolerance: clockTolerance)]
    }

    static let clockSamples = 4

    /// Passes when every clock is surely within `tolerance` of every other,
    /// counting each reading's uncertainty, and says whether a failure is
    /// a skew or a reading too loose to tell.
    static func clockCheck(_ readings: [ClockReading], tolerance: Duration) -> DoctorCheck {
        guard let low = readings.min(by: { $0.offset < $1.offset }),
              let high = readings.max(by: { $0.offset < $1.offset }) else {
            return DoctorCheck(passed: false, what: "no host told its time", fix: "check the hosts' shells")
        }
        let limit = Double(tolerance.components.seconds) + Double(tolerance.components.attoseconds) / 1e18
        let spread = high.offset - low.offset
        let margin = high.uncertainty + low.uncertainty
        let read = "read \(format(spread)) s apart, each to within \(format(readings.map(\.uncertainty).max() ?? 0)) s"
        if spread - margin > limit {
            return DoctorCheck(passed: false, what: "\(high.host) and \(low.host) clocks differ by at least \(format(spread - margin)) s (\(read))",
                               fix: "run NTP (chrony) on every host")
        }
        if spread + margin > limit {
            return DoctorCheck(passed: false, what: "cannot tell whether \(high.host) and \(low.host) clocks agree within \(format(limit)) s (\(read))",
                               fix: "check the shells' round trips, and run NTP (chrony) on every host")
        }
        return DoctorCheck(passed: true, what: "hosts' clocks agree within \(format(limit)) s (\(read))", fix: nil)
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
}
