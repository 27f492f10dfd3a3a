import Foundation

/// One attribute declaration of a types.cf `type` block, e.g.
/// `static int MonitorInterval = 60` or `str PidFiles[]`.
public struct AttributeDeclaration: Equatable, Sendable {
    public enum Kind: String, Sendable { case string = "str", integer = "int", boolean }
    public enum Shape: Sendable { case scalar, vector, keylist, association }

    public let name: String
    public let kind: Kind
    public let shape: Shape
    public let isStatic: Bool
    public let isTemp: Bool
    public let defaultValue: AttributeValue?
    public let location: SourceLocation

    /// Secrets are never printed back: Password-like names.
    public var isSecret: Bool { AttributeDeclaration.looksSecret(name) }

    public static func looksSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.contains("password") || lower.contains("passwd") || lower.hasSuffix("key") && lower != "key"
    }
}

/// A resource type: a `type Name ( ... )` block of types.cf.
public struct TypeDefinition: Equatable, Sendable {
    public let name: String
    public let attributes: [String: AttributeDeclaration]
    public let location: SourceLocation

    /// The attributes the agent receives, in order (`static str ArgList[]`).
    public var argList: [String] { attributes["ArgList"]?.defaultValue?.list ?? [] }
}

/// Attributes every resource has whatever its type (VCS's resource type
/// attributes), with VCS's defaults.
enum CommonResourceAttributes {
    static let text = """
        type _Common (
            boolean Critical = 1
            boolean Enabled = 1
            static int MonitorInterval = 60
            static int OfflineMonitorInterval = 300
            static int OnlineTimeout = 300
            static int OfflineTimeout = 300
            static int CleanTimeout = 60
            static int MonitorTimeout = 60
            static int RestartLimit = 0
            static int ToleranceLimit = 0
            static int OnlineRetryLimit = 0
            static int OnlineWaitLimit = 2
            static int ConfInterval = 600
            static int FaultOnMonitorTimeouts = 4
            static int AgentPriority = 0
            static str Operations = OnOff
            str ResourceInfo{}
            str TriggerPath
            str ComputeStats
        )
        """
}

/// Copies of configuration text with every secret-looking value replaced.
public enum Secrets {
    private static let assignment = #"\b([A-Za-z_]\w*)(\s*(?:@[\w.-]+)?\s*=\s*)("(?:[^"\\]|\\.)*"|[^\s)]+)"#

    /// The values of a main.cf's password-like attributes, unquoted.
    public static func values(in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: assignment) else { return [] }
        let source = text as NSString
        return expression.matches(in: text, range: NSRange(location: 0, length: source.length)).compactMap { match in
            guard AttributeDeclaration.looksSecret(source.substring(with: match.range(at: 1))) else { return nil }
            let value = source.substring(with: match.range(at: 3))
            return value.hasPrefix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
        }
    }

    /// `Password = CQIoFQf` becomes `Password = "<redacted>"`, wherever it
    /// stands (one attribute per line or many on one).
    public static func redact(_ text: String) -> String {
        let pattern = assignment
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return text }
        let result = NSMutableString(string: text)
        for match in expression.matches(in: text, range: NSRange(location: 0, length: result.length)).reversed()
        where AttributeDeclaration.looksSecret(result.substring(with: match.range(at: 1))) {
            result.replaceCharacters(in: match.range(at: 3), with: "\"<redacted>\"")
        }
        return result as String
    }
}
