import Foundation
import Testing
import VCSConfig
import VCSSemantics
@testable import Haywire

/// KVM-KVM on a real lab: the hosts carry the cluster's nodes as guests.
@Suite struct ClusterInGuestsTests {
    private let members = ["vmc1": "lab1", "vmc2": "lab2", "vmc3": "lab3"]

    /// A fault on a member, or on the host under it, is that node failing;
    /// anything else is nothing the guests' cluster notices.
    @Test func faultsOnMembersAreNodeFailures() {
        func asked(_ fault: Fault) -> [PacemakerScheduler.Injection]? { SchedulerOracle.memberInjections(for: fault, members: members) }
        #expect(asked(.killHost(host: "lab2")) == [.nodeFails("vmc2")])
        #expect(asked(.killGuest(guest: "vmc1")) == [.nodeFails("vmc1")])
        #expect(asked(.crashGuest(guest: "vmc3")) == [.nodeFails("vmc3")])
        #expect(asked(.guestLinksDown(guest: "vmc1", macs: [])) == [.nodeFails("vmc1")])
        #expect(asked(.killProcess(where: .guest("vmc2"), process: "corosync")) == [.nodeFails("vmc2")])
        #expect(asked(.killProcess(where: .guest("vmc2"), process: "sshd")) == nil)
        #expect(asked(.killGuest(guest: "vm1")) == nil)
        #expect(asked(.killHost(host: "lab9")) == nil)
    }

    @Test func theLabSuiteLoadsWithTheGuestsAsItsSystems() throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/lab/cluster-in-guests.yaml")
        #expect(suite.cluster.config.systems.map(\.name) == ["vmc1", "vmc2", "vmc3"])
        #expect(suite.lab.host(named: "lab2")?.systems == ["vmc2"])
        #expect(SuiteFacts(suite).carriers == members)
        #expect(suite.scenarios.map(\.fault.kind) == [.killGuest, .crashGuest, .linkDown, .pauseGuest, .killProcess, .killHost])
    }

    /// kill-host: active(svc) is the host under svc's node; the guest faults
    /// name the node itself.
    @Test func activeNamesTheHostUnderTheNodeOnlyForHostFaults() throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/lab/cluster-in-guests.yaml")
        var targets = Targets(config: suite.cluster.model, state: ClusterState(groups: ["svc": ["vmc2": .online]]))
        targets.carriers = SuiteFacts(suite).carriers
        let faults: [Fault] = try suite.scenarios.map { try targets.fault($0.fault, links: ["eth0"]) }
        #expect(faults == [.killGuest(guest: "vmc2"), .crashGuest(guest: "vmc2"), .guestLinksDown(guest: "vmc2", macs: []),
                           .pauseGuest(guest: "vmc2"), .killProcess(where: .guest("vmc2"), process: "corosync"), .killHost(host: "lab2")])
    }

    @Test func aCarriedSystemOnARealLabMustBeAGuestWithItsAgent() {
        let text = """
            suite: s
            cluster: { manager: pacemaker, resources: { svc: [vmc1] } }
            lab:
              hosts:
                lab1: { libvirt: "test:///default", shell: local, systems: [vmc1] }
              guests:
                vmc1: { on: [lab1] }
            scenarios:
              - name: a
                fault: { kill-guest: vmc1 }
                expect: [ { group: svc, online: any, within: 1m } ]
            """
        #expect(throws: ConfigError.self) { try SuiteLoader.load(text: text, file: "s.yaml") }
        do {
            _ = try SuiteLoader.load(text: text, file: "s.yaml")
        } catch {
            #expect(error.description.contains("host 'lab1' carries system 'vmc1': on a real lab it must be a guest in lab.guests, on lab1, with 'shell: guest-agent'"),
                    "\(error)")
        }
        let fixed = text.replacingOccurrences(of: "vmc1: { on: [lab1] }", with: "vmc1: { on: [lab1], shell: guest-agent }")
        #expect(throws: Never.self) { try SuiteLoader.load(text: fixed, file: "s.yaml") }
    }
}
