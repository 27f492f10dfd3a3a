import Testing
@testable import VCSConfig

@Suite struct ParserTests {
    static let hostMonitoring = """
        include "types.cf"
        cluster hostclus (
        )
        system northhost (
        )
        system southhost (
        )
        group watchgrp (
            SystemList = { northhost = 0, southhost = 1 }
        )
            RemoteGroup watchapp (
                IpAddress = "10.0.0.9"
                Username = vcsuser
                Password = XyzzyQ
                GroupName = appgrp
                VCSSysName = guestnode
                ControlMode = OnOff
            )
            requires group guestgrp online local hard
        group guestgrp (
            SystemList = { northhost = 0, southhost = 1 }
        )
            Application guestapp (
                StartProgram = "/usr/bin/virsh start guest7"
                StopProgram = "/usr/bin/virsh shutdown guest7"
                PidFiles = { "/var/run/libvirt/qemu/guest7.pid" }
            )
        """

    @Test func readsTheMonitoringInsideGuestsTopology() throws {
        let text = Self.hostMonitoring.replacingOccurrences(of: "include \"types.cf\"\n", with: "")
        let config = try ConfigLoader.parse(text: text)
        #expect(config.name == "hostclus")
        #expect(config.systems.map(\.name) == ["northhost", "southhost"])
        let watch = try #require(config.group(named: "watchgrp"))
        #expect(watch.groupDependencies == [GroupDependency(
            child: "guestgrp", category: .online, locality: .local, strength: .hard,
            location: SourceLocation(file: "main.cf", line: 18, column: 5))])
        #expect(watch.resource(named: "watchapp")?.scalar("Username") == "vcsuser")
        let app = try #require(config.group(named: "guestgrp")?.resource(named: "guestapp"))
        #expect(app.type == "Application")
        #expect(app.attribute("PidFiles")?.value == .list(["/var/run/libvirt/qemu/guest7.pid"]))
    }

    @Test func systemListNumbersFollowThePreviousOne() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system A ( )
            system B ( )
            system C ( )
            group g ( SystemList = { A, B = 2, C } AutoStartList = { B, A } )
            """)
        let group = try #require(config.group(named: "g"))
        #expect(group.systemList == [
            SystemPriority(system: "A", priority: 0), SystemPriority(system: "B", priority: 2),
            SystemPriority(system: "C", priority: 3),
        ])
        #expect(group.autoStartList == ["B", "A"])
    }

    @Test func systemListIsSortedByPriority() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system A ( )
            system B ( )
            group g ( SystemList = { A = 5, B = 1 } )
            """)
        #expect(config.groups[0].systemList.map(\.system) == ["B", "A"])
    }

    @Test func localizedAttributesAnswerPerSystem() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system a ( )
            system b ( )
            group g ( SystemList = { a = 0, b = 1 } )
                NIC n (
                    Device @a = eth0
                    Device @b = eth1
                )
                Process p ( PathName = /usr/bin/app  Arguments = "-x \\"y\\"" Critical = 0 )
            """)
        let nic = try #require(config.group(named: "g")?.resource(named: "n"))
        #expect(nic.scalar("Device", on: "a") == "eth0")
        #expect(nic.scalar("Device", on: "b") == "eth1")
        #expect(nic.scalar("Device") == nil)
        let process = try #require(config.group(named: "g")?.resource(named: "p"))
        #expect(process.scalar("PathName") == "/usr/bin/app")
        #expect(process.scalar("Arguments") == "-x \"y\"")
        #expect(process.isCritical == false)
        #expect(nic.isCritical)
    }

    @Test func commentsAreSkipped() throws {
        let config = try ConfigLoader.parse(text: """
            // a note
            cluster c ( /* inline */ )
            system a ( ) // trailing
            """)
        #expect(config.systems.map(\.name) == ["a"])
    }

    /// What real files carry and VCS loads: ';' after values and blocks,
    /// empty blocks, ')' in column 1, tabs mixed with spaces, no spaces
    /// around '=' or inside braces, a '#' comment line, no final newline.
    @Test func whatVCSAcceptsIsAccepted() throws {
        let text = "cluster c ( );\nsystem a (\n)\nsystem\tb ( )\n# the group\ngroup g (\n\tSystemList={a=0,b=1};\n  \tAutoStartList = {a}\n)\n"
            + "\tProcess p(PathName=\"/bin/p\";)\n\tNIC n ( Device=eth0 )\np requires n"
        let config = try ConfigLoader.parse(text: text)
        #expect(config.systems.map(\.name) == ["a", "b"])
        let group = try #require(config.group(named: "g"))
        #expect(group.systemList.map(\.system) == ["a", "b"])
        #expect(group.autoStartList == ["a"])
        #expect(group.resource(named: "p")?.scalar("PathName", on: "a") == "/bin/p")
        #expect(group.resourceDependencies.count == 1)
    }

    @Test func onlineOrderPutsChildrenFirst() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system a ( )
            group g ( SystemList = { a = 0 } )
                Application app ( )
                Mount mnt ( )
                Volume vol ( )
                DiskGroup dg ( )
                mnt requires vol
                vol requires dg
                app requires mnt
            """)
        let group = config.groups[0]
        #expect(ResourceOrder.onlineOrder(of: group) == ["dg", "vol", "mnt", "app"])
        #expect(ResourceOrder.offlineOrder(of: group) == ["app", "mnt", "vol", "dg"])
        #expect(group.children(of: "app") == ["mnt"])
        #expect(group.parents(of: "vol") == ["mnt"])
    }
}
