import Foundation
import Testing
@testable import Haywire

@Suite struct FaultTests {
    static let every: [Fault] = [
        .killGuest(guest: "vm1"), .crashGuest(guest: "vm1"), .pauseGuest(guest: "vm1"),
        .shutdownGuest(guest: "vm1"), .rebootGuest(guest: "vm1"), .killHost(host: "lab1"), .pauseHost(host: "lab1"),
        .linkDown(host: "lab1", links: ["eth0", "eth1"]), .guestLinksDown(guest: "vm1", macs: []),
        .guestLinksDown(guest: "vm1", macs: ["52:54:00:00:00:01"]), .unmount(host: "lab1", mount: "/srv"),
        .detachDisk(guest: "vm1", disk: "vdb"), .killProcess(where: .host("lab1"), process: "corosync"),
        .killProcess(where: .guest("vm1"), process: "had"), .partition(sides: [["a"], ["b", "c"]]),
        .other(kind: FaultKind("yank-power"), targets: FaultTargets(host: "lab1")),
    ]

    @Test(arguments: every) func aFaultReadsBackAsWritten(_ fault: Fault) throws {
        let data = try JSONEncoder().encode(fault)
        #expect(try JSONDecoder().decode(Fault.self, from: data) == fault)
    }

    /// Journal lines as haywire wrote them before faults were typed (the
    /// flat record of every target, with the `for` duration in it).
    @Test func aJournalWrittenBeforeTypedFaultsStillReads() throws {
        let lines = [
            #"{"op":"inject","id":"1","suite":"/s.yaml","fault":{"kind":"link-down","host":"lab1","links":["eth0"],"duration":[0,30000000000000000000],"sides":[]}}"#,
            #"{"op":"inject","id":"2","suite":"/s.yaml","fault":{"kind":"kill-guest","guest":"vm1","links":[],"sides":[]}}"#,
            #"{"op":"inject","id":"3","suite":"/s.yaml","fault":{"kind":"link-down","guest":"vm1","links":["52:54:00:aa:bb:cc"],"sides":[]}}"#,
            #"{"op":"inject","id":"4","suite":"/s.yaml","fault":{"kind":"detach-disk","guest":"vm1","links":[],"device":"vdb","sides":[]}}"#,
            #"{"op":"inject","id":"5","suite":"/s.yaml","fault":{"kind":"kill-process","host":"lab2","links":[],"process":"pacemakerd","sides":[]}}"#,
            #"{"op":"healed","id":"2"}"#,
        ]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-journal-\(UUID().uuidString)").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let open = try Journal(path: path).outstanding()
        #expect(open.map(\.fault) == [
            .linkDown(host: "lab1", links: ["eth0"]),
            .guestLinksDown(guest: "vm1", macs: ["52:54:00:aa:bb:cc"]),
            .detachDisk(guest: "vm1", disk: "vdb"),
            .killProcess(where: .host("lab2"), process: "pacemakerd"),
        ])
    }

    @Test func aRecordWithoutItsTargetsIsRefused() {
        let line = #"{"kind":"unmount","host":"lab1","links":[]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Fault.self, from: Data(line.utf8)) }
        #expect(throws: FaultShapeError.self) { try Fault(kind: .killProcess, targets: FaultTargets(process: "had")) }
    }

    /// The words on timelines and in reports stay those of before.
    @Test func descriptionsNameEveryTarget() {
        #expect(Fault.linkDown(host: "lab1", links: ["eth0"]).description == "link-down host lab1 links eth0")
        #expect(Fault.guestLinksDown(guest: "vm1", macs: []).description == "link-down guest vm1")
        #expect(Fault.killProcess(where: .guest("vm1"), process: "had").description == "kill-process guest vm1 process had")
        #expect(Fault.partition(sides: [["a"], ["b", "c"]]).description == "partition a | b,c")
    }

    @Test func eachBackendSupportsWhatItHasHandlersFor() {
        #expect(SimulatedInjector.standard.kinds == Set(FaultKind.builtIn))
        #expect(LabInjector.standard.kinds == Set(FaultKind.builtIn).subtracting([.partition]))
    }
}
