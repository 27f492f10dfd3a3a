import Foundation
import Testing
@testable import VCSConfig

@Suite struct TypesTests {
    private func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-types-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir.path
    }

    static let typesCf = """
        type Webapp (
            static str ArgList[] = { Home, Port, Options }
            static int MonitorInterval = 30
            static int IMF{} = { Mode = 3, MonitorFreq = 5 }
            str Home = "/srv/web"
            int Port = 8080
            boolean Secure = 0
            str Options{}
            keylist Peers
            temp str Password
        )
        """

    @Test func typeBlocksDeclareEveryForm() throws {
        let dir = try folder(["types.cf": Self.typesCf, "main.cf": """
            include "types.cf"
            cluster c ( )
            system a ( )
            group g ( SystemList = { a = 0 } )
                Webapp web ( Port = 9090 )
            """])
        let config = try ConfigLoader.load(path: "\(dir)/main.cf")
        let type = try #require(config.types["Webapp"])
        #expect(type.argList == ["Home", "Port", "Options"])
        #expect(type.attributes["MonitorInterval"]?.isStatic == true)
        #expect(type.attributes["IMF"]?.shape == .association)
        #expect(type.attributes["Options"]?.shape == .association)
        #expect(type.attributes["Peers"]?.shape == .keylist)
        #expect(type.attributes["Port"]?.kind == .integer)
        #expect(type.attributes["Secure"]?.kind == .boolean)
        #expect(type.attributes["Password"]?.isTemp == true)
        #expect(type.attributes["Password"]?.isSecret == true)
        #expect(config.warnings.isEmpty)
        // Values: the resource's own, else the type's default, else VCS's.
        let web = try #require(config.group(named: "g")?.resource(named: "web"))
        #expect(config.integer("Port", of: web) == 9090)
        #expect(config.value("Home", of: web) == .scalar("/srv/web"))
        #expect(config.integer("MonitorInterval", of: web) == 30)
        #expect(config.integer("OnlineTimeout", of: web) == 300)
        #expect(config.value("Nonexistent", of: web) == nil)
        // Only the types file's types: Mount is unknown here.
        #expect(config.types["Mount"] == nil)
    }

    @Test func withoutTypesCfTheBundledAgentsAreKnown() throws {
        let config = try ConfigLoader.parse(text: """
            cluster c ( )
            system a ( )
            group g ( SystemList = { a = 0 } )
                Application app ( StartProgram = "/usr/bin/virsh start vm1" )
                NIC nic ( Device = eth0 )
            """)
        for name in ["Application", "Mount", "DiskGroup", "Volume", "Process", "NIC", "IP", "RemoteGroup", "Proxy", "Phantom"] {
            #expect(config.types[name] != nil, "\(name) is bundled")
        }
        let nic = try #require(config.groups.first?.resource(named: "nic"))
        #expect(config.value("Operations", of: nic) == .scalar("None"))
        #expect(config.integer("MonitorInterval", of: nic) == 60)
    }

    @Test func unknownTypesAndAttributesAreErrorsAllReportedAtOnce() {
        do {
            _ = try ConfigLoader.parse(text: """
                cluster c ( )
                system a ( )
                group g ( SystemList = { a = 0, ghost = 1 } )
                    Oracle db ( Sid = PROD )
                    Mount m ( MountPont = "/data" )
                """, file: "x.cf")
            Issue.record("expected errors")
        } catch {
            #expect(error.description == """
                x.cf:3:11: error: group 'g': SystemList names 'ghost', which no system statement defines
                x.cf:4:5: error: resource 'db': unknown type 'Oracle' (no type definition; include its types file)
                x.cf:5:15: error: resource 'm': type Mount has no attribute 'MountPont'
                """)
            #expect(error.others.count == 2)
        }
    }

    @Test func secretsAreNeverPrintedBack() {
        do {
            _ = try ConfigLoader.parse(text: "cluster c ( )\ngroup g ( )\nRemoteGroup r (\n  Password CQIoFQf\n)", file: "x.cf")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "x.cf:4:12: error: expected '=', found '<redacted>'")
        }
    }

    @Test func typeBlockMistakesPointAtTheToken() {
        func error(_ text: String) -> String? {
            do { _ = try ConfigLoader.parse(text: text, file: "t.cf"); return nil } catch { return error.description }
        }
        #expect(error("type T (\n  string Name\n)\ncluster c ( )") == "t.cf:2:3: error: type T: expected an attribute type (str, int, boolean, keylist, association), found 'string'")
        #expect(error("type T (\n  str A\n  int A\n)\ncluster c ( )") == "t.cf:3:3: error: type T: attribute 'A' is declared twice (first at t.cf:2:3)")
        #expect(error("type T ( str A )\ntype T ( )\ncluster c ( )") == "t.cf:2:1: error: type 'T' is defined twice (first at t.cf:1:1)")
    }
}
