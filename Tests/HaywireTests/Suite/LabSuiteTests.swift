import Foundation
import Testing
import VCSConfig
@testable import Haywire

@Suite struct LabSuiteTests {
    @Test func theLabSuiteLoadsWithItsHostsAndGroups() throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/lab/pacemaker.yaml")
        #expect(suite.cluster.manager == .pacemaker)
        #expect(suite.cluster.probeInterval == .milliseconds(200))
        #expect(suite.cluster.config.group(named: "vmgrp")?.systemList.map(\.system) == ["lab1", "lab2", "lab3"])
        let lab1 = try #require(suite.lab.host(named: "lab1"))
        #expect(lab1.shell == .netns(name: "lab1", pidFile: "/var/tmp/haywire-lab/lab1/init.pid"))
        #expect(lab1.libvirt?.hasPrefix("qemu+unix:///system?socket=") == true)
        #expect(lab1.powerOff == "../../ci/lab/power-off 1")
        #expect(suite.lab.guests.first?.ready == "../../ci/lab/guest-ready")
        #expect(suite.steadyWithin == .seconds(120))
        #expect(suite.cluster.config.group(named: "dummy-clone")?.isParallel == true)
        #expect(suite.scenarios.map(\.fault.kind) == [.killGuest, .killGuest, .killHost, .unmount, .linkDown, .pauseGuest, .killProcess, .crashGuest, .linkDown, .detachDisk])
    }

    private func lab(_ cluster: String, host: String = "libvirt: test:///default, shell: local") -> String {
        """
        suite: s
        cluster: \(cluster)
        lab:
          hosts:
            n1: { \(host) }
        scenarios:
          - name: a
            fault: { kill-host: n1 }
            expect: [ { group: g, online: any, within: 1m } ]
        """
    }

    private func error(_ text: String) -> String? {
        do {
            _ = try SuiteLoader.load(text: text, file: "s.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    /// Keys every YAML reader reads alike: `hosts:` places a guest and
    /// `power: { cut, restore }` names the power commands; YAML 1.1 readers
    /// read the old names `on:` and `off:` as booleans, so they are kept
    /// only as aliases, and naming both forms is an error.
    @Test func guestPlacementAndPowerHaveNamesEveryYAMLReaderReadsAlike() throws {
        func suite(_ guest: String, _ power: String) -> String {
            """
            suite: s
            cluster: { manager: pacemaker, resources: { g: [n1] } }
            lab:
              hosts:
                n1: { libvirt: test:///default, shell: local, power: { \(power) } }
              guests:
                vm: { \(guest) }
            scenarios:
              - name: a
                fault: { kill-host: n1 }
                expect: [ { group: g, online: any, within: 1m } ]
            """
        }
        for (guest, power) in [("hosts: [n1]", "cut: ./off, restore: ./on"), ("on: [n1]", "off: ./off, on: ./on")] {
            let lab = try SuiteLoader.load(text: suite(guest, power), file: "s.yaml").lab
            #expect(lab.guests.first?.hosts == ["n1"])
            #expect(lab.host(named: "n1")?.powerOff == "./off")
            #expect(lab.host(named: "n1")?.powerOn == "./on")
        }
        #expect(error(suite("hosts: [n1], on: [n1]", "cut: ./off"))
            == "s.yaml:7:28: error: guest vm names its hosts twice: keep 'hosts' ('on' is its old name)")
        #expect(error(suite("hosts: [n1]", "cut: ./off, off: ./off"))
            == "s.yaml:5:77: error: power names 'cut' twice: keep 'cut' ('off' is its old name)")
        #expect(error(suite("ready: x", "cut: ./off")) == "s.yaml:7:9: error: guest vm needs 'hosts'")
    }

    /// A nested host's uplink and disk, through its outer hypervisor: only
    /// hosts with `outer:` may be named, by name or where a group runs.
    @Test func nestedDeviceFaultsNameOnlyNestedHosts() throws {
        func suite(_ fault: String) -> String {
            """
            suite: s
            cluster: { manager: pacemaker, groups: { g: [n1, n2] } }
            lab:
              hosts:
                n1: { libvirt: test:///default, shell: local, outer: { libvirt: test:///default, domain: nested-1 } }
                n2: { libvirt: test:///default, shell: local }
            scenarios:
              - name: a
                fault: \(fault)
                expect: [ { group: g, online: any, within: 1m } ]
            """
        }
        let links = try SuiteLoader.load(text: suite("{ link-down: { nested: n1, mac: 52:54:00:AA:00:01 }, for: 20s }"), file: "s.yaml")
        #expect(links.scenarios[0].fault.target == .outerLinks(.named("n1"), ["52:54:00:aa:00:01"]))
        #expect(links.scenarios[0].fault.description == "link-down nested n1 52:54:00:aa:00:01 for 20s")
        let disk = try SuiteLoader.load(text: suite("{ detach-disk: { nested: n1, target: vdb } }"), file: "s.yaml")
        #expect(disk.scenarios[0].fault.target == .outerDisk(.named("n1"), "vdb"))
        #expect(error(suite("{ link-down: { nested: n2 } }"))
            == "s.yaml:9:35: error: host 'n2' is not nested: give it outer: { libvirt, domain } in lab.hosts")
        #expect(error(suite("{ link-down: { nested: active(g) } }"))
            == "s.yaml:9:35: error: host 'n2' is not nested: give it outer: { libvirt, domain } in lab.hosts")
        #expect(error(suite("{ detach-disk: { nested: n1, guest: vm, target: vdb } }"))
            == "s.yaml:9:27: error: detach-disk names either a guest or a nested host")
        // The typed fault keeps 'outer' through the journal's flat form.
        let fault = Fault.outerLinksDown(host: "n1", macs: [])
        let decoded = try JSONDecoder().decode(Fault.self, from: try JSONEncoder().encode(fault))
        #expect(decoded == fault)
        #expect(decoded.description == "link-down nested host n1")
        #expect(try JSONDecoder().decode(Fault.self, from: try JSONEncoder().encode(Fault.outerDiskDetach(host: "n1", disk: "vdb")))
            == .outerDiskDetach(host: "n1", disk: "vdb"))
    }

    /// kill-process inside a real guest needs the guest's agent as its shell.
    @Test func killProcessInARealGuestNeedsItsGuestAgent() {
        func suite(_ guest: String) -> String {
            """
            suite: s
            cluster: { manager: pacemaker, resources: { g: [n1] } }
            lab:
              hosts:
                n1: { libvirt: test:///default, shell: local }
              guests:
                vm3: { on: [n1]\(guest) }
            scenarios:
              - name: a
                fault: { kill-process: { guest: vm3, process: hwapp } }
                expect: [ { group: g, online: any, within: 1m } ]
            """
        }
        #expect(error(suite(", shell: guest-agent")) == nil)
        #expect(error(suite("")) == "s.yaml:10:37: error: kill-process inside guest vm3 needs a shell in it: give the guest 'shell: guest-agent' in lab.guests")
        #expect(error(suite(", shell: ssh://vm3")) == "s.yaml:7:29: error: a guest's shell is guest-agent (the qemu guest agent, reached through libvirt)")
    }

    @Test func pacemakerSuitesNameTheirResourcesNotAMainCf() {
        #expect(error(lab("{ manager: pacemaker, groups: { g: [n1] } }")) == nil)
        #expect(error(lab("{ manager: pacemaker, config: x.cf, groups: { g: [n1] } }"))
            == "s.yaml:2:40: error: a pacemaker cluster has no main.cf; list its resources under 'resources'")
        #expect(error(lab("{ manager: pacemaker }")) == "s.yaml:2:10: error: a pacemaker cluster needs 'resources'")
        #expect(error(lab("{ manager: pacemaker, resources: { g: [n1] } }")) == nil)
        #expect(error(lab("{ manager: pacemaker, resources: { g: [n1] }, groups: { g: [n1] } }"))
            == "s.yaml:2:64: error: 'groups' is another name for 'resources': give one of them")
        #expect(error(lab("{ manager: pacemaker, groups: { g: [n1, n9] } }"))
            == "s.yaml:4:3: error: cluster system 'n9' has no host in lab.hosts")
    }

    /// A clone runs on all its nodes at once: a parallel group, not a
    /// failover one, so being online on several is no concurrency violation.
    @Test func aCloneIsNamedWithItsNodesAndRunsOnAllOfThem() throws {
        let suite = try SuiteLoader.load(text: lab("{ manager: pacemaker, resources: { g: [n1], c: { nodes: [n1], clone: true } } }"), file: "s.yaml")
        let clone = try #require(suite.cluster.config.group(named: "c"))
        #expect(clone.isParallel && clone.autoStartList == ["n1"])
        #expect(suite.cluster.config.group(named: "g")?.isParallel == false)
        #expect(error(lab("{ manager: pacemaker, resources: { c: { nodes: [n1], clone: yes } } }"))
            == "s.yaml:2:70: error: clone must be true or false")
        #expect(error(lab("{ manager: pacemaker, resources: { c: { clone: true } } }"))
            == "s.yaml:2:48: error: resource c needs 'nodes'")
    }

    /// A promotable clone's Promoted instance, where an expectation may ask for it.
    @Test func anExpectationMayAskWhereAResourceIsPromoted() throws {
        let text = lab("{ manager: pacemaker, resources: { ms: { nodes: [n1], clone: true } } }")
            .replacingOccurrences(of: "expect: [ { group: g, online: any, within: 1m } ]", with: "expect: [ { group: ms, promoted: n1, within: 1m } ]")
        let suite = try SuiteLoader.load(text: text, file: "s.yaml")
        #expect(suite.scenarios[0].expectations[0].kind == .promoted("n1"))
        #expect(suite.scenarios[0].expectations[0].description == "ms promoted on n1 within 1m")
        #expect(error(text.replacingOccurrences(of: "promoted: n1", with: "promoted: n7"))
            == "s.yaml:9:38: error: 'n7' is not a node in ms's list")
    }

    @Test func alertsAreAnAbsolutePathOnAPacemakerCluster() throws {
        let suite = try SuiteLoader.load(text: lab("{ manager: pacemaker, resources: { g: [n1] }, alerts: /var/log/a.log }"), file: "s.yaml")
        #expect(suite.cluster.alerts == "/var/log/a.log")
        #expect(error(lab("{ manager: pacemaker, resources: { g: [n1] }, alerts: a.log }"))
            == "s.yaml:2:64: error: alerts: 'a.log' must be the absolute path of the alert log on every host")
    }

    @Test func realHostsNeedALibvirtURIAndAShell() {
        #expect(error(lab("{ manager: pacemaker, groups: { g: [n1] } }", host: "shell: local"))
            == "s.yaml:5:9: error: host n1 needs 'libvirt'")
        #expect(error(lab("{ manager: pacemaker, groups: { g: [n1] } }", host: "libvirt: test:///default, shell: rsh://n1"))
            == "s.yaml:5:44: error: 'rsh://n1' is not a shell (use local, netns://NAME or ssh://user@host)")
        #expect(error(lab("{ manager: pacemaker, groups: { g: [n1] } }", host: "libvirt: x, shell: local, ipmi: y"))
            == "s.yaml:5:37: error: unknown key 'ipmi' in host n1 (expected libvirt, shell, links, power, outer, systems)")
    }

    @Test func aLabBoundsEachLibvirtCall() throws {
        let pacemaker = "{ manager: pacemaker, groups: { g: [n1] } }"
        let text = lab(pacemaker).replacingOccurrences(of: "lab:\n", with: "lab:\n  libvirt-timeout: 15s\n")
        #expect(try SuiteLoader.load(text: text, file: "s.yaml").lab.libvirtTimeout == .seconds(15))
        #expect(try SuiteLoader.load(text: lab(pacemaker), file: "s.yaml").lab.libvirtTimeout == .seconds(60))
        #expect(error(lab(pacemaker).replacingOccurrences(of: "lab:\n", with: "lab:\n  libvirt-timeout: 0s\n"))
            == "s.yaml:4:20: error: libvirt-timeout must be longer than zero")
    }
}
