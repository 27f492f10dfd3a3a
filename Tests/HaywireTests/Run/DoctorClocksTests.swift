import Testing
@testable import Haywire

@Suite struct DoctorClocksTests {
    @Test func theShortestRoundTripIsTheReading() throws {
        // The first call pays an ssh handshake and comes back 3.7 s later.
        let reading = try #require(ClockReading(host: "lab2", samples: [(100.0, 103.6, 103.7), (104.0, 104.25, 104.3), (105.0, 105.3, 105.5)]))
        #expect(abs(reading.offset - 0.1) < 1e-9)
        #expect(abs(reading.uncertainty - 0.15) < 1e-9)
        #expect(ClockReading(host: "lab2", samples: []) == nil)
    }

    @Test func agreeingClocksPass() {
        let check = Doctor.clockCheck([ClockReading(host: "lab1", offset: 0.001, uncertainty: 0.001),
                                       ClockReading(host: "lab2", offset: 0.2, uncertainty: 0.25)], tolerance: .seconds(1))
        #expect(check.passed)
        #expect(check.what == "hosts' clocks agree within 1.000 s (read 0.199 s apart, each to within 0.250 s)")
    }

    @Test func aSkewBeyondTheUncertaintyFails() {
        let check = Doctor.clockCheck([ClockReading(host: "lab1", offset: 0, uncertainty: 0.001),
                                       ClockReading(host: "lab2", offset: 1.5, uncertainty: 0.2)], tolerance: .seconds(1))
        #expect(!check.passed)
        #expect(check.what.hasPrefix("lab2 and lab1 clocks differ by at least 1.299 s"))
    }

    @Test func aReadingTooLooseToTellFailsAndSaysSo() {
        let check = Doctor.clockCheck([ClockReading(host: "lab1", offset: 0, uncertainty: 0.001),
                                       ClockReading(host: "lab2", offset: 0.8, uncertainty: 0.5)], tolerance: .seconds(1))
        #expect(!check.passed)
        #expect(check.what.hasPrefix("cannot tell whether lab2 and lab1 clocks agree within 1.000 s"))
    }

    @Test func noReadingFails() {
        #expect(!Doctor.clockCheck([], tolerance: .seconds(1)).passed)
    }
}
