/// A deterministic draw from a seed and whatever is mixed in (FNV-1a over
/// the bytes, then SplitMix64's finalizer): no state to save or restore.
public struct SeededDraw {
    private var state: UInt64

    public init(seed: UInt64) { state = seed ^ 0xcbf2_9ce4_8422_2325 }

    public mutating func mix(_ text: String) {
        for byte in text.utf8 { mix(byte: byte) }
        mix(byte: 0)
    }

    public mutating func mix(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { mix(byte: UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private mutating func mix(byte: UInt8) {
        state ^= UInt64(byte)
        state = state &* 0x100_0000_01b3
    }

    /// 64 well-mixed bits.
    public func value() -> UInt64 {
        var z = state &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A value in 0 ..< 1.
    public func unit() -> Double { Double(value() >> 11) / Double(UInt64(1) << 53) }
}
