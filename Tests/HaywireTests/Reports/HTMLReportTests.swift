import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Haywire

@Suite struct HTMLReportTests {
    private func run() async throws -> SuiteResult {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm.yaml")
        return await Runner(factory: SimulatedBackendFactory(seed: 1)).run(suite)
    }

    @Test func thePageIsOneSelfContainedFile() async throws {
        let html = HTMLReport.render(try await run())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("href=\"http"))
        #expect(!html.contains("url("))
        // The SVG namespace is the only address, and it is never fetched.
        #expect(html.components(separatedBy: "http").count - 1 == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4)
    }

    /// A broken audit is a heavy red mark at its instant, titled with what broke it.
    @Test func aBrokenAuditIsMarkedWhereItHappened() async throws {
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/split-brain-without-fencing.yaml")
        let result = await Runner(factory: SimulatedBackendFactory()).run(suite)
        let svg = SVGTimeline(scenario: RunRecord(result, sources: false).scenarios[0]).render()
        let document = try XMLDocument(xmlString: svg)
        let marks = try document.nodes(forXPath: "//*[local-name()='line'][@stroke-width='4']/*[local-name()='title']").compactMap(\.stringValue)
        // Its own no-concurrency-violation expectation says it; a second group would be an audit.
        #expect(marks.isEmpty, "\(marks)")
        let unexpected = try loadFixture("""
              - name: isolated
                fault: { link-down: { host: active(vmgrp) }, for: 1m }
                expect: [ { group: vmgrp, online: next, within: 5m } ]
            """)
        let audited = await Runner(factory: SimulatedBackendFactory()).run(unexpected)
        let auditSVG = try XMLDocument(xmlString: SVGTimeline(scenario: RunRecord(audited, sources: false).scenarios[0]).render())
        let auditMarks = try auditSVG.nodes(forXPath: "//*[local-name()='line'][@stroke-width='4']/*[local-name()='title']").compactMap(\.stringValue)
        #expect(auditMarks == ["audit at most once: vmgrp active on hosta, hostb at t=39.000s"])
    }

    @Test func eachTimelineIsWellFormedSVGWithStatesFaultsAndDeadlines() async throws {
        let result = try await run()
        let svg = SVGTimeline(scenario: RunRecord(result, sources: false).scenarios[0]).render()
        let document = try XMLDocument(xmlString: svg)
        let titles = try document.nodes(forXPath: "//*[local-name()='rect']/*[local-name()='title']").compactMap(\.stringValue)
        // The guest kill: vmgrp faults on hosta and comes online on hostb at 94 s.
        #expect(titles.contains("vmgrp on hostb: ONLINE from 94.000s"))
        #expect(titles.contains { $0.hasPrefix("vmgrp on hosta: OFFLINE|FAULTED") })
        let lines = try document.nodes(forXPath: "//*[local-name()='line']/*[local-name()='title']").compactMap(\.stringValue)
        #expect(lines.contains("deadline: vmgrp online on next within 3m"))
        #expect(lines.contains("met: vmgrp online on hostb after 1m21s (SLA 3m)"))
        #expect(svg.contains(">kill-guest guest vm1</text>"))
        #expect(SVGTimeline.colour("ONLINE") == "#34a853")
        #expect(SVGTimeline.colour("OFFLINE|FAULTED") == "#d93025")
        #expect(SVGTimeline.colour("ONLINE|PARTIAL") == "#9aa51f")
    }

    @Test func recoveryTimesAreTabledPerFaultKind() async throws {
        let table = HTMLReport.recoveryTable(RunRecord(try await run(), sources: false))
        #expect(table.contains("<tr><td>kill-guest</td><td>1</td><td>0</td><td>0</td><td>1m21s</td><td>1m21s</td><td>1m21s</td><td>1m21s</td></tr>"))
        #expect(table.contains("<tr><td>kill-host</td><td>1</td><td>0</td><td>0</td><td>34s</td>"))
    }

    /// A miss seen late counts with its real time, marked late; one never
    /// seen is counted apart.
    @Test func missesCountWithTheirRealTimes() async throws {
        let suite = try loadFixture("""
              - name: late
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: hostb, within: 1m } ]
              - name: never
                fault: { kill-guest: vm1 }
                expect: [ { group: vmgrp, online: hostb, within: 10s } ]
            """)
        let record = RunRecord(await Runner(factory: SimulatedBackendFactory()).run(suite), sources: false)
        let table = HTMLReport.recoveryTable(record)
        #expect(table.contains("<tr><td>kill-guest</td><td>1</td><td>1</td><td>1</td><td>1m21s</td>"), "\(table)")
        #expect(HTMLReport.render(record).contains("<td>1m21s (late)</td>"))
    }
}
