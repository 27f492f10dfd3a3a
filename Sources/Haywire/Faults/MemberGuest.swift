/// A cluster node that is a lab guest (KVM-KVM): its commands go through the
/// agent of the guest on whichever of its hosts runs it now.
struct MemberGuest: CommandRunner {
    let guest: String
    let injector: LabInjector

    func run(_ argv: [String], timeout: Duration) async throws -> CommandResult {
        let (host, domain) = try await injector.runningGuest(guest)
        return try await GuestAgentShell(guest: guest, host: host, domain: domain).run(argv, timeout: timeout)
    }
}
