/// The harness could not inject, heal or observe: an `<error>`, not a failure.
public struct HarnessError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
