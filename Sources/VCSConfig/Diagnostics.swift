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

/// A configuration that cannot be accepted, printed as `file:line:column: reason`.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let reason: String

    public init(_ location: SourceLocation, _ reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "\(location): \(reason)" }
}

/// Something VCS would accept but a user should hear about.
public struct ConfigWarning: Equatable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let reason: String

    public var description: String { "\(location): warning: \(reason)" }
}
