import Foundation
import Testing
@testable import Haywire

/// The record's own JSON writer against JSONEncoder, over generated numbers
/// and strings (seeded; the seed is printed).
@Suite struct JSONBytesTests {
    @Test(arguments: PropertyBudget.seeds)
    func numbersAndStringsAreWrittenAsJSONEncoderWritesThem(_ seed: UInt64) throws {
        print("property seed \(seed)")
        var random = SplitMix(seed: seed)
        let numbers = (0..<20_000).map { _ in Self.number(&random) }
        let texts = (0..<2_000).map { _ in Self.text(&random) }
        var out = JSONBytes()
        out.array(numbers) { out, number in out.number(number) }
        let mine = String(decoding: out.data(), as: UTF8.self)
        let theirs = String(decoding: try RunRecord.encoder().encode(numbers), as: UTF8.self)
        for (index, (a, b)) in zip(mine.split(separator: ","), theirs.split(separator: ",")).enumerated() where a != b {
            Issue.record("seed \(seed): \(numbers[index]) written \(a), JSONEncoder writes \(b)")
            break
        }
        let numbersAgree = mine == theirs
        #expect(numbersAgree, "seed \(seed): the numbers' JSON differs")
        var strings = JSONBytes()
        strings.array(texts) { out, text in out.string(text) }
        let stringsAgree = strings.data() == (try RunRecord.encoder().encode(texts))
        #expect(stringsAgree, "seed \(seed): the strings' JSON differs")
    }

    /// Whole seconds, milliseconds (as timelines stamp), and any double.
    static func number(_ random: inout SplitMix) -> Double {
        let sign: Double = random.next() % 4 == 0 ? -1 : 1
        switch random.next() % 5 {
        case 0: return sign * Double(random.next() % 100_000)
        case 1: return sign * Double(random.next() % 10_000_000) / 1000
        case 2: return sign * Double(random.next() % 2_000_000_000_000) / 1000
        case 3: return sign * Double(bitPattern: random.next() % 0x7FE0_0000_0000_0000)
        default: return sign * Double(random.next() % 1_000_000) / Double(1 + random.next() % 10_000)
        }
    }

    static func text(_ random: inout SplitMix) -> String {
        let alphabet: [Character] = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1f}", "ü", "✓", "-", ">"]
        return String((0..<(random.next() % 40)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }
}
