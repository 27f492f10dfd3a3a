import Foundation
import Testing

/// `haywire bench` runs each figure in a child of its own and tabulates
/// them; the figures' timings are for release builds and are not judged here.
@Suite struct BenchCommandTests {
    @Test func figuresRunInTheirOwnProcessesAndEndInATable() async throws {
        let result = try await CLI.run(["bench", "scale", "reports", "--limit", "200"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("scale: 64 hosts, 1024 guests: inventory"))
        #expect(result.stdout.contains("| # | Figure | haywire | Baseline | Ratio | Goal | |"))
        #expect(result.stdout.contains("| 6 | scale: 64 hosts, 1,024 guests | inventory "))
        #expect(result.stdout.contains("| 7 | reports of 200 planned scenarios | "))
        #expect(result.stdout.contains("reports: 200 planned scenarios ("))
        #expect(!result.stdout.contains("FIGURE\t"))
    }

    @Test func anUnknownFigureIsInvalidInput() async throws {
        let result = try await CLI.run(["bench", "throughput"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown figure 'throughput' (expected operations, detection, resolution, simulated, scale, reports, probe-memory)"))
    }
}
