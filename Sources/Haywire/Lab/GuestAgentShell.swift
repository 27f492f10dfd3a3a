import Foundation
import Libvirt

/// Runs commands inside a guest through the qemu guest agent: `guest-exec`,
/// then `guest-exec-status` until the command exits, both through libvirt
/// (`virDomainQemuAgentCommand`). No network path into the guest is needed.
/// The same rules as a host's shell: a deadline past which the command is
/// killed and the call fails, and the exit status, stdout and stderr back.
public struct GuestAgentShell: Sendable {
    public let guest: String
    public let host: String
    let domain: Domain

    public init(guest: String, host: String, domain: Domain) {
        self.guest = guest
        self.host = host
        self.domain = domain
    }

    /// How long the agent may take to answer one request.
    static let answerSeconds: Int32 = 5

    public func run(_ argv: [String], timeout: Duration = .seconds(10)) async throws -> CommandResult {
        guard let program = argv.first else { throw HarnessError("empty command") }
        let started = ContinuousClock.now
        let request: [String: Any] = ["execute": "guest-exec", "arguments": [
            "path": program, "arg": Array(argv.dropFirst()), "capture-output": true,
        ]]
        guard let pid = try await ask(request)["pid"] as? Int else {
            throw HarnessError("the guest agent of \(guest) on \(host) started \(program) but gave no pid")
        }
        var pause = Duration.milliseconds(20)
        while true {
            let status = try await ask(["execute": "guest-exec-status", "arguments": ["pid": pid]])
            if status["exited"] as? Bool == true { return try Self.result(status, program: program) }
            if ContinuousClock.now - started >= timeout {
                _ = try? await ask(["execute": "guest-exec", "arguments": ["path": "/bin/kill", "arg": ["-KILL", String(pid)]]])
                throw HarnessError("\(argv.joined(separator: " ")) inside \(guest) did not finish within \(formatDuration(timeout))")
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(200))
        }
    }

    /// The agent answers at all (`guest-ping`): the doctor's check.
    public func ping() async throws { _ = try await ask(["execute": "guest-ping"]) }

    private func ask(_ request: [String: Any]) async throws -> [String: Any] {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys]), as: UTF8.self)
        let reply: String
        do {
            reply = try await domain.agentCommand(json, seconds: Self.answerSeconds)
        } catch {
            throw HarnessError("the guest agent of \(guest) on \(host) does not answer: \(error.message)")
        }
        return try Self.answer(reply, guest: guest)
    }

    /// The `return` object of an agent reply (an empty reply object is `{}`).
    static func answer(_ reply: String, guest: String) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any] else {
            throw HarnessError("the guest agent of \(guest) answered something that is not a JSON object: \(reply.prefix(200))")
        }
        if let error = object["error"] as? [String: Any] {
            throw HarnessError("the guest agent of \(guest) refused: \(error["desc"] as? String ?? "\(error)")")
        }
        return object["return"] as? [String: Any] ?? [:]
    }

    /// A finished `guest-exec-status`: a command killed by signal N exits 128+N, as a shell reports it.
    static func result(_ status: [String: Any], program: String) throws -> CommandResult {
        func text(_ key: String) -> String {
            guard let encoded = status[key] as? String, let data = Data(base64Encoded: encoded) else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        let code: Int32
        if let exit = status["exitcode"] as? Int {
            code = Int32(clamping: exit)
        } else if let signal = status["signal"] as? Int {
            code = 128 + Int32(clamping: signal)
        } else {
            throw HarnessError("the guest agent says \(program) exited but gives neither its exit code nor its signal")
        }
        return CommandResult(status: code, stdout: text("out-data"), stderr: text("err-data"))
    }
}
