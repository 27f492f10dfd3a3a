import CLibvirt
import Foundation

/// The one thread that makes libvirt calls. Blocking C calls stay off the Swift
/// concurrency pool, and each error is read on the thread that raised it.
final class CallThread: @unchecked Sendable {
    static let shared = CallThread()

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    private init() {
        LibvirtRuntime.prepare()
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "haywire.libvirt.calls"
        thread.start()
    }

    /// Runs `body` on the call thread and returns its result; `inline`
    /// runs it on the caller's thread, for drivers that never block.
    func perform<T: Sendable>(
        inline: Bool = false, _ body: @escaping @Sendable () throws(LibvirtError) -> T
    ) async throws(LibvirtError) -> T {
        if inline { return try body() }
        let result: Result<T, LibvirtError> = await withCheckedContinuation { continuation in
            submit {
                do throws(LibvirtError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
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

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job() }
        }
    }
}

/// Process-wide libvirt set-up, done once before the first connection.
enum LibvirtRuntime {
    private static let prepared: Bool = {
        // libvirt prints every error to stderr unless told otherwise; we report
        // errors through LibvirtError instead. Not thread-safe: set once, first.
        virSetErrorFunc(nil, { _, _ in })
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
