import Foundation
import Testing
@testable import Haywire

/// `online: next` is where the simulator sends the group, for every
/// FailOverPolicy: both come from the same rules.
@Suite struct PolicyTargetTests {
    static func config(policy: String, extraGroup: Bool = false) -> String {
        """
        cluster c ( )
        system s1 ( )
        system s2 ( Capacity = 100 )
        system s3 ( Capacity = 80 )
        group busy ( SystemList = { s2 = 0, s3 = 1 } AutoStartList = { s2 } Load = 30 )
            Application b ( StartProgram = "/usr/bin/virsh start vmb" PidFiles = { "/var/run/libvirt/qemu/vmb.pid" } )
        group g ( SystemList = { s1 = 0, s2 = 1, s3 = 2 } AutoStartList = { s1 } FailOverPolicy = \(policy) Load = 10 )
            Application a ( StartProgram = "/usr/bin/virsh start vm1" PidFiles = { "/var/run/libvirt/qemu/vm1.pid" } )
        \(extraGroup ? """
        group h ( SystemList = { s1 = 0, s2 = 1, s3 = 2 } AutoStartList = { s1 } FailOverPolicy = \(policy) )
            Application c ( StartProgram = "/usr/bin/virsh start vmc" PidFiles = { "/var/run/libvirt/qemu/vmc.pid" } )
        """ : "")
        """
    }

    static func run(_ mainCf: String, scenarios: String) async throws -> SuiteResult {
        let dir = try fixtureFolder(["c.main.cf": mainCf, "suite.yaml": """
            suite: policy
            cluster: { manager: simulated, config: c.main.cf }
            lab:
              hosts: { s1: {}, s2: {}, s3: {} }
              guests:
                vm1: { on: [s1, s2, s3] }
                vmb: { on: [s2, s3] }
                vmc: { on: [s1, s2, s3] }
            scenarios:
            \(scenarios)
            """])
        return await Runner(factory: SimulatedBackendFactory()).run(try SuiteLoader.load(path: "\(dir)/suite.yaml"))
    }

    static let killGuest = """
          - name: kill g's guest
            fault: { kill-guest: vm1 }
            expect: [ { group: g, online: next, within: 10m } ]
        """

    @Test(arguments: [("Priority", "s2"), ("RoundRobin", "s3"), ("Load", "s3")])
    func nextIsWhereTheSimulatorSendsTheGroup(_ policy: String, _ expected: String) async throws {
        let result = try await Self.run(Self.config(policy: policy), scenarios: Self.killGuest)
        let scenario = try #require(result.scenarios.first)
        #expect(scenario.verdict == .passed, "\(policy): \(scenario.message)")
        #expect(scenario.timeline.contains { $0.text.contains("failing g over from s1 to \(expected)") }, "\(policy)")
    }

    @Test func groupsLostWithTheirSystemAreCountedOneAfterTheOther() async throws {
        // g and h both leave s1; g goes first, to s3 (s2 holds busy); h then
        // finds s2 and s3 holding one group each and takes s2 by priority.
        let result = try await Self.run(Self.config(policy: "RoundRobin", extraGroup: true), scenarios: """
              - name: power loss of s1
                fault: { kill-host: s1 }
                expect:
                  - { group: g, online: next, within: 10m }
                  - { group: h, online: next, within: 10m }
            """)
        let scenario = try #require(result.scenarios.first)
        #expect(scenario.verdict == .passed, "\(scenario.message)")
        #expect(scenario.timeline.contains { $0.text.contains("failing g over from s1 to s3") })
        #expect(scenario.timeline.contains { $0.text.contains("failing h over from s1 to s2") })
    }
}
