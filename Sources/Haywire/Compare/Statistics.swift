import Foundation

/// The statistics `haywire compare` uses: quantiles, the Mann–Whitney U
/// test for "slower", and a seeded bootstrap for confidence intervals.
enum Statistics {
    /// The q-quantile (0...1) by linear interpolation between order statistics.
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        guard sorted.count > 1 else { return sorted.first ?? .nan }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    static func median(_ values: [Double]) -> Double { quantile(values, 0.5) }

    /// One-sided p-value that `current` tends to be larger than `baseline`
    /// (Mann–Whitney U, normal approximation with tie and continuity
    /// corrections). 1 when nothing can be told (every value tied).
    static func slowerPValue(baseline: [Double], current: [Double]) -> Double {
        let a = Double(baseline.count), b = Double(current.count), n = a + b
        guard a > 0, b > 0 else { return 1 }
        let all = (baseline.map { ($0, false) } + current.map { ($0, true) }).sorted { $0.0 < $1.0 }
        var ranks = [Double](repeating: 0, count: all.count)
        var ties = 0.0
        var i = 0
        while i < all.count {
            var j = i
            while j + 1 < all.count && all[j + 1].0 == all[i].0 { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[k] = rank }
            let t = Double(j - i + 1)
            ties += t * t * t - t
            i = j + 1
        }
        let currentRanks = zip(all, ranks).filter { $0.0.1 }.map(\.1).reduce(0, +)
        let u = currentRanks - b * (b + 1) / 2
        let variance = a * b / 12 * ((n + 1) - ties / (n * (n - 1)))
        guard variance > 0 else { return 1 }
        let z = (u - a * b / 2 - 0.5) / variance.squareRoot()
        return 0.5 * erfc(z / 2.0.squareRoot())
    }

    /// A `confidence` interval of the q-quantile's shift, `quantile(current, q)
    /// - quantile(baseline, q)`, from `resamples` bootstrap draws, seeded:
    /// the same inputs give the same interval.
    static func bootstrapInterval(baseline: [Double], current: [Double], confidence: Double, resamples: Int = 2000,
                                  seed: UInt64, quantile q: Double) -> (low: Double, high: Double) {
        var random = SeededDraws(seed: seed)
        func next(_ bound: Int) -> Int { random.next(below: bound) }
        var now = Draws(current), before = Draws(baseline)
        let differences = (0..<resamples).map { _ in now.resampledQuantile(q, next) - before.resampledQuantile(q, next) }
        let tail = (1 - confidence) / 2
        return (quantile(differences, tail), quantile(differences, 1 - tail))
    }

    /// The bootstrap's positions, SplitMix64: the same seed, the same draws.
    struct SeededDraws {
        var state: UInt64
        init(seed: UInt64) { state = seed }

        mutating func next(below bound: Int) -> Int {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// Resampling with replacement without sorting each resample: a draw
    /// counts the rank of the value it picks, and the quantile is read off
    /// the counts in rank order. O(n) a resample instead of O(n log n), the
    /// same draws and the same result as sorting them (a test holds it).
    private struct Draws {
        let sorted: [Double]
        /// rank[i]: where values[i] sits in `sorted`.
        let rank: [Int]
        var counts: [Int]

        init(_ values: [Double]) {
            let order = values.indices.sorted { values[$0] < values[$1] }
            sorted = order.map { values[$0] }
            var rank = [Int](repeating: 0, count: values.count)
            for (position, index) in order.enumerated() { rank[index] = position }
            self.rank = rank
            counts = [Int](repeating: 0, count: values.count)
        }

        mutating func resampledQuantile(_ q: Double, _ next: (Int) -> Int) -> Double {
            let n = sorted.count
            for index in counts.indices { counts[index] = 0 }
            for _ in 0..<n { counts[rank[next(n)]] += 1 }
            guard n > 1 else { return sorted.first ?? .nan }
            let position = q * Double(n - 1)
            let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
            var seen = 0
            var lowValue: Double?
            for index in 0..<n {
                seen += counts[index]
                if lowValue == nil, seen > low { lowValue = sorted[index] }
                if seen > high { return lowValue! + (sorted[index] - lowValue!) * (position - Double(low)) }
            }
            return sorted[n - 1]
        }
    }
}
