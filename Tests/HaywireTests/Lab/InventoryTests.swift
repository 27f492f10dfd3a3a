import Testing
import VCSConfig
@testable import Haywire

@Suite struct InventoryTests {
    private let inventory = Inventory(LabSpec(
        hosts: [.init(name: "hosta", location: SourceLocation(file: "s", line: 1, column: 1)),
                .init(name: "hostb", location: SourceLocation(file: "s", line: 2, column: 1))],
        guests: [.init(name: "vm1", hosts: ["hosta"], location: SourceLocation(file: "s", line: 3, column: 1))]))

    @Test func listedTargetsPass() throws {
        try inventory.check(Fault.killHost(host: "hostb"))
        try inventory.check(Fault.killGuest(guest: "vm1"))
        try inventory.check(Fault.other(kind: FaultKind("guest-on-host"), targets: FaultTargets(host: "hosta", guest: "vm1")))
    }

    @Test func anythingElseIsRefusedBeforeAnyCall() {
        #expect(throws: HarnessError("refused: host hostz is not in the lab inventory")) {
            try inventory.check(Fault.killHost(host: "hostz"))
        }
        #expect(throws: HarnessError("refused: guest prod-db is not in the lab inventory")) {
            try inventory.check(Fault.killGuest(guest: "prod-db"))
        }
        #expect(throws: HarnessError("refused: guest vm1 is not listed on host hostb")) {
            try inventory.check(Fault.other(kind: FaultKind("guest-on-host"), targets: FaultTargets(host: "hostb", guest: "vm1")))
        }
    }
}
