import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The parts of `crm_mon --output-as=xml` the probe reads, gathered in one
/// pass of XMLParser. Not XMLDocument: on Linux it kept about 60 KB of every
/// document it parsed (300 KB a second at the probe's 200 ms), and it
/// crashed on text libxml2 builds no document from.
struct CrmMonXML {
    struct Member {
        let id: String
        let role: String
        var nodes: [String] = []
    }

    var sawSummary = false
    var designatedController: [String: String]?
    /// `<nodes><node …>`: each node's attributes.
    var nodes: [[String: String]] = []
    /// `<node_history><node name><resource_history …>`: node name and attributes.
    var histories: [(node: String, attributes: [String: String])] = []
    /// `<resources><group id><resource id role><node name>`, in order.
    var groups: [(id: String, members: [Member])] = []

    /// Nil when the text is not well-formed XML.
    init?(_ text: String) {
        guard !text.contains("\0") else { return nil }
        let reader = Reader()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = reader
        guard parser.parse(), reader.sawRoot else { return nil }
        self = reader.result
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var result = CrmMonXML(empty: ())
        var sawRoot = false
        /// Open elements, innermost last, with their attributes.
        private var stack: [(name: String, attributes: [String: String])] = []

        private func parent(_ depth: Int = 1) -> String? { stack.count >= depth ? stack[stack.count - depth].name : nil }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String]) {
            sawRoot = true
            switch name {
            case "summary": result.sawSummary = true
            case "current_dc" where parent() == "summary": result.designatedController = attributes
            case "node" where parent() == "nodes": result.nodes.append(attributes)
            case "resource_history" where parent() == "node" && parent(2) == "node_history":
                result.histories.append((stack.last?.attributes["name"] ?? "", attributes))
            case "group" where parent() == "resources": result.groups.append((attributes["id"] ?? "", []))
            case "resource" where parent() == "group" && parent(2) == "resources" && !result.groups.isEmpty:
                result.groups[result.groups.count - 1].members.append(Member(id: attributes["id"] ?? "", role: attributes["role"] ?? ""))
            case "node" where parent() == "resource" && parent(2) == "group" && parent(3) == "resources":
                if let name = attributes["name"], !result.groups.isEmpty, !result.groups[result.groups.count - 1].members.isEmpty {
                    let group = result.groups.count - 1
                    result.groups[group].members[result.groups[group].members.count - 1].nodes.append(name)
                }
            default: break
            }
            stack.append((name, attributes))
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if !stack.isEmpty { stack.removeLast() }
        }
    }

    private init(empty: Void) {}
}
