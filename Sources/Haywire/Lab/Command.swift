import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a command printed and how it ended.
public struct CommandResult: Sendable, Equatable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public var succeeded: Bool { status == 0 }
}

/// Runs a program with a deadline: past it the program is killed and the
/// call fails, so a hung host or probe never hangs a run. The program gets
/// only stdin (/dev/null), stdout and stderr; a daemon it leaves behind may
/// keep them open, so the call returns when the program itself exits, not
/// when its pipes close. Blocking calls run on a thread of their own.
enum Command {
    /// `environment` adds to (or overrides) this process's; `directory` is
    /// where the program starts.
    static func run(_ argv: [String], timeout: Duration, environment: [String: String] = [:],
                    directory: String? = nil) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(argv, timeout: timeout, environment: environment, directory: directory) })
            }
        }
    }

    /// The same, on the calling thread.
    static func runBlocking(_ argv: [String], timeout: Duration, environment: [String: String] = [:],
                            directory: String? = nil) throws -> CommandResult {
        guard let program = argv.first else { throw HarnessError("empty command") }
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw HarnessError("cannot make pipes for \(program)") }
        // Only the child's 0, 1 and 2 may outlive the spawn.
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        // Nothing else of ours leaks into the child, nor into a daemon it
        // leaves behind (other threads' pipes are not all close-on-exec).
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        if let directory { posix_spawn_file_actions_addchdir_np(&actions, directory) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigaddset(&signals, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var variables = ProcessInfo.processInfo.environment
        for (key, value) in environment { variables[key] = value }
        let cEnvironment = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cEnvironment.forEach { free($0) } }
        let spawned = posix_spawnp(&pid, program, &actions, &attributes, cArguments, cEnvironment)
        close(out[1])
        close(err[1])
        // A descriptor read as EBADF was closed by someone else, and its
        // number may already be another's: it is not closed again here.
        var lost: Set<Int32> = []
        defer {
            for fd in [out[0], err[0]] where !lost.contains(fd) { close(fd) }
        }
        guard spawned == 0 else { throw HarnessError("cannot start \(program): \(String(cString: strerror(spawned)))") }

        var stdout = Data(), stderr = Data()
        let deadline = ContinuousClock.now + timeout
        var open = [out[0], err[0]]
        var status: Int32?
        var quietSinceExit = 0
        while true {
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid { status = exitStatus(raw) }
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = fds.isEmpty ? 0 : poll(&fds, nfds_t(fds.count), status == nil ? 20 : 5)
            if ready > 0 {
                for entry in fds where entry.revents != 0 {
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    let count = read(entry.fd, &buffer, buffer.count)
                    if count > 0 {
                        if entry.fd == out[0] { stdout.append(contentsOf: buffer[0..<count]) } else { stderr.append(contentsOf: buffer[0..<count]) }
                    } else {
                        if count < 0, errno == EBADF { lost.insert(entry.fd) }
                        open.removeAll { $0 == entry.fd }
                    }
                }
            }
            if let status {
                // Exited: drain what is buffered, but never wait on a daemon
                // that inherited the pipes.
                quietSinceExit = ready > 0 ? 0 : quietSinceExit + 1
                if open.isEmpty || quietSinceExit >= 2 {
                    return CommandResult(status: status, stdout: String(decoding: stdout, as: UTF8.self),
                                         stderr: String(decoding: stderr, as: UTF8.self))
                }
            } else if ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                var raw: Int32 = 0
                waitpid(pid, &raw, 0)
                throw HarnessError("\(argv.joined(separator: " ")) did not finish within \(formatDuration(timeout))")
            } else if fds.isEmpty {
                usleep(20_000)
            }
        }
    }

    private static func exitStatus(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

/// glibc 2.29's `posix_spawn_file_actions_addchdir_np`, behind _GNU_SOURCE too.
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func posix_spawn_file_actions_addchdir_np(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

/// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, which Swift's
/// Glibc module does not export (it sits behind _GNU_SOURCE).
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func posix_spawn_file_actions_addclosefrom_np(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
