import Foundation
import Testing
@testable import Haywire

@Suite struct RedactionTests {
    @Test func passwordsInCommandsAndURIsAreFound() {
        let found = Redaction.inCommands("""
            power: { off: ipmitool -H bmc -U admin -P 'p w1' power off, on: fence_ipmilan --password=abc123 -o on }
            libvirt: qemu+ssh://root:hunter22@host/system
            ready: IPMI_PASSWORD=xyz789 check-guest
            note: --passwd s3cret
            """)
        #expect(Set(found).isSuperset(of: ["p w1", "abc123", "hunter22", "xyz789", "s3cret"]))
        #expect(!found.contains("admin"))
    }

    @Test func aRunRecordCarriesNoKnownSecret() async throws {
        Redaction.learn(suiteText: "power: { off: ipmitool -P Record-Canary-61 power off }")
        Redaction.learnEnvironment(["SOME_API_TOKEN": "Record-Canary-62", "HOME": "/root"])
        let suite = try SuiteLoader.load(path: "\(suitesFolder)/pm-pm.yaml")
        let run = await Runner(factory: SimulatedBackendFactory()).run(suite)
        let leaky = run.scenarios[0]
        var timeline = leaky.timeline
        timeline.append(TimelineEntry(time: .seconds(1), kind: .fault, text: "run power off of hosta: ipmitool -P Record-Canary-61 power off"))
        let planted = ScenarioResult(name: leaky.name, fault: leaky.fault, verdict: .error,
                                     message: "'x' exited 1: Record-Canary-62", expectations: leaky.expectations,
                                     timeline: timeline, duration: leaky.duration, resolution: leaky.resolution,
                                     healErrors: ["heal failed: Record-Canary-61"])
        let record = RunRecord(run.replacing(scenarios: [planted]))
        let outputs = [String(decoding: try record.json(), as: UTF8.self), JUnitWriter.render(records: [record]), HTMLReport.render(record)]
        for output in outputs {
            #expect(!output.contains("Record-Canary-6"))
            #expect(output.contains("<redacted>") || output.contains("&lt;redacted&gt;"))
        }
        #expect(!Redaction.scrub("/root is home").contains("<redacted>"))
    }
}
