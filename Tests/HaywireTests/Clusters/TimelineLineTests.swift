import Foundation
import Testing
@testable import Haywire

/// A timeline line's stamp and padding, over generated stamps (seeded).
@Suite struct TimelineLineTests {
    @Test func lineIsStampKindAndText() {
        #expect(TimelineEntry(time: .milliseconds(73_000), kind: .state, text: "vmgrp on hosta: ONLINE -> OFFLINE").line
            == "[    73.000s] state   vmgrp on hosta: ONLINE -> OFFLINE")
        #expect(TimelineEntry(time: .milliseconds(-1_500), kind: .log, text: "before the fault").line == "[    -1.500s] log     before the fault")
        #expect(TimelineEntry(time: .milliseconds(-5), kind: .note, text: "").line == "[    -0.005s] note    ")
        #expect(TimelineEntry(time: .seconds(12_345_678_901), kind: .verdict, text: "ü").line == "[12345678901.000s] verdict ü")
        #expect(secondsText(.milliseconds(-500)) == "-0.500")
    }

    @Test(arguments: PropertyBudget.seeds)
    func recordAndResultLinesAgree(_ seed: UInt64) {
        print("property seed \(seed)")
        var random = SplitMix(seed: seed)
        for _ in 0..<5_000 {
            let millis = Int64(random.next() % 2_000_000_000) - 100_000
            let kind = random.pick([TimelineEntry.Kind.fault, .heal, .state, .cluster, .verdict, .note, .log])
            let entry = TimelineEntry(time: .milliseconds(millis), kind: kind, text: "text \(millis)")
            let event = RunRecord.Event(t: Double(millis) / 1000, kind: kind.rawValue, text: entry.text)
            let magnitude = millis.magnitude
            let fraction = String(magnitude % 1000)
            let stamp = (millis < 0 ? "-" : "") + "\(magnitude / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
            let expected = "[" + String(repeating: " ", count: max(0, 10 - stamp.count)) + stamp + "s] "
                + kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + entry.text
            #expect(entry.line == expected, "seed \(seed)")
            #expect(event.line == expected, "seed \(seed)")
        }
    }
}
