import Foundation
import VCSConfig

/// The secrets a run knows of, kept out of everything it prints or writes:
/// main.cf passwords, passwords in the suite's commands and URIs (`-P x`,
/// `--password=x`, `password=x`, `user:x@host`), and the values of
/// environment variables named like secrets (PASS, SECRET, TOKEN, KEY, CRED).
public enum Redaction {
    public static let mask = "<redacted>"
    private static let known = KnownSecrets()

    /// Learns the passwords in a suite file's commands and URIs.
    public static func learn(suiteText text: String) { remember(inCommands(text)) }

    /// Learns a main.cf's (or types.cf's) password-like attribute values.
    public static func learn(configText text: String) { remember(Secrets.values(in: text)) }

    /// Learns the values of environment variables named like secrets.
    public static func learnEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        remember(environment.filter { $0.key.range(of: "PASS|SECRET|TOKEN|KEY|CRED", options: [.regularExpression, .caseInsensitive]) != nil }
            .map(\.value))
    }

    private static func remember(_ values: [String]) {
        known.add(values.filter { $0.count >= 4 && $0 != mask })
    }

    /// `text` with every known secret replaced by the mask.
    public static func scrub(_ text: String) -> String { known.scrub(text) }

    /// `scrub` with the secrets known now: for a run record's million lines.
    static func scrubber() -> @Sendable (String) -> String {
        let secrets = known.snapshot()
        guard !secrets.isEmpty else { return { $0 } }
        return { masked($0, secrets) }
    }

    /// `text` with each of `secrets` (longest first) replaced by the mask.
    fileprivate static func masked(_ text: String, _ secrets: [String]) -> String {
        secrets.reduce(text) { $0.contains($1) ? $0.replacingOccurrences(of: $1, with: mask) : $0 }
    }

    private static let commandPatterns = [
        #"(?:^|\s)-P\s+("[^"]*"|'[^']*'|[^\s"']+)"#,
        #"--pass(?:word|wd)?[=\s]\s*("[^"]*"|'[^']*'|[^\s"']+)"#,
        #"(?i)\b\w*(?:pass(?:word|wd)?|secret|token)\w*\s*[=:]\s*("[^"]*"|'[^']*'|[^\s"',}]+)"#,
        #"://[^/:@\s]+:([^@/\s]+)@"#,
    ].compactMap { try? NSRegularExpression(pattern: $0, options: [.anchorsMatchLines]) }

    /// Passwords written into a suite's commands and URIs.
    static func inCommands(_ text: String) -> [String] {
        let source = text as NSString
        return commandPatterns.flatMap { expression in
            expression.matches(in: text, range: NSRange(location: 0, length: source.length)).map { match in
                let value = source.substring(with: match.range(at: 1))
                let quoted = (value.hasPrefix("\"") || value.hasPrefix("'")) && value.count >= 2
                return quoted ? String(value.dropFirst().dropLast()) : value
            }
        }
    }
}

/// The secret values, longest first, so that one inside another goes whole.
private final class KnownSecrets: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []

    func add(_ more: [String]) {
        lock.withLock { values = Array(Set(values + more)).sorted { $0.count > $1.count } }
    }

    func snapshot() -> [String] { lock.withLock { values } }

    func scrub(_ text: String) -> String { Redaction.masked(text, snapshot()) }
}
