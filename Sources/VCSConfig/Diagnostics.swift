/// A place in a configuration file; lines and columns count from 1.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A configuration that cannot be accepted, printed as
/// `file:line:column: error: reason`; further errors in the same input
/// follow, one a line.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let reason: String
    /// More errors found in the same pass (at most `limit - 1`).
    public var others: [ConfigError] = []

    public static let limit = 20

    public init(_ location: SourceLocation, _ reason: String) {
        self.location = location
        self.reason = reason
    }

    /// The first of `errors` carrying the rest, or nil when there are none.
    public static func combining(_ errors: [ConfigError]) -> ConfigError? {
        guard var first = errors.first else { return nil }
        first.others = Array(errors.dropFirst().prefix(limit - 1))
        return first
    }

    public var line: String { "\(location): error: \(reason)" }

    public var description: String { ([line] + others.map(\.line)).joined(separator: "\n") }
}

/// Something VCS would accept but a user should hear about.
public struct ConfigWarning: Equatable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let reason: String
    /// An error under `--strict`: what haywire guesses at (an unknown type).
    public var isGuess = false

    public init(location: SourceLocation, reason: String, isGuess: Bool = false) {
        self.location = location
        self.reason = reason
        self.isGuess = isGuess
    }

    public var description: String { "\(location): warning: \(reason)" }
}
