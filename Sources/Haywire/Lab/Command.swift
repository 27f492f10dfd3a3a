import Foundation

/// What a command printed and how it ended.
public struct CommandResult: Sendable, Equatable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public var succeeded: Bool { status == 0 }
}

/// Runs a program with a deadline: past it the program is killed and the
/// call fails, so a hung host or probe never hangs a run.
enum Command {
    static func run(_ argv: [String], timeout: Duration, input: String? = nil) async throws -> CommandResult {
        guard let program = argv.first else { throw HarnessError("empty command") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
        process.arguments = program.hasPrefix("/") ? Array(argv.dropFirst()) : argv
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        let outBuffer = Buffer(), errBuffer = Buffer()
        out.fileHandleForReading.readabilityHandler = { outBuffer.append($0.availableData) }
        err.fileHandleForReading.readabilityHandler = { errBuffer.append($0.availableData) }
        let exited = Exit()
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw HarnessError("cannot start \(program): \(error.localizedDescription)")
        }
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        let finished = await exited.wait(timeout: timeout)
        if !finished {
            kill(process.processIdentifier, SIGKILL)
            _ = await exited.wait(timeout: .seconds(5))
        }
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        guard finished else {
            throw HarnessError("\(argv.joined(separator: " ")) did not finish within \(formatDuration(timeout))")
        }
        outBuffer.append(out.fileHandleForReading.readDataToEndOfFile())
        errBuffer.append(err.fileHandleForReading.readDataToEndOfFile())
        return CommandResult(status: process.terminationStatus, stdout: outBuffer.text, stderr: errBuffer.text)
    }

    private final class Buffer: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }

    /// A one-shot signal that a waiter can await with a deadline.
    private final class Exit: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        private var waiters: [CheckedContinuation<Void, Never>] = []

        func signal() {
            let pending = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
                done = true
                defer { waiters = [] }
                return waiters
            }
            pending.forEach { $0.resume() }
        }

        func wait(timeout: Duration) async -> Bool {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    await withCheckedContinuation { continuation in
                        let already = self.lock.withLock { () -> Bool in
                            if self.done { return true }
                            self.waiters.append(continuation)
                            return false
                        }
                        if already { continuation.resume() }
                    }
                    return true
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return false
                }
                let first = await group.next() ?? false
                if !first { self.signal() }  // release the waiter task
                group.cancelAll()
                return first
            }
        }
    }
}
