import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Haywire

@Suite struct JUnitWriterTests {
    private func result(_ verdict: Verdict, name: String, message: String = "", timeline: [TimelineEntry] = []) -> ScenarioResult {
        ScenarioResult(name: name, fault: "kill-guest guest vm1", verdict: verdict, message: message, expectations: [],
                       timeline: timeline, duration: .seconds(94), resolution: .zero, healErrors: [])
    }

    private func suite(_ scenarios: [ScenarioResult]) -> SuiteResult {
        SuiteResult(suite: "s & <t>", file: "s.yaml", manager: .simulated, configPath: "c.cf", scenarios: scenarios,
                    startedAt: Date(timeIntervalSince1970: 0), hostname: "lab1")
    }

    @Test func hostileTextStillMakesWellFormedXML() throws {
        let nasty = "a<b>&\"quote\" 'apos' \u{1}\u{7}\u{FFFE} ]]> end\u{1F600}"
        let xml = JUnitWriter.render([suite([
            result(.failed, name: nasty, message: nasty, timeline: [TimelineEntry(time: .seconds(1), kind: .cluster, text: nasty)]),
        ])])
        let document = try XMLDocument(xmlString: xml)
        let testcase = try #require(try document.nodes(forXPath: "//testcase").first as? XMLElement)
        #expect(testcase.attribute(forName: "name")?.stringValue == "a<b>&\"quote\" 'apos'  ]]> end\u{1F600}")
        #expect(!xml.contains("\u{1}"))
        #expect(!xml.contains("\u{FFFE}"))
    }

    @Test func countsAndElementsMatchTheVerdicts() throws {
        let xml = JUnitWriter.render([suite([
            result(.passed, name: "ok"), result(.failed, name: "slow", message: "missed"), result(.error, name: "broken", message: "no lab"),
        ])])
        let document = try XMLDocument(xmlString: xml)
        let root = try #require(document.rootElement())
        #expect(root.attribute(forName: "tests")?.stringValue == "3")
        #expect(root.attribute(forName: "failures")?.stringValue == "1")
        #expect(root.attribute(forName: "errors")?.stringValue == "1")
        #expect(try document.nodes(forXPath: "//testcase[@name='slow']/failure/@message").first?.stringValue == "missed")
        #expect(try document.nodes(forXPath: "//testcase[@name='broken']/error/@message").first?.stringValue == "no lab")
        #expect(try document.nodes(forXPath: "//testcase[@name='ok']/failure").isEmpty)
        #expect(try document.nodes(forXPath: "//testsuite/@timestamp").first?.stringValue == "1970-01-01T00:00:00")
        #expect(try document.nodes(forXPath: "//testcase[@name='ok']/@time").first?.stringValue == "94.000")
    }

    @Test func fileNamesAreSafe() {
        #expect(RunRecord.fileName("pm-pm guest/availability") == "pm-pm_guest_availability")
        #expect(RunRecord.fileName("..") == "suite")
    }

    @Test func embeddedOutputIsCappedKeepingItsStartAndEnd() {
        let lines = (1...5000).map { "line \($0) " + String(repeating: "x", count: 40) }
        let text = JUnitWriter.capped(lines, limit: 64 * 1024)
        #expect(text.utf8.count <= 64 * 1024)
        #expect(text.hasPrefix("line 1 "))
        #expect(text.hasSuffix("line 5000 " + String(repeating: "x", count: 40)))
        #expect(text.contains("lines left out; the run record (.run.json) has the whole timeline"))
        #expect(JUnitWriter.capped(["a", "b"], limit: 100) == "a\nb")
    }
}
