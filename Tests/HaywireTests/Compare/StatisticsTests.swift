import Foundation
import Testing
@testable import Haywire

@Suite struct StatisticsTests {
    @Test func quantilesInterpolateBetweenOrderStatistics() {
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([4, 1, 3, 2]) == 2.5)
        #expect(Statistics.quantile([10, 20, 30, 40, 50], 0.95) == 48)
    }

    /// Hand-worked: baseline 1...8, current 9...16: U = 64 (every current
    /// value above every baseline value), mean 32, sigma sqrt(8*8*17/12)
    /// = 9.522; z = (64 - 32 - 0.5) / 9.522 = 3.308; one-sided p = 0.00047.
    @Test func mannWhitneyTellsSlowerFromTheSame() {
        let p = Statistics.slowerPValue(baseline: (1...8).map(Double.init), current: (9...16).map(Double.init))
        #expect(abs(p - 0.00047) < 0.00002)
        // The other way round is not slower.
        #expect(Statistics.slowerPValue(baseline: (9...16).map(Double.init), current: (1...8).map(Double.init)) > 0.99)
        // All tied: nothing can be told.
        #expect(Statistics.slowerPValue(baseline: [5, 5, 5], current: [5, 5, 5]) == 1)
    }

    @Test func theBootstrapIsSeededAndBracketsTheShift() {
        let base = (1...20).map(Double.init), now = base.map { $0 + 10 }
        let first = Statistics.bootstrapInterval(baseline: base, current: now, confidence: 0.95, seed: 7, quantile: 0.5)
        let again = Statistics.bootstrapInterval(baseline: base, current: now, confidence: 0.95, seed: 7, quantile: 0.5)
        #expect(first == again)
        #expect(first.low < 10 && 10 < first.high && first.low > 0)
    }

    /// The bootstrap reads each resample's quantile off counted ranks; it
    /// must give exactly what sorting the same draws gives, ties and all.
    @Test(arguments: PropertyBudget.seeds)
    func theBootstrapEqualsSortingEachResample(_ seed: UInt64) {
        print("property seed \(seed)")
        var random = SplitMix(seed: seed)
        for _ in 0..<20 {
            let values = { (count: Int) in (0..<count).map { _ in Double(random.next(in: 0...40)) / 4 } }
            let base = values(random.next(in: 0...30)), now = values(random.next(in: 1...30))
            let q = random.pick([0.5, 0.95, 0.0, 1.0, 0.25])
            let drawSeed = random.next()
            let counted = Statistics.bootstrapInterval(baseline: base, current: now, confidence: 0.9, resamples: 200, seed: drawSeed, quantile: q)
            let sorted = Self.sortingBootstrap(baseline: base, current: now, confidence: 0.9, resamples: 200, seed: drawSeed, q: q)
            #expect(counted.low.bitPattern == sorted.low.bitPattern && counted.high.bitPattern == sorted.high.bitPattern,
                    "seed \(seed): \(base) vs \(now) at q=\(q): \(counted) against \(sorted)")
        }
    }

    /// The bootstrap as first written: every resample drawn into an array and sorted.
    static func sortingBootstrap(baseline: [Double], current: [Double], confidence: Double, resamples: Int, seed: UInt64,
                                 q: Double) -> (low: Double, high: Double) {
        var random = Statistics.SeededDraws(seed: seed)
        func resample(_ values: [Double]) -> [Double] { values.map { _ in values[random.next(below: values.count)] } }
        let differences = (0..<resamples).map { _ in
            Statistics.quantile(resample(current), q) - Statistics.quantile(resample(baseline), q)
        }
        let tail = (1 - confidence) / 2
        return (Statistics.quantile(differences, tail), Statistics.quantile(differences, 1 - tail))
    }
}
