import Foundation
import Libvirt
import Testing
@testable import Haywire

/// A guest on a real lab must carry haywire's opt-in marker before any
/// guest fault touches it. Hosts are test-driver node files here.
@Suite struct OptInTests {
    private func host(_ guests: [(name: String, marked: Bool)]) throws -> HostAccess {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-optin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let body = guests.map { guest in
            """
            <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
              <name>\(guest.name)</name><memory>65536</memory><os><type>hvm</type></os>
              \(guest.marked ? "<metadata><haywire:allowed xmlns:haywire='\(OptIn.uri)'/></metadata>" : "")
              <test:runstate>1</test:runstate>
            </domain>
            """
        }.joined(separator: "\n")
        let file = dir.appendingPathComponent("node.xml").path
        try "<node>\(body)</node>".write(toFile: file, atomically: true, encoding: .utf8)
        return HostAccess(name: "lab1", libvirtURI: "test://\(file)", shell: .netns(name: "lab1", pidFile: "/nonexistent"),
                          powerOff: nil, powerOn: nil)
    }

    @Test func aGuestWithoutTheMarkerIsRefusedAndOneWithItIsNot() async throws {
        let injector = LabInjector(hosts: [try host([("vm1", true), ("prod", false)])], clock: LabClock(), workingDirectory: ".")
        await #expect(throws: HarnessError("refused: guest prod on lab1 has not opted in to haywire's faults (no haywire:allowed in its <metadata>; haywire doctor --mark adds it)")) {
            _ = try await injector.inject(Fault.killGuest(guest: "prod"))
        }
        await #expect(throws: HarnessError.self) { _ = try await injector.plan(Fault.pauseGuest(guest: "prod")) }
        let injected = try await injector.inject(Fault.pauseGuest(guest: "vm1"))
        #expect(injected.detail == "virDomainSuspend vm1 on lab1")
        #expect(try await injector.verify(injected) == "vm1 is paused on lab1")
        #expect(try await injector.heal(injected) == "virDomainResume vm1 on lab1")
        // Once healed, the same check finds no trace of the fault.
        await #expect(throws: HarnessError("vm1 is running on lab1, not paused")) { _ = try await injector.verify(injected) }
        let killed = try await injector.inject(Fault.killGuest(guest: "vm1"))
        #expect(try await injector.verify(killed) == "vm1 is shut off on lab1")
    }

    @Test func markingAddsTheElementInHaywiresNamespace() async throws {
        let access = try host([("vm1", false)])
        let domain = try await Connection.open(access.libvirtURI!).lookupDomain(name: "vm1")
        #expect(try await !OptIn.isMarked(domain))
        try await OptIn.mark(domain)
        #expect(try await OptIn.isMarked(domain))
        #expect(try await domain.xmlDescription().contains(OptIn.uri))
    }
}
