import Foundation
import Libvirt
import Testing
import VCSConfig
import VCSSemantics
@testable import Haywire

/// A nested lab on test drivers: an outer hypervisor whose domains are the
/// hosts, and each host's own hypervisor holding the guest.
@Suite struct NestedHostTests {
    private static func node(_ domains: [(String, running: Bool)]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-nested-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let body = domains.map { name, running in
            """
            <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
              <name>\(name)</name><memory>65536</memory><os><type>hvm</type></os>
              <test:runstate>\(running ? 1 : 5)</test:runstate>
            </domain>
            """
        }.joined(separator: "\n")
        let file = dir.appendingPathComponent("node.xml").path
        try "<node>\(body)</node>".write(toFile: file, atomically: true, encoding: .utf8)
        return "test://\(file)"
    }

    /// Answers for the host it is asked on, and remembers who was asked.
    private actor Asked { var hosts: [String] = []; func add(_ h: String) { hosts.append(h) } }
    private struct Reader: StatusReader {
        let asked: Asked
        func read(on shell: any CommandRunner) async throws -> StatusRead {
            guard case .netns(let name, _) = shell as? Shell else { throw HarnessError("unexpected shell") }
            await asked.add(name)
            return StatusRead(state: ClusterState(systems: [name: .running]), authoritative: true)
        }
    }

    private func lab() async throws -> (LabInjector, Connection, [HostAccess]) {
        let outer = try Self.node([("nested-a", true), ("nested-b", true)])
        let hosts = [
            HostAccess(name: "hosta", libvirtURI: try Self.node([("vm1", true)]), shell: .netns(name: "hosta", pidFile: "/nonexistent"),
                       powerOff: nil, powerOn: nil, outer: OuterDomain(libvirt: outer, domain: "nested-a")),
            HostAccess(name: "hostb", libvirtURI: try Self.node([("vm1", false)]), shell: .netns(name: "hostb", pidFile: "/nonexistent"),
                       powerOff: nil, powerOn: nil, outer: OuterDomain(libvirt: outer, domain: "nested-b")),
        ]
        let injector = LabInjector(hosts: hosts, clock: LabClock(), workingDirectory: ".")
        // test:///file connections are private: watch the outer through the injector's own.
        return (injector, try await Connection.open(outer), hosts)
    }

    @Test func killHostGoesThroughTheOuterHypervisorAndItsGuestsBecomeUnreachable() async throws {
        let (injector, _, hosts) = try await lab()
        let injected = try await injector.inject(Fault.killHost(host: "hosta"))
        #expect(injected.detail.hasPrefix("virDomainDestroy nested-a on test://"))
        #expect(try await injector.outers.domain(of: "hosta").state().state == .shutoff)
        // vm1 still "runs" in hosta's own hypervisor, but hosta is off: unreachable.
        await #expect(throws: HarnessError.self) {
            _ = try await injector.inject(Fault.killGuest(guest: "vm1"))
        }
        // The probe skips the dead host and asks the next one.
        let asked = Asked()
        let probe = PollingProbe(hosts: hosts.map { ($0.name, $0.shell) }, reader: Reader(asked: asked),
                                 interval: .milliseconds(10), clock: LabClock(), outers: injector.outers)
        #expect(try await probe.state().systems == ["hostb": .running])
        #expect(await asked.hosts == ["hostb"])
        #expect(try await injector.heal(injected).hasPrefix("virDomainCreate nested-a"))
        #expect(try await injector.outers.domain(of: "hosta").isRunning())
        #expect(try await injector.heal(injected) == "hosta already runs")
    }

    @Test func pauseHostSuspendsAndResumesTheOuterDomain() async throws {
        let (injector, _, _) = try await lab()
        let injected = try await injector.inject(Fault.pauseHost(host: "hostb"))
        #expect(try await injector.outers.domain(of: "hostb").state().state == .paused)
        #expect(await !injector.outers.isReachable("hostb"))
        #expect(try await injector.heal(injected).hasPrefix("virDomainResume nested-b"))
        #expect(try await injector.heal(injected) == "hostb is not paused")
        #expect(await injector.outers.isReachable("hostb"))
    }

    @Test func pauseHostNeedsAnOuterHypervisor() async throws {
        let injector = LabInjector(
            hosts: [HostAccess(name: "h", libvirtURI: nil, shell: .local, powerOff: nil, powerOn: nil)],
            clock: LabClock(), workingDirectory: ".")
        await #expect(throws: HarnessError("pause-host needs host h to name its outer hypervisor (outer: { libvirt, domain })")) {
            _ = try await injector.inject(Fault.pauseHost(host: "h"))
        }
    }
}
