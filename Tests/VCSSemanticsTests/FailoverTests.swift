import Testing
import VCSConfig
import VCSSemantics

@Suite struct FailoverTests {
    /// Three systems; `busy` runs on s2, `g` on s1.
    static func cluster(policy: String, capacities: [Int] = [100, 100, 100], loads: (g: Int, busy: Int) = (0, 0)) throws -> ClusterConfig {
        let systems = zip(["s1", "s2", "s3"], capacities).map { "system \($0) ( Capacity = \($1) )" }.joined(separator: "\n")
        return try ConfigLoader.parse(text: """
            cluster c ( )
            \(systems)
            group busy ( SystemList = { s2 = 0, s3 = 1 } AutoStartList = { s2 } Load = \(loads.busy) )
                Application b ( StartProgram = "/usr/bin/virsh start vmb" PidFiles = { "/var/run/libvirt/qemu/vmb.pid" } )
            group g ( SystemList = { s1 = 0, s2 = 1, s3 = 2 } AutoStartList = { s1 } FailOverPolicy = \(policy) Load = \(loads.g) )
                Application a ( StartProgram = "/usr/bin/virsh start vm1" PidFiles = { "/var/run/libvirt/qemu/vm1.pid" } )
            """)
    }

    static let steady = ClusterState(
        systems: ["s1": .running, "s2": .running, "s3": .running],
        groups: ["busy": ["s2": .online, "s3": .offline], "g": ["s1": .online, "s2": .offline, "s3": .offline]])

    @Test func priorityTakesTheLowestNumber() throws {
        let config = try Self.cluster(policy: "Priority")
        #expect(config.failoverTarget(of: config.group(named: "g")!, from: "s1", in: ObservedCluster(config: config, state: Self.steady)) == "s2")
    }

    @Test func roundRobinTakesTheSystemHoldingFewestGroups() throws {
        let config = try Self.cluster(policy: "RoundRobin")
        #expect(config.failoverTarget(of: config.group(named: "g")!, from: "s1", in: ObservedCluster(config: config, state: Self.steady)) == "s3")
    }

    @Test func loadTakesTheMostAvailableCapacity() throws {
        // s2 has 100 - 30 left, s3 has 80: s3 wins.
        var config = try Self.cluster(policy: "Load", capacities: [100, 100, 80], loads: (10, 30))
        #expect(config.failoverTarget(of: config.group(named: "g")!, from: "s1", in: ObservedCluster(config: config, state: Self.steady)) == "s3")
        // s3 has only 60: s2's 70 wins.
        config = try Self.cluster(policy: "Load", capacities: [100, 100, 60], loads: (10, 30))
        #expect(config.failoverTarget(of: config.group(named: "g")!, from: "s1", in: ObservedCluster(config: config, state: Self.steady)) == "s2")
    }

    @Test func faultedAndStoppedSystemsAreSkipped() throws {
        let config = try Self.cluster(policy: "Priority")
        var state = Self.steady
        state.groups["g"]!["s2"] = [.offline, .faulted]
        #expect(config.failoverTarget(of: config.group(named: "g")!, from: "s1", in: ObservedCluster(config: config, state: state)) == "s3")
        state.systems["s3"] = .faulted
        #expect(config.failoverTarget(of: config.group(named: "g")!, from: "s1", in: ObservedCluster(config: config, state: state)) == nil)
    }

    @Test func groupsLostTogetherArePlacedOneAfterTheOther() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system s1 ( )
            system s2 ( )
            system s3 ( )
            group a ( SystemList = { s1 = 0, s2 = 1, s3 = 2 } AutoStartList = { s1 } FailOverPolicy = RoundRobin )
                Phantom pa ( )
            group b ( SystemList = { s1 = 0, s2 = 1, s3 = 2 } AutoStartList = { s1 } FailOverPolicy = RoundRobin )
                Phantom pb ( )
            """)
        let state = ClusterState(systems: ["s1": .running, "s2": .running, "s3": .running],
                                 groups: ["a": ["s1": .online], "b": ["s1": .online]])
        let targets = config.failoverTargets(of: config.groups, from: "s1", in: ObservedCluster(config: config, state: state))
        #expect(targets == ["a": "s2", "b": "s3"])
    }

    @Test func aLocalDependencyNeedsItsChildThere() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system s1 ( )
            system s2 ( )
            system s3 ( )
            group child ( SystemList = { s1 = 0, s3 = 1 } AutoStartList = { s1 } )
                Phantom pc ( )
            group parent ( SystemList = { s1 = 0, s2 = 1, s3 = 2 } AutoStartList = { s1 } )
                Phantom pp ( )
                requires group child online local firm
            """)
        let state = ClusterState(systems: ["s1": .running, "s2": .running, "s3": .running],
                                 groups: ["child": ["s1": .offline, "s3": .online], "parent": ["s1": .online]])
        #expect(config.failoverTarget(of: config.group(named: "parent")!, from: "s1", in: ObservedCluster(config: config, state: state)) == "s3")
    }
}
