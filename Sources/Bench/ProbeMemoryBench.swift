import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Haywire

/// Figure 8: memory the Pacemaker probe keeps per crm_mon document it reads
/// (it reads five a second on a real lab), against FoundationXML's
/// XMLDocument, which the reader used before and which kept about 65 KB of
/// each. Resident memory grown over many parses of the lab's capture.
enum ProbeMemoryBench {
    static func run(parses: Int) throws -> Figure {
        let xml = try String(contentsOfFile: "Tests/HaywireTests/Fixtures/pacemaker/started-on-lab1.xml", encoding: .utf8)
        func grown(_ parse: () throws -> Void) rethrows -> Double {
            for _ in 0..<100 { try parse() }
            let before = residentKB()
            for _ in 0..<parses { try parse() }
            return Double(residentKB() - before) / Double(parses)
        }
        let reader = try grown { _ = try ClusterStatus(capture: xml, manager: .pacemaker) }
        let document = grown { _ = try? XMLDocument(xmlString: xml) }
        print("probe memory: \(parses) parses: reader \(fixed(reader, 2)) KB each, XMLDocument \(fixed(document, 2)) KB each")
        return Figure(8, "probe memory per crm_mon read", measured: "\(fixed(reader, 2)) KB kept per read",
                      baseline: "XMLDocument \(fixed(document, 1)) KB", ratio: "\(fixed(document / max(reader, 0.01), 0))× less",
                      goal: "≤ 2 KB per read", met: reader <= 2)
    }

    private static func residentKB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
