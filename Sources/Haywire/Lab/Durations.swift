import Foundation

/// The longest duration a suite may give: a year (a fuzzer found that a
/// bigger one overflowed).
let longestDuration: Duration = .seconds(366 * 24 * 3600)

/// Parses `90s`, `3m`, `1h`, `500ms`, `1m30s`; a bare number is seconds.
/// Nil for anything else, or longer than `longestDuration`.
func parseDuration(_ text: String) -> Duration? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let seconds = Int(trimmed), seconds >= 0 { return seconds <= 366 * 24 * 3600 ? .seconds(seconds) : nil }
    var total = Duration.zero
    var number = ""
    var rest = Substring(trimmed)
    guard !rest.isEmpty else { return nil }
    while let c = rest.first {
        if c.isNumber || c == "." {
            number.append(c)
            rest = rest.dropFirst()
            continue
        }
        let unit = String(rest.prefix { $0.isLetter })
        rest = rest.dropFirst(unit.count)
        guard let value = Double(number), !unit.isEmpty else { return nil }
        let scale: Double
        switch unit {
        case "ms": scale = 0.001
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        default: return nil
        }
        let milliseconds = (value * scale * 1000).rounded()
        guard milliseconds.isFinite, milliseconds <= 366 * 24 * 3600 * 1000 else { return nil }
        total += .milliseconds(Int64(milliseconds))
        guard total <= longestDuration else { return nil }
        number = ""
    }
    return number.isEmpty ? total : nil
}

/// `250ms`, `13s`, `1m17s`, `1m17.5s`, `2h`.
public func formatDuration(_ duration: Duration) -> String {
    let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    if millis < 1000 { return "\(millis)ms" }
    let hours = millis / 3_600_000
    let minutes = millis / 60_000 % 60
    let seconds = millis % 60_000
    var text = ""
    if hours > 0 { text += "\(hours)h" }
    if minutes > 0 { text += "\(minutes)m" }
    if seconds > 0 {
        text += seconds % 1000 == 0 ? "\(seconds / 1000)s" : "\(seconds / 1000).\(threeDigits(seconds % 1000).trimmingSuffix("0"))s"
    }
    return text
}

/// Seconds with millisecond precision, as JUnit's `time` wants them:
/// `73.000`, `-0.500`.
func secondsText(_ duration: Duration) -> String { secondsText(millis: milliseconds(duration)) }

func secondsText(millis: Int64) -> String {
    String(unsafeUninitializedCapacity: secondsTextCapacity) { writeSeconds(millis: millis, into: $0) }
}

/// Whole milliseconds of `duration`, toward zero.
func milliseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds &* 1000 &+ duration.components.attoseconds / 1_000_000_000_000_000
}

/// The most bytes `writeSeconds` writes: sign, 16 digits, point, 3 digits.
let secondsTextCapacity = 24

/// `millis` as `secondsText` words it, at the start of `buffer`; returns
/// how many bytes it wrote.
func writeSeconds(millis: Int64, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
    var whole = millis.magnitude / 1000
    var count = 0
    if millis < 0 { buffer[0] = UInt8(ascii: "-"); count = 1 }
    // The whole seconds' digits, written backwards and then turned around.
    let wholeStart = count
    repeat {
        buffer[count] = UInt8(ascii: "0") + UInt8(whole % 10)
        whole /= 10
        count += 1
    } while whole > 0
    var low = wholeStart, high = count - 1
    while low < high {
        buffer.swapAt(low, high)
        low += 1
        high -= 1
    }
    let fraction = millis.magnitude % 1000
    buffer[count] = UInt8(ascii: ".")
    buffer[count + 1] = UInt8(ascii: "0") + UInt8(fraction / 100)
    buffer[count + 2] = UInt8(ascii: "0") + UInt8(fraction / 10 % 10)
    buffer[count + 3] = UInt8(ascii: "0") + UInt8(fraction % 10)
    return count + 4
}

/// `value` to one decimal, as String(format: "%.1f") would, without its cost.
func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
}

/// 0...999 as three digits, without the cost of String(format:).
private func threeDigits(_ value: Int64) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
}

extension String {
    fileprivate func trimmingSuffix(_ character: Character) -> String {
        var result = self
        while result.last == character { result.removeLast() }
        return result
    }
}

/// A duration in seconds, as a run record writes it.
func secondsValue(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Seconds read back, to the millisecond; what is not finite is zero.
func duration(seconds: Double) -> Duration { .milliseconds(milliseconds(seconds: seconds)) }

/// Seconds as whole milliseconds, clamped to ±10^12 s; what is not finite is zero.
func milliseconds(seconds: Double) -> Int64 {
    guard seconds.isFinite else { return 0 }
    return Int64((min(max(seconds, -1e12), 1e12) * 1000).rounded())
}
