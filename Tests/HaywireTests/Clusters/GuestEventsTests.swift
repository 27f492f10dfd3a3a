import Foundation
import Libvirt
import Testing
@testable import Haywire

/// A nested host's outer domain, watched on its outer hypervisor: its
/// stop and start are on the timeline as the host becoming unreachable and
/// running again; the outer hypervisor's other domains are not.
@Suite struct GuestEventsTests {
    @Test func aNestedHostsOuterDomainIsOnTheTimeline() async throws {
        // test:///default is one hypervisor per process: a domain of our own in it.
        let outer = try await Connection.open("test:///default")
        let name = "nested-\(UUID().uuidString.prefix(8))", other = "bystander-\(UUID().uuidString.prefix(8))"
        func define(_ domain: String) async throws -> Domain {
            try await outer.defineDomain(xml: "<domain type='test'><name>\(domain)</name><memory>65536</memory><os><type>hvm</type></os></domain>")
        }
        let nested = try await define(name), bystander = try await define(other)
        try await nested.start()
        try await bystander.start()
        let events = GuestEvents(clock: LabClock())
        await events.listen(to: [HostAccess(name: "nh1", libvirtURI: nil, shell: .local, powerOff: nil, powerOn: nil,
                                            outer: OuterDomain(libvirt: "test:///default", domain: name))])
        try await bystander.destroy()
        try await nested.destroy()
        try await nested.start()
        var texts: [String] = []
        // A deadline, not a timing: under the full suite, CPU-bound tests on
        // the runner's two cooperative threads delay the listener by seconds.
        let deadline = ContinuousClock.now + .seconds(60)
        while texts.count < 2, ContinuousClock.now < deadline {
            texts += await events.drain().map(\.text)
            try await Task.sleep(for: .milliseconds(10))
        }
        await events.stop()
        try? await nested.destroy()
        try await nested.undefine()
        try await bystander.undefine()
        #expect(texts == ["nested host nh1: outer libvirt: \(name) stopped (destroyed); nh1 is unreachable",
                          "nested host nh1: outer libvirt: \(name) started; nh1 runs again"])
    }
}
