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
            group g ( SystemList = { a = 0 } AutoStartList = { a } )
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
        // What the files leave out comes from haywire's library.
        #expect(config.types["Mount"]?.argList.first == "MountPoint")
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

    @Test func unknownAttributesAreErrorsAllReportedAtOnce() {
        do {
            _ = try ConfigLoader.parse(text: """
                cluster c ( )
                system a ( )
                group g ( SystemList = { a = 0, ghost = 1 } )
                    Frobnicator db ( Sid = PROD )
                    Mount m ( MountPont = "/data" )
                """, file: "x.cf")
            Issue.record("expected errors")
        } catch {
            #expect(error.description == """
                x.cf:3:11: error: group 'g': SystemList names 'ghost', which no system statement defines
                x.cf:5:15: error: resource 'm': type Mount has no attribute 'MountPont'; did you mean 'MountPoint'?
                """)
        }
    }

    /// A slip in a cluster, system or group block is refused with the name
    /// VCS spells; read as written it would silently change what is run.
    @Test func typosInClusterSystemAndGroupBlocksSayWhatWasMeant() {
        do {
            _ = try ConfigLoader.parse(text: """
                cluster c ( UseFnce = SCSI3 )
                system a ( Capasity = 100 )
                system b ( )
                group g ( SystemList = { a = 0, b = 1 } AutoStartlist = { a } FailoverPolicy = RoundRobin )
                group h ( SystemList = { a = 0 } PreSwitch = 1 Frobnicate = 1 )
                """, file: "x.cf")
            Issue.record("expected errors")
        } catch {
            #expect(error.description == """
                x.cf:1:13: error: cluster 'c': unknown attribute 'UseFnce'; did you mean 'UseFence'?
                x.cf:2:12: error: system 'a': unknown attribute 'Capasity'; did you mean 'Capacity'?
                x.cf:4:41: error: group 'g': unknown attribute 'AutoStartlist'; did you mean 'AutoStartList'?
                x.cf:4:63: error: group 'g': unknown attribute 'FailoverPolicy'; did you mean 'FailOverPolicy'?
                """)
        }
        // Both spellings VCS's own texts use are read: the guides' and haclus's.
        for spelling in ["AutoAddSystemtoCSG", "AutoAddSystemToCSG"] {
            #expect(throws: Never.self) { try ConfigLoader.parse(text: "cluster c ( \(spelling) = 0 )\nsystem a ( )\n", file: "y.cf") }
        }
        #expect(BlockAttributes.editDistance("usefnce", "usefence") == 1)
        #expect(BlockAttributes.editDistance("laod", "load") == 1)
        #expect(BlockAttributes.suggestion(for: "Parallel", among: ["Parallel"]) == nil)
    }

    /// A type no file and no library entry defines is loaded with a
    /// warning, once per type, as a generic resource; `--strict` refuses it.
    @Test func unknownTypesAreWarningsUnlessStrict() throws {
        let dir = try folder(["main.cf": """
            include "types.cf"
            include "FrobTypes.cf"
            cluster c ( )
            system a ( )
            group g ( SystemList = { a = 0 } AutoStartList = { a } )
                Frobnicator db ( Sid = PROD )
                Frobnicator db2 ( Sid = TEST )
                Process p ( PathName = "/bin/p" )
                db requires p
            """])
        let config = try ConfigLoader.load(path: "\(dir)/main.cf")
        #expect(config.warnings.map(\.description) == [
            "\(dir)/main.cf:1:1: warning: types.cf not found; using haywire's built-in definitions of the agents it knows",
            "\(dir)/main.cf:2:1: warning: FrobTypes.cf not found; using haywire's built-in definitions of the agents it knows",
            "\(dir)/main.cf:6:5: warning: resource 'db': unknown type 'Frobnicator': neither the included files nor haywire's library define it (include FrobnicatorTypes.cf); modelled as a generic resource whose online, offline and monitor succeed",
        ])
        #expect(config.group(named: "g")?.resources.count == 3)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: "\(dir)/main.cf", strict: true) }
        do {
            _ = try ConfigLoader.load(path: "\(dir)/main.cf", strict: true)
        } catch {
            // The missing FrobTypes.cf, then the type it would have defined.
            let lines = error.description.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("\(dir)/main.cf:2:1: error: FrobTypes.cf not found") == true)
            #expect(lines.last?.hasPrefix("\(dir)/main.cf:6:5: error: resource 'db': unknown type 'Frobnicator'") == true)
            #expect(lines.allSatisfy { $0.hasSuffix("(--strict)") })
        }
    }

    /// VCS loads a types file that ends each declaration with ';'.
    @Test func semicolonsAfterDeclarationsAreAccepted() throws {
        let dir = try folder(["DRBDTypes.cf": "type DRBDPrimary (\n\tstatic str ArgList[] = { ResName };\n\tstr ResName;\n\tint Wait = 5 ;\n);\n",
                              "main.cf": "include \"DRBDTypes.cf\"\ncluster c ( )\nsystem a ( )\ngroup g ( SystemList = { a = 0 } AutoStartList = { a } )\n    DRBDPrimary r ( ResName = r0 )"])
        let config = try ConfigLoader.load(path: "\(dir)/main.cf")
        #expect(config.types["DRBDPrimary"]?.argList == ["ResName"])
        #expect(config.types["DRBDPrimary"]?.attributes["Wait"]?.defaultValue == .scalar("5"))
        #expect(config.warnings.isEmpty)
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
        #expect(error("type T (\n  string Name\n)\ncluster c ( )") == "t.cf:2:3: error: type T: expected an attribute type (str, i18nstr, int, boolean, keylist, association), found 'string'")
        #expect(error("type T (\n  str A\n  int A\n)\ncluster c ( )") == "t.cf:3:3: error: type T: attribute 'A' is declared twice (first at t.cf:2:3)")
        #expect(error("type T ( str A )\ntype T ( )\ncluster c ( )") == "t.cf:2:1: error: type 'T' is defined twice (first at t.cf:1:1)")
    }
}
