import Foundation
import Libvirt
import Testing

@Suite struct DomainTests {
    @Test func nodeFileDomainsGoThroughTheirLifecycle() async throws {
        let node = try writeNode(domains: ["vm1", "vm2"])
        let connection = try await Connection.open("test://\(node.path)")
        #expect(try await connection.listDomains().map(\.name) == ["vm1", "vm2"])

        let vm1 = try await connection.lookupDomain(name: "vm1")
        // A node file's domains start running.
        #expect(try await vm1.state().state == .running)
        try await vm1.destroy()
        let off = try await vm1.state()
        #expect(off.state == .shutoff)
        #expect(off.reasonName == "destroyed")
        try await vm1.start()
        #expect(try await vm1.isRunning())
        try await vm1.suspend()
        #expect(try await vm1.state() == DomainStateInfo(state: .paused, reason: 1))
        try await vm1.resume()
        try await vm1.injectNMI()
        #expect(try await vm1.isRunning())
        try await vm1.shutdown()
        #expect(try await vm1.state().state == .shutoff)
    }

    @Test func metadataIsStoredAndReadByNamespace() async throws {
        let connection = try await Connection.open("test://\(try writeNode(domains: ["vm1"]).path)")
        let vm1 = try await connection.lookupDomain(name: "vm1")
        let uri = "https://haywire.invalid/ns/opt-in/1"
        #expect(try await vm1.metadata(uri: uri) == nil)
        try await vm1.setMetadata("<allowed/>", key: "haywire", uri: uri)
        let stored = try #require(try await vm1.metadata(uri: uri))
        #expect(stored.contains("allowed"))
        #expect(try await vm1.metadata(uri: "https://other.invalid/") == nil)
    }

    @Test func eachNodeFileIsItsOwnHypervisor() async throws {
        let a = try await Connection.open("test://\(try writeNode(domains: ["g"]).path)")
        let b = try await Connection.open("test://\(try writeNode(domains: ["g"]).path)")
        try await a.lookupDomain(name: "g").destroy()
        #expect(try await a.lookupDomain(name: "g").state().state == .shutoff)
        #expect(try await b.lookupDomain(name: "g").state().state == .running)
    }

    @Test func defineAndUndefine() async throws {
        let connection = try await Connection.open("test://\(try writeNode(domains: []).path)")
        let xml = "<domain type='test'><name>fresh</name><memory>65536</memory><os><type>hvm</type></os></domain>"
        let domain = try await connection.defineDomain(xml: xml)
        #expect(domain.name == "fresh")
        #expect(domain.uuid.count == 36)
        #expect(try await domain.xmlDescription().contains("<name>fresh</name>"))
        #expect(try await domain.state().state == .shutoff)
        try await domain.undefine()
        let error = await #expect(throws: LibvirtError.self) { _ = try await connection.lookupDomain(name: "fresh") }
        #expect(error?.isNoDomain == true)
    }

    @Test func theTestDriverCannotChangeDevices() async throws {
        // As measured in LAB-NOTES: link and disk faults need a real libvirtd.
        let connection = try await Connection.open("test://\(try writeNode(domains: ["g"]).path)")
        let domain = try await connection.lookupDomain(name: "g")
        let error = await #expect(throws: LibvirtError.self) {
            try await domain.updateDevice(xml: "<interface type='network'><mac address='52:54:00:00:00:01'/><link state='down'/></interface>")
        }
        #expect(error?.code == LibvirtError.noSupportCode)
    }

    @Test func startingARunningDomainFails() async throws {
        let connection = try await Connection.open("test://\(try writeNode(domains: ["g"]).path)")
        let domain = try await connection.lookupDomain(name: "g")
        let error = await #expect(throws: LibvirtError.self) { try await domain.start() }
        #expect(error?.code == 1)
        #expect(error?.message.contains("already running") == true)
    }
}
