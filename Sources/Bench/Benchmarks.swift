import Libvirt

/// The figures of `haywire bench`, by name; each is measured on its own.
public enum Benchmarks {
    public static let figures = ["operations", "detection", "resolution", "simulated", "scale", "reports", "probe-memory"]

    /// Measures `figure` in this process. Paths are the repository's: run
    /// it from the repository's root.
    public static func measure(_ figure: String, jobs: Int, limit: Int?) async throws -> [Figure] {
        let lab = Lab.find()
        let needsLab = "needs the local lab (ci/lab/up)"
        switch figure {
        case "operations":
            let results = try await OperationsBench.run(uri: "test:///default", domain: "test", where: "test:///default",
                                                        queries: 20_000, virshCalls: 30, cycles: 2_000)
            guard let lab else {
                return results + [Figure.notMeasured(1, "operations, local lab", goal: "≥ 20×, < 1 ms added", why: needsLab)]
            }
            let connection = try await Connection.open(lab.uri(1))
            let domain = try await lab.startBenchDomain(connection)
            do {
                let onLab = try await OperationsBench.run(uri: lab.uri(1), domain: Lab.benchDomain, where: "local lab",
                                                          queries: 2_000, virshCalls: 30, cycles: 20)
                await lab.removeBenchDomain(domain)
                return results + onLab
            } catch {
                await lab.removeBenchDomain(domain)
                throw error
            }
        case "detection":
            guard let lab else { return [Figure.notMeasured(2, "detection latency", goal: "events, < 50 ms", why: needsLab)] }
            return [try await DetectionBench.run(lab, kills: 10, pollInterval: .milliseconds(200))]
        case "resolution":
            guard let lab else {
                return [Figure.notMeasured(3, "recovery-time error", goal: "≤ 200 ms", why: needsLab),
                        Figure.notMeasured(5, "harness overhead", goal: "≤ 1.05", why: needsLab)]
            }
            return try await ResolutionBench.run(lab, runs: 3)
        case "simulated":
            return [try await SimulatedBench.run(jobs: jobs, limit: limit)]
        case "scale":
            return [try await ScaleBench.run()]
        case "reports":
            return [try await ReportsBench.run(jobs: jobs, limit: limit)]
        case "probe-memory":
            return [try ProbeMemoryBench.run(parses: limit ?? 5_000)]
        default:
            throw BenchError("unknown figure '\(figure)' (expected \(figures.joined(separator: ", ")))")
        }
    }
}
