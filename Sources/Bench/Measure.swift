import Foundation

/// One figure of the benchmark: what was measured, against what, and the goal.
public struct Figure: Sendable {
    public let number: Int
    public let name: String
    /// haywire's figure and its baseline, as printed.
    public let measured: String
    public let baseline: String
    /// measured against baseline, e.g. "412×" or "1.02".
    public let ratio: String
    public let goal: String
    /// Nil when the figure could not be measured here (see `measured`).
    public let met: Bool?

    /// One machine-readable line, which the parent process collects.
    public var line: String {
        "FIGURE\t\(number)\t\(name)\t\(measured)\t\(baseline)\t\(ratio)\t\(goal)\t\(met.map { $0 ? "met" : "missed" } ?? "not measured")"
    }

    init(_ number: Int, _ name: String, measured: String, baseline: String, ratio: String, goal: String, met: Bool?) {
        self.number = number
        self.name = name
        self.measured = measured
        self.baseline = baseline
        self.ratio = ratio
        self.goal = goal
        self.met = met
    }

    public init?(line: String) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 8, fields[0] == "FIGURE", let number = Int(fields[1]) else { return nil }
        self.init(number, fields[2], measured: fields[3], baseline: fields[4], ratio: fields[5], goal: fields[6],
                  met: fields[7] == "met" ? true : fields[7] == "missed" ? false : nil)
    }

    static func notMeasured(_ number: Int, _ name: String, goal: String, why: String) -> Figure {
        Figure(number, name, measured: "not measured: \(why)", baseline: "", ratio: "", goal: goal, met: nil)
    }
}

let benchClock = ContinuousClock()

/// Wall time of `body`.
func timed(_ body: () async throws -> Void) async rethrows -> Duration {
    let start = benchClock.now
    try await body()
    return benchClock.now - start
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func millis(_ duration: Duration) -> Double { seconds(duration) * 1000 }

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func fixed(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

/// Peak resident memory of this process so far, in MB.
func peakRSSMegabytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024
}

/// A scratch folder, removed when the benchmark process ends.
func scratchFolder(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-bench-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    scratch.append(dir)
    return dir
}

nonisolated(unsafe) var scratch: [URL] = []

public func removeScratch() {
    for dir in scratch { try? FileManager.default.removeItem(at: dir) }
}

/// Runs argv and returns its exit status, its output discarded.
func runQuietly(_ argv: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = argv
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// CPU seconds this process has used (user and system, every thread).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
