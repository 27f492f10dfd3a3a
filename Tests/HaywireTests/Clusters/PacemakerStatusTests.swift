import Foundation
import Testing
import VCSConfig
@testable import Haywire

@Suite struct PacemakerStatusTests {
    private func fixture(_ name: String) throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/pacemaker/\(name).xml").standardizedFileURL.path
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func aStartedGroupIsOnlineOnItsNode() throws {
        let status = try PacemakerStatus.parse(try fixture("started-on-lab1"), groups: ["vmgrp"])
        #expect(status.quorate)
        #expect(status.designatedController == "lab3")
        #expect(status.state.systems == ["lab1": .running, "lab2": .running, "lab3": .running])
        #expect(status.state.groups["vmgrp"] == ["lab1": .online, "lab2": .offline, "lab3": .offline])
    }

    @Test func failedStartsBanTheGroupFromThoseNodes() throws {
        // Taken after lab3's uplink dropped: lab1 and lab2 failed to start
        // vm1 (its image was still locked), so the group is PARTIAL on lab2.
        let status = try PacemakerStatus.parse(try fixture("failed-start-after-partition"), groups: ["vmgrp"])
        #expect(status.state.systems["lab3"] != .running)
        #expect(status.state.flags(of: "vmgrp", on: "lab2") == [.online, .partial, .faulted])
        #expect(status.state.flags(of: "vmgrp", on: "lab1") == [.offline, .faulted])
    }

    @Test func unknownGroupsAreOfflineEverywhere() throws {
        let status = try PacemakerStatus.parse(try fixture("started-on-lab1"), groups: ["nosuch"])
        #expect(status.state.groups["nosuch"] == ["lab1": .offline, "lab2": .offline, "lab3": .offline])
    }

    @Test func garbageIsAClearError() {
        #expect(throws: HarnessError.self) { try PacemakerStatus.parse("crm_mon: error: connection refused", groups: []) }
        #expect(throws: HarnessError("crm_mon XML has no summary: is the cluster running?")) {
            try PacemakerStatus.parse("<pacemaker-result/>", groups: [])
        }
    }

    /// Empty output (crm_mon killed) crashed FoundationXML's parser with
    /// SIGSEGV, and so did a NUL byte; ci/fuzz found both. They are errors now.
    @Test func emptyOrNonXMLOutputIsAnErrorNotACrash() {
        let withNUL = "<\0\0<pacemaker-result api-version=\"2.25\"><summary/></pacemaker-result>"
        for text in ["", "   \n", "Error: cluster is not available on this node\n", withNUL, "<pacemaker-result"] {
            #expect(throws: HarnessError.self) { try PacemakerStatus.parse(text, groups: nil) }
        }
    }

    /// `<?x?>`, a processing instruction with no data, made FoundationXML's
    /// parser dereference NULL (ci/fuzz, 2026-12-02); a DOCTYPE could
    /// expand entities. Neither is in anything crm_mon or cibadmin prints.
    @Test func processingInstructionsAndDoctypesAreNotACrash() throws {
        for text in ["<?x?>", "<?xml version=\"1.0\"?><?x?><pacemaker-result/>", "<?x", "<!DOCTYPE r [<!ENTITY a \"b\">]><r>&a;</r>"] {
            #expect(throws: HarnessError.self) { try PacemakerStatus.parse(text, groups: nil) }
            #expect(CIBXML(text) == nil)
        }
        let declared = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?foo bar?><pacemaker-result><summary/><?x?></pacemaker-result>"
        #expect(try PacemakerStatus.parse(declared, groups: nil).state.groups.isEmpty)
    }

    /// crmadmin's answers (Pacemaker 2.1.5 on the lab) read for the DC and its state.
    @Test func theDCAndItsStateAreReadFromCrmadmin() {
        let dc = """
            <pacemaker-result api-version="2.25" request="crmadmin -D --output-as=xml">
              <dc node_name="lab1"/>
              <status code="0" message="OK"/>
            </pacemaker-result>
            """
        let status = """
            <pacemaker-result api-version="2.25" request="crmadmin -S lab1 --output-as=xml">
              <crmd node_name="lab1" state="S_POLICY_ENGINE" result="ok"/>
              <status code="0" message="OK"/>
            </pacemaker-result>
            """
        #expect(XMLScanner.attribute("node_name", of: "dc", in: dc) == "lab1")
        #expect(XMLScanner.attribute("state", of: "crmd", in: status) == "S_POLICY_ENGINE")
        #expect(XMLScanner.attribute("state", of: "crmd", in: dc) == nil)
        #expect(XMLScanner.attribute("node_name", of: "dc", in: "<dc node_name='lab1'>") == nil)
    }

    /// XMLScanner, haywire's own reader, against what XML 1.0 says.
    @Test func theScannerReadsWellFormedXMLAndRefusesTheRest() {
        func elements(_ text: String) -> [String]? {
            var seen: [String] = []
            let ok = XMLScanner.scan(text, start: { name, attributes in
                seen.append(name + attributes.sorted { $0.key < $1.key }.map { " \($0.key)=[\($0.value)]" }.joined())
            }, end: { seen.append("/" + $0) })
            return ok ? seen : nil
        }
        #expect(elements("<a x='1' y=\"&lt;&amp;&#65;&#x42;&quot;\"><b/><!-- c --><![CDATA[<d>]]>t&gt;</a>\n")
            == ["a x=[1] y=[<&AB\"]", "b", "/b", "/a"])
        #expect(elements("<a v=\"1\t2\n3\"/>") == ["a v=[1 2 3]", "/a"])
        #expect(elements("<a\n  x = \"1\"\n></a >") == ["a x=[1]", "/a"])
        for broken in ["", "text", "<a>", "<a></b>", "<a/><b/>", "<a x=1/>", "<a x='1' x='2'/>", "<a x='1'y='2'/>", "<a>&bogus;</a>",
                       "<a x='&#0;'/>", "<a x='<'/>", "<!DOCTYPE a><a/>", "<a><!-- open", "<?x", "<1a/>", "</a>", "<a>\0</a>", "x<a/>"] {
            #expect(elements(broken) == nil, "\(broken)")
        }
    }

    /// A group id with a quote made the XPath haywire built from it invalid,
    /// and FoundationXML crashed on that (ci/fuzz). Ids are compared now.
    @Test func aGroupIdWithAQuoteReadsLikeAnyOther() throws {
        let xml = """
            <pacemaker-result api-version="2.25"><summary><current_dc name="n1" with_quorum="true"/></summary>
            <nodes><node name="n1" online="true"/></nodes>
            <resources><group id="g'1" number_resources="1"><resource id="r" role="Started"><node name="n1"/></resource></group></resources>
            </pacemaker-result>
            """
        let state = try PacemakerStatus.parse(xml, groups: nil).state
        #expect(state.onlineSystems(of: "g'1") == ["n1"])
        #expect(try PacemakerStatus.parse(xml, groups: ["g'1", "other]"]).state.groups["other]"] != nil)
    }
}
