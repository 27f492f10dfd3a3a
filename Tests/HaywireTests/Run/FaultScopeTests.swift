import Testing
import VCSConfig
import VCSSemantics
@testable import Haywire

/// What each fault may change, for the no-collateral-damage audit.
@Suite struct FaultScopeTests {
    static let config = """
        cluster c ( )
        system a ( )
        system b ( )
        system c ( )
        group app ( SystemList = { a = 0, b = 1 } AutoStartList = { a } )
            Process appd ( PathName = "/usr/bin/appd" )
        group db ( SystemList = { b = 0, a = 1 } AutoStartList = { b } )
            Process dbd ( PathName = "/usr/bin/dbd" )
        group front ( SystemList = { c = 0 } AutoStartList = { c } )
            Process frontd ( PathName = "/usr/bin/frontd" )
            requires group app online global soft
        group lone ( SystemList = { c = 0, b = 1 } AutoStartList = { c } )
            Process loned ( PathName = "/usr/bin/loned" )
        """

    private func scope(_ fault: Fault, heartbeats: Set<String>? = ["llt0", "llt1"], carried: [String: [String]] = [:]) throws -> FaultScope {
        let config = try ConfigLoader.parse(text: Self.config)
        let state = ClusterState(systems: ["a": .running, "b": .running, "c": .running],
                                 groups: ["app": ["a": .online, "b": .offline], "db": ["b": .online, "a": .offline],
                                          "front": ["c": .online], "lone": ["c": .online, "b": .offline]])
        var facts = ScopeFacts(model: config, cluster: ClusterSpec(manager: .simulated, configPath: "main.cf", config: config,
                                                                  probeInterval: .seconds(1)), lab: LabSpec(hosts: [], guests: []))
        facts.carried = carried
        var scope = FaultScope(expectations: [])
        scope.widen(by: fault, state: state, heartbeats: heartbeats, facts: facts)
        return scope
    }

    @Test func aHostFaultTouchesTheHostWhatRunsThereAndWhatDependsOnIt() throws {
        let lost = try scope(.killHost(host: "a"))
        #expect(!lost.everything)
        #expect(lost.systems == ["a"])
        // front requires app (global soft): bound by a group dependency.
        #expect(lost.groups == ["app", "front"])
        let unmount = try scope(.unmount(host: "b", mount: "/x"))
        #expect(unmount.systems == ["b"] && unmount.groups == ["db"])
    }

    @Test func aHostCarriesItsGuestNodes() throws {
        let lost = try scope(.killHost(host: "phys1"), carried: ["phys1": ["a", "b"]])
        #expect(lost.systems == ["phys1", "a", "b"])
        #expect(lost.groups == ["app", "db", "front"])
    }

    /// A Pacemaker guest node goes down with its guest and with the host
    /// under it; one the suite does not name may have been on any host.
    @Test func aGuestNodeGoesWithItsGuestAndItsHost() throws {
        let config = ClusterConfig(name: "pacemaker", systems: ["lab1", "lab2", "vm3-node"].map { SystemDefinition(name: $0, location: SourceLocation(file: "s", line: 1, column: 1)) }, groups: [])
        var lab = LabSpec(hosts: [], guests: [LabSpec.Guest(name: "vm3", hosts: ["lab1", "lab2"], location: SourceLocation(file: "s", line: 1, column: 1))])
        lab = LabSpec(hosts: lab.hosts, guests: lab.guests.map { var guest = $0; guest.node = "vm3-node"; return guest })
        let facts = ScopeFacts(model: config, cluster: ClusterSpec(manager: .pacemaker, configPath: "", config: config, probeInterval: .seconds(1)), lab: lab)
        let state = ClusterState(systems: ["lab1": .running, "lab2": .running, "vm3-node": .running, "other-node": .running],
                                 groups: ["vm3": ["lab1": .online, "lab2": .offline]])
        func widened(_ fault: Fault) -> FaultScope {
            var scope = FaultScope(expectations: [])
            scope.widen(by: fault, state: state, heartbeats: nil, facts: facts)
            return scope
        }
        #expect(widened(.killGuest(guest: "vm3")).systems == ["vm3-node"])
        #expect(widened(.killHost(host: "lab1")).systems == ["lab1", "vm3-node", "other-node"])
        #expect(widened(.killHost(host: "lab2")).systems == ["lab2", "other-node"])
    }

    @Test func aCutThatCanChangeMembershipTouchesEverything() throws {
        #expect(try scope(.linkDown(host: "a", links: ["llt0"])).everything)
        #expect(try scope(.partition(sides: [["a"], ["b", "c"]])).everything)
        #expect(try scope(.pauseHost(host: "a")).everything)
        // Which links carry heartbeats is unknown on a real lab: any cut may.
        #expect(try scope(.linkDown(host: "a", links: ["eth0"]), heartbeats: nil).everything)
        let uplink = try scope(.linkDown(host: "a", links: ["eth0"]))
        #expect(!uplink.everything && uplink.systems == ["a"])
    }

    @Test func whatIsOutOfScopeIsWhatTheAuditWatches() throws {
        let lost = try scope(.killHost(host: "a"))
        var change = TimelineEntry(time: .seconds(3), kind: .state, text: "lone on c: ONLINE -> OFFLINE")
        change.group = "lone"
        change.system = "c"
        #expect(!lost.contains(change))
        change.group = "front"
        #expect(lost.contains(change))
        var system = TimelineEntry(time: .seconds(3), kind: .state, text: "system c: RUNNING -> FAULTED")
        system.system = "c"
        #expect(!lost.contains(system))
    }
}
