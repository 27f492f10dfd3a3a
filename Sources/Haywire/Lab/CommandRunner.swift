/// Somewhere commands run: a host through its shell, or a guest through its
/// qemu guest agent. Both keep the same rules: a deadline past which the
/// command is killed and the call fails, and the exit status and output back.
public protocol CommandRunner: Sendable {
    func run(_ argv: [String], timeout: Duration) async throws -> CommandResult
}

extension Shell: CommandRunner {}
extension GuestAgentShell: CommandRunner {}
