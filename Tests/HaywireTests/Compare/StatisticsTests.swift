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
        let first = Statistics.bootstrapInterval(baseline: base, current: now, confidence: 0.95, seed: 7, statistic: Statistics.median)
        let again = Statistics.bootstrapInterval(baseline: base, current: now, confidence: 0.95, seed: 7, statistic: Statistics.median)
        #expect(first == again)
        #expect(first.low < 10 && 10 < first.high && first.low > 0)
    }
}
