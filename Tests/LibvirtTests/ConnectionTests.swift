import Foundation
import Libvirt
import Testing

@Suite struct ConnectionTests {
    @Test func defaultTestDriverListsItsSampleDomain() async throws {
        let connection = try await Connection.open("test:///default")
        let names = try await connection.listDomains().map(\.name)
        #expect(names.contains("test"))
    }

    @Test func lookingUpAMissingDomainGivesNoDomain() async throws {
        let connection = try await Connection.open("test:///default")
        let error = await #expect(throws: LibvirtError.self) {
            _ = try await connection.lookupDomain(name: "no-such-guest")
        }
        #expect(error?.code == LibvirtError.noDomainCode)
        #expect(error?.isNoDomain == true)
        #expect(error?.domain == 12)  // VIR_FROM_TEST
    }

    @Test func openingABadURIFailsWithAnError() async throws {
        let error = await #expect(throws: LibvirtError.self) {
            _ = try await Connection.open("test:///nonexistent/dir/node.xml")
        }
        #expect(error?.message.isEmpty == false)
    }

    @Test func callsOnAClosedConnectionFail() async throws {
        let connection = try await Connection.open("test:///default")
        await connection.close()
        await connection.close()
        await #expect(throws: LibvirtError.self) { _ = try await connection.listDomains() }
    }
}
