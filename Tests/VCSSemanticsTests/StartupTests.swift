import Testing
import VCSConfig
import VCSSemantics

@Suite struct StartupTests {
    static let config = """
        cluster c ( )
        system s1 ( )
        system s2 ( )
        system s3 ( )
        group base ( SystemList = { s1 = 0, s2 = 1 } AutoStartList = { s1 } )
            Phantom pb ( )
        group local ( SystemList = { s1 = 0, s2 = 1 } AutoStartList = { s1 } )
            Phantom pl ( )
            requires group base online local firm
        group remoteHere ( SystemList = { s1 = 0, s2 = 1 } AutoStartList = { s1 } )
            Phantom pr ( )
            requires group base online remote soft
        group onTop ( SystemList = { s1 = 0, s3 = 1 } AutoStartList = { s3 } )
            Phantom pt ( )
            requires group remoteHere online global hard
        group idle ( SystemList = { s2 = 0 } )
            Phantom pi ( )
        group nics ( SystemList = { s2 = 0 } AutoStartList = { s2 } )
            NIC n ( Device = eth0 )
        """

    @Test func aGroupStartsOnlyWhenWhatItRequiresIsWhereItNeedsIt() throws {
        let config = try ConfigLoader.parse(text: Self.config)
        let starting = config.groups.filter(config.comesOnlineAtStart).map(\.name)
        // remoteHere needs base elsewhere, but base starts on s1 too; onTop
        // needs remoteHere; idle has no AutoStartList; nics has no state.
        #expect(starting == ["base", "local"])
        #expect(config.steadySystems(of: config.group(named: "local")!) == ["s1"])
        #expect(config.steadySystems(of: config.group(named: "onTop")!).isEmpty)
    }

    @Test func theLargerSideSurvivesAndATieGoesToTheLowestNodeID() throws {
        let config = try ConfigLoader.parse(text: Self.config)
        #expect(config.survivingSide(["s1"], ["s2", "s3"]) == ["s2", "s3"])
        #expect(config.survivingSide(["s3"], ["s2"]) == ["s2"])
        #expect(config.survivingSide(["s1"], ["s3"]) == ["s1"])
        #expect(config.nodeID(of: "s3") == 2)
    }
}
