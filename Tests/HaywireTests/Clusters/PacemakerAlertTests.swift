import Foundation
import Testing
@testable import Haywire

/// The lab's alert agent's lines, and the instant a group came online.
@Suite struct PacemakerAlertTests {
    private let log = """
        1796183000.100000\tresource\tlab1\tvm1\tstop\t0\t0\t0\tok
        1796183001.250000\tresource\tlab2\tvmstore\tstart\t0\t0\t0\tok
        1796183001.300000\tresource\tlab2\tvmstore\tmonitor\t0\t0\t2000\tok
        1796183001.900000\tresource\tlab2\tvm1\tstart\t1\t0\t0\terror
        1796183002.456789\tresource\tlab2\tvm1\tstart\t0\t0\t0\tok
        1796183002.500000\tresource\tlab3\tvm1\tstart\t0\t0\t0\tok
        1796183003.000000\tresource\tlab2\tdummy:1\tstart\t0\t0\t0\tok
        1796183003.1\tnode\tlab1\t\t\t\t\t\tlost
        a torn last li
        """

    @Test func eachEventReadsAndATornLineDoesNot() {
        let alerts = PacemakerAlert.read(log)
        #expect(alerts.count == 8)
        #expect(alerts[4].at == Date(timeIntervalSince1970: 1_796_183_002.456789))
        #expect(alerts[4].resource == "vm1" && alerts[4].task == "start" && alerts[4].rc == 0)
        #expect(alerts[7].kind == "node" && alerts[7].rc == nil)
    }

    @Test func aGroupIsOnlineWhenItsLastMemberStartedThere() {
        let alerts = PacemakerAlert.read(log)
        let from = Date(timeIntervalSince1970: 1_796_183_000), to = Date(timeIntervalSince1970: 1_796_183_010)
        // The failed start of vm1 does not count, nor lab3's, nor the monitor.
        #expect(PacemakerAlert.online(["vmstore", "vm1"], on: "lab2", in: alerts, after: from, before: to)?.at
            == Date(timeIntervalSince1970: 1_796_183_002.456789))
        // A clone's instance is its resource.
        #expect(PacemakerAlert.online(["dummy"], on: "lab2", in: alerts, after: from, before: to)?.resource == "dummy:1")
        // Nothing in the window: no stamp, the poll's time stands.
        #expect(PacemakerAlert.online(["vmstore", "vm1"], on: "lab2", in: alerts, after: to, before: to.addingTimeInterval(5)) == nil)
        #expect(PacemakerAlert.online(["vm1"], on: "lab1", in: alerts, after: from, before: to) == nil)
    }
}
