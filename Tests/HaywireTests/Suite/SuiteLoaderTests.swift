import Foundation
import Testing
import VCSConfig
@testable import Haywire

@Suite struct SuiteLoaderTests {
    @Test func theShippedSuiteLoads() throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm.yaml")
        #expect(suite.name == "pm-pm-guest-availability")
        #expect(suite.cluster.manager == .simulated)
        #expect(suite.lab.hosts.map(\.name) == ["hosta", "hostb"])
        #expect(suite.lab.guests.map(\.name) == ["vm1"])
        #expect(suite.scenarios.count == 4)
        let link = suite.scenarios[2].fault
        #expect(link.kind == .linkDown)
        #expect(link.target == .links(.active(group: "vmgrp"), ["eth0"]))
        #expect(link.duration == .seconds(120))
        #expect(suite.scenarios[0].expectations.map(\.kind) == [.faulted("hosta"), .online(.next)])
        #expect(suite.scenarios[0].expectations[1].within == .seconds(180))
        #expect(suite.scenarios[1].expectations.map(\.kind) == [.systemState("hosta", .faulted), .onlineElsewhere("hosta")])
    }

    @Test func defaultsFillInWithin() throws {
        let dir = try fixtureFolder(["s.yaml": suiteText("""
              - name: a
                fault: { kill-host: hostb }
                expect: [ { group: vmgrp, online: any } ]
            """).replacingOccurrences(of: "scenarios:", with: "defaults: { within: 90s }\nscenarios:")])
        let suite = try SuiteLoader.load(path: "\(dir)/s.yaml")
        #expect(suite.scenarios[0].expectations[0].within == .seconds(90))
        #expect(suite.scenarios[0].fault.target == .host(.named("hostb")))
    }

    /// The one-line diagnostic for a scenario block, with the line and column in the suite file.
    private func diagnostic(_ scenarios: String, guests: String = "    vm1: { on: [hosta, hostb] }") throws -> String? {
        let dir = try fixtureFolder(["s.yaml": suiteText(scenarios, guests: guests)])
        do {
            _ = try SuiteLoader.load(path: "\(dir)/s.yaml")
            return nil
        } catch {
            return error.description.replacingOccurrences(of: dir + "/", with: "")
        }
    }

    @Test func mistakesPointAtTheirLineAndColumn() throws {
        #expect(try diagnostic("""
              - name: a
                fault: { kill-guest: vm9 }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """) == "s.yaml:13:26: error: guest 'vm9' is not in lab.guests; haywire only touches what the lab names")
        #expect(try diagnostic("""
              - name: a
                fault: { kill-host: hostz }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """) == "s.yaml:13:25: error: host 'hostz' is not in lab.hosts")
        #expect(try diagnostic("""
              - name: a
                fault: { kill-host: active(nogroup) }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """) == "s.yaml:13:25: error: no group 'nogroup' in main.cf")
        #expect(try diagnostic("""
              - name: a
                fault: { kill-host: hosta }
                expect: [ { group: vmgrp, online: next, within: soon } ]
            """) == "s.yaml:14:53: error: within: 'soon' is not a duration of at most a year (use e.g. 90s, 3m, 1h, 500ms)")
        #expect(try diagnostic("""
              - name: a
                fault: { kill-host: hosta }
                expect: [ { group: vmgrp, onlin: next, within: 1m } ]
            """) == "s.yaml:14:31: error: unknown key 'onlin' in an expectation (expected group, online, offline, faulted, promoted, within, stays, for, no-concurrency-violation, system-state, state)")
        #expect(try diagnostic("""
              - name: a
                fault: { kill-host: hosta }
                expect: [ { group: vmgrp, online: hostq, within: 1m } ]
            """) == "s.yaml:14:39: error: 'hostq' is not next, any, not SYSTEM or a system in vmgrp's SystemList")
        #expect(try diagnostic("""
              - name: a
                fault: { kill-host: hosta, kill-guest: vm1 }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """) == "s.yaml:13:12: error: a fault names exactly one of kill-guest, crash-guest, pause-guest, shutdown-guest, reboot-guest, kill-host, pause-host, link-down, unmount, detach-disk, kill-process, partition")
        #expect(try diagnostic("""
              - name: a
                fault: { unmount: { host: hosta, mount: /elsewhere } }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """) == "s.yaml:13:45: error: no Mount resource in main.cf has MountPoint '/elsewhere'")
        #expect(try diagnostic("""
              - name: a
                fault: { link-down: { host: hosta, link: wlan0 } }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """) == "s.yaml:13:46: error: unknown link 'wlan0' (simulated hosts have eth0, llt0, llt1)")
    }

    /// Every mistake in one round, each at its place: in two scenarios,
    /// and twice in one.
    @Test func allMistakesAreReportedAtOnce() throws {
        let found = try #require(try diagnostic("""
              - name: a
                fault: { kill-guest: vm9 }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
              - name: b
                fault: { kill-host: hosta }
                expect: [ { group: vmgrp, onlin: next, within: 1m }, { group: vmgrp, online: next, within: 0s } ]
              - name: a
                fault: { kill-host: hostz }
                expect: [ { group: vmgrp, online: next, within: 90 } ]
            """))
        #expect(found.split(separator: "\n") == [
            "s.yaml:13:26: error: guest 'vm9' is not in lab.guests; haywire only touches what the lab names",
            "s.yaml:17:31: error: unknown key 'onlin' in an expectation (expected group, online, offline, faulted, promoted, within, stays, for, no-concurrency-violation, system-state, state)",
            "s.yaml:17:96: error: within must be longer than zero",
            "s.yaml:19:25: error: host 'hostz' is not in lab.hosts",
            "s.yaml:20:53: error: within: 90 has no unit: write 90s (or 90ms, 90m, 90h)",
        ], "\(found)")
        // At most 20, the rest left for the next round.
        let many = (1...30).map { "  - { name: s\($0), fault: { kill-host: host\($0) }, expect: [ { group: vmgrp, online: next, within: 1m } ] }" }
        let capped = try #require(try diagnostic(many.joined(separator: "\n")))
        #expect(capped.split(separator: "\n").count == 20)
        #expect(capped.hasPrefix("s.yaml:12:37: error: host 'host1' is not in lab.hosts"), "\(capped)")
    }

    @Test func guestFaultsCanNameTheNodeWhereAGroupRuns() throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/kvm-kvm.yaml")
        let paused = suite.scenarios.first { $0.name == "the active node's guest is paused past the heartbeat timeout" }
        #expect(paused?.fault.target == .guestAt(.active(group: "webgrp")))
        #expect(suite.scenarios.last?.fault.target == .guestProcess(.active(group: "webgrp"), "webd"))
        #expect(try diagnostic("""
              - name: a
                fault: { kill-guest: active(vmgrp) }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """) == "s.yaml:13:26: error: active(vmgrp) names a guest only where vmgrp's systems are lab guests (KVM-KVM)")
    }

    @Test func theSimulatorRefusesWhatItCannotModel() throws {
        #expect(try diagnostic("""
              - name: a
                fault: { link-down: { guest: vm1, mac: "52:54:00:00:00:01" } }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """) == "s.yaml:13:44: error: the simulator's guests have no MAC addresses; leave 'mac' out to drop every NIC")
    }

    @Test func yamlSyntaxErrorsAreOneLine() throws {
        let message = try diagnostic("""
              - name: a
                fault: { kill-host: hosta
                expect: []
            """)
        let line = try #require(message)
        #expect(line.hasPrefix("s.yaml:"))
        #expect(!line.contains("\n"))
    }

    @Test func scenarioNamesMustBeUnique() throws {
        #expect(try diagnostic("""
              - name: same
                fault: { kill-host: hosta }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
              - name: same
                fault: { kill-host: hostb }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """) == "s.yaml:15:5: error: a second scenario named 'same'; names must be unique for CI history")
    }

    @Test func labAndMainCfMustAgree() throws {
        let dir = try fixtureFolder(["s.yaml": suiteText("""
              - name: a
                fault: { kill-host: hosta }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """).replacingOccurrences(of: "    hostb: {}\n", with: "    hostc: {}\n")])
        #expect(throws: ConfigError.self) { try SuiteLoader.load(path: "\(dir)/s.yaml") }
    }

    @Test func guestClustersMustBeDistinctAndInTheLab() throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm-remotegroup.yaml")
        #expect(suite.cluster.guestClusters.map(\.guest) == ["appvm"])
        #expect(suite.cluster.model.group(named: "appsg") != nil)
        #expect(suite.cluster.config.group(named: "appsg") == nil)
        func error(_ clusters: String, guests: String = "appvm: { on: [sysA, sysB] }", manager: String = "simulated") -> String? {
            let text = """
                suite: s
                cluster:
                  manager: \(manager)
                  config: \(suitesFolder)/configs/pm-pm-remote.main.cf
                  guest-clusters: \(clusters)
                lab:
                  hosts: { sysA: {}, sysB: {} }
                  guests: { \(guests) }
                scenarios:
                  - { name: a, fault: { kill-process: { guest: appvm, process: appd } }, expect: [ { group: appsg, online: north, within: 1m } ] }
                """
            do { _ = try SuiteLoader.load(text: text, file: "s.yaml"); return nil } catch { return error.reason }
        }
        let appclus = "\(suitesFolder)/configs/appclus.main.cf"
        #expect(error("[ { guest: appvm, address: 192.0.2.61, config: \(appclus) } ]") == nil)
        #expect(error("[ { guest: appvm, address: 192.0.2.61, config: \(appclus) }, { guest: vm2, address: 192.0.2.62, config: \(appclus) } ]")
            == "system 'north' of cluster 'appclus' is already a system of another cluster")
        #expect(error("[ { guest: appvm, address: 192.0.2.61, config: \(appclus) } ]", guests: "other: { on: [sysA] }")
            == "guest cluster in 'appvm', which is not in lab.guests")
        #expect(error("[ { guest: appvm, config: \(appclus) } ]") == "a guest cluster needs 'address'")
        // A cluster no RemoteGroup reaches would be simulated for nothing.
        #expect(error("[ { guest: appvm, address: 192.0.2.99, config: \(appclus) } ]")
            == "address 192.0.2.99 is no RemoteGroup's IpAddress in main.cf (they reach 192.0.2.61)")
    }

    @Test func kvmKvmHostsCarryTheClusterSystems() throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/kvm-kvm.yaml")
        #expect(suite.lab.host(named: "phys1")?.systems == ["node1", "node2"])
        func error(_ hosts: String) -> String? {
            let text = """
                suite: s
                cluster: { manager: simulated, config: \(suitesFolder)/configs/kvm-kvm.main.cf }
                lab:
                  hosts: { \(hosts) }
                scenarios:
                  - { name: a, fault: { kill-host: phys1 }, expect: [ { group: webgrp, online: any, within: 1m } ] }
                """
            do { _ = try SuiteLoader.load(text: text, file: "s.yaml"); return nil } catch { return error.reason }
        }
        #expect(error("phys1: { systems: [node1, node2] }, phys2: { systems: [node3] }") == nil)
        #expect(error("phys1: { systems: [node1, node2] }") == "cluster system 'node3' has no host in lab.hosts")
        #expect(error("phys1: { systems: [node1, node9] }, phys2: { systems: [node2, node3] }")
            == "host 'phys1' carries 'node9', which is not a system of cluster 'guestclus'")
        #expect(error("phys1: { systems: [node1, node2] }, phys2: { systems: [node2, node3] }")
            == "system 'node2' cannot run on both 'phys1' and 'phys2'")
        #expect(error("phys1: { systems: [node1, node2, node3] }, spare: {}")
            == "host 'spare' is not a system of cluster 'guestclus' and carries none")
    }

    @Test func aVCSLabNeedsRealHostAccess() throws {
        let dir = try fixtureFolder(["s.yaml": suiteText("""
              - name: a
                fault: { kill-host: hosta }
                expect: [ { group: vmgrp, online: next, within: 1m } ]
            """).replacingOccurrences(of: "manager: simulated", with: "manager: vcs")])
        #expect(throws: ConfigError(SourceLocation(file: "\(dir)/s.yaml", line: 7, column: 12), "host hosta needs 'libvirt'")) {
            try SuiteLoader.load(path: "\(dir)/s.yaml")
        }
    }

    @Test func aMissingFileIsOneLine() {
        #expect(throws: ConfigError(SourceLocation(file: "/nowhere/x.yaml", line: 1, column: 1), "no such file: /nowhere/x.yaml")) {
            try SuiteLoader.load(path: "/nowhere/x.yaml")
        }
    }
}

@Suite struct DurationTests {
    @Test func parsesUnitsAndCompounds() {
        #expect(parseDuration("90s") == .seconds(90))
        #expect(parseDuration("3m") == .seconds(180))
        #expect(parseDuration("1h") == .seconds(3600))
        #expect(parseDuration("500ms") == .milliseconds(500))
        #expect(parseDuration("1m30s") == .seconds(90))
        #expect(parseDuration("1.5s") == .milliseconds(1500))
        #expect(parseDuration("45") == .seconds(45))
        #expect(parseDuration("") == nil)
        #expect(parseDuration("5 minutes") == nil)
        #expect(parseDuration("3x") == nil)
        #expect(parseDuration("12") == .seconds(12))
        #expect(parseDuration("1m30") == nil)
    }

    @Test func formatsReadably() {
        #expect(formatDuration(.seconds(81)) == "1m21s")
        #expect(formatDuration(.milliseconds(250)) == "250ms")
        #expect(formatDuration(.milliseconds(77_500)) == "1m17.5s")
        #expect(formatDuration(.seconds(7200)) == "2h")
        #expect(secondsText(.milliseconds(1234)) == "1.234")
    }
}
