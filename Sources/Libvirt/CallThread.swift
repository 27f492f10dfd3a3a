import CLibvirt
import Foundation

/// A thread that makes one connection's libvirt calls. Blocking C calls stay
/// off the Swift concurrency pool, each error is read on the thread that
/// raised it, and a connection whose daemon hangs blocks only its own thread.
final class CallThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var finishing = false

    init(name: String) {
        LibvirtRuntime.prepare()
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on this thread and returns its result, or throws
    /// `LibvirtError.timedOut` once `timeout` passes first. The late result
    /// of a call that timed out is dropped.
    func perform<T: Sendable>(
        _ call: String, timeout: Duration, _ body: @escaping @Sendable () throws(LibvirtError) -> T
    ) async throws(LibvirtError) -> T {
        let once = ResumeOnce<T>()
        let result: Result<T, LibvirtError> = await withCheckedContinuation { continuation in
            once.arm(continuation)
            submit {
                do throws(LibvirtError) {
                    once.resume(.success(try body()))
                } catch {
                    once.resume(.failure(error))
                }
            }
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                once.resume(.failure(.timedOut(call, after: timeout)))
            }
        }
        return try result.get()
    }

    /// Queues `job` without waiting for it: used to free handles from `deinit`.
    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once the jobs queued so far have run.
    func finish() {
        condition.lock()
        finishing = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finishing { condition.wait() }
            let batch = jobs
            let last = finishing
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job() }
            if last && batch.isEmpty { return }
        }
    }
}

/// A continuation that the first of a call's result and its deadline resumes.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<T, LibvirtError>, Never>?

    func arm(_ continuation: CheckedContinuation<Result<T, LibvirtError>, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    func resume(_ result: Result<T, LibvirtError>) {
        let waiting = lock.withLock { () -> CheckedContinuation<Result<T, LibvirtError>, Never>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: result)
    }
}

/// Process-wide libvirt set-up, done once before the first connection.
enum LibvirtRuntime {
    private static let prepared: Bool = {
        // libvirt prints every error to stderr unless told otherwise; we report
        // errors through LibvirtError instead. Not thread-safe: set once, first.
        virSetErrorFunc(nil, { _, _ in })
        // libvirt writes to its daemons' sockets and leaves SIGPIPE to the
        // application: a daemon that hangs up must be an error, not a death.
        signal(SIGPIPE, SIG_IGN)
        _ = virInitialize()
        // The default event loop must exist before any connection is opened.
        _ = virEventRegisterDefaultImpl()
        let events = Thread {
            while true { _ = virEventRunDefaultImpl() }
        }
        events.name = "haywire.libvirt.events"
        events.start()
        return true
    }()

    static func prepare() { _ = prepared }
}

/// Carries a raw libvirt pointer to the call thread (to free it there).
struct RawHandle: @unchecked Sendable {
    let raw: OpaquePointer
}
