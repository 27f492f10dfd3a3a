import CLibvirt
import Foundation

/// An open libvirt connection (`virConnectPtr`), closed when released.
public final class Connection: @unchecked Sendable {
    /// How long a call to a daemon may take unless `open` says otherwise.
    public static let defaultCallTimeout: Duration = .seconds(60)

    // Touched only on the call thread, or inline for the test driver.
    var pointer: OpaquePointer?
    public let uri: String
    /// Every call through this connection fails after this long without an answer.
    public let callTimeout: Duration
    /// Nil for the test driver: it lives in this process and never blocks, so
    /// its calls run on the caller's thread (a hand-off would cost ten times
    /// the call). A daemon's calls run on this connection's own thread.
    let thread: CallThread?
    private let abandonment = NSLock()
    private var abandonedBy: String?

    private init(pointer: OpaquePointer, uri: String, thread: CallThread?, callTimeout: Duration) {
        self.pointer = pointer
        self.uri = uri
        self.thread = thread
        self.callTimeout = callTimeout
    }

    deinit {
        if let pointer {
            let handle = RawHandle(raw: pointer)
            release { _ = virConnectClose(handle.raw) }
        }
        thread?.finish()
    }

    /// Opens `uri`, e.g. `test:///default` or `qemu:///system`.
    /// A connection to a daemon is kept alive (a daemon that stops answering
    /// for 15 s closes it) and each of its calls, the opening included, fails
    /// after `callTimeout` without an answer instead of hanging.
    public static func open(_ uri: String, callTimeout: Duration = defaultCallTimeout) async throws(LibvirtError) -> Connection {
        if uri.hasPrefix("test:") {
            LibvirtRuntime.prepare()
            guard let pointer = virConnectOpen(uri) else { throw LibvirtError.takeLast(from: "virConnectOpen") }
            return Connection(pointer: pointer, uri: uri, thread: nil, callTimeout: callTimeout)
        }
        let thread = CallThread(name: "haywire.libvirt \(uri)")
        do {
            return try await thread.perform("virConnectOpen(\(uri))", timeout: callTimeout) { () throws(LibvirtError) -> Connection in
                guard let pointer = virConnectOpen(uri) else { throw LibvirtError.takeLast(from: "virConnectOpen") }
                _ = virConnectSetKeepAlive(pointer, 5, 3)
                return Connection(pointer: pointer, uri: uri, thread: thread, callTimeout: callTimeout)
            }
        } catch {
            thread.finish()
            throw error
        }
    }

    /// False once the daemon went away (it stopped, restarted or stopped
    /// answering its keepalives) or a call timed out.
    public func isAlive() async -> Bool {
        (try? await call("virConnectIsAlive") { pointer in virConnectIsAlive(pointer) == 1 }) ?? false
    }

    /// Closes the connection now; later calls on it fail. Safe to call twice.
    public func close() async {
        try? await call("virConnectClose") { pointer in
            _ = virConnectClose(pointer)
            self.pointer = nil
        }
    }

    public func defineDomain(xml: String) async throws(LibvirtError) -> Domain {
        try await call("virDomainDefineXML") { pointer throws(LibvirtError) in
            guard let domain = virDomainDefineXML(pointer, xml) else {
                throw LibvirtError.takeLast(from: "virDomainDefineXML")
            }
            return try Domain(adopting: domain, connection: self)
        }
    }

    public func lookupDomain(name: String) async throws(LibvirtError) -> Domain {
        try await call("virDomainLookupByName") { pointer throws(LibvirtError) in
            guard let domain = virDomainLookupByName(pointer, name) else {
                throw LibvirtError.takeLast(from: "virDomainLookupByName")
            }
            return try Domain(adopting: domain, connection: self)
        }
    }

    /// Every domain, defined or running; only the running (and paused) ones
    /// when `activeOnly`.
    public func listDomains(activeOnly: Bool = false) async throws(LibvirtError) -> [Domain] {
        let flags = activeOnly ? UInt32(VIR_CONNECT_LIST_DOMAINS_ACTIVE.rawValue) : 0
        return try await call("virConnectListAllDomains") { pointer throws(LibvirtError) in
            var list: UnsafeMutablePointer<OpaquePointer?>?
            let count = virConnectListAllDomains(pointer, &list, flags)
            guard count >= 0, let list else { throw LibvirtError.takeLast(from: "virConnectListAllDomains") }
            defer { free(list) }
            var domains: [Domain] = []
            var failure: LibvirtError?
            for index in 0..<Int(count) {
                guard let domain = list[index] else { continue }
                if failure != nil {
                    virDomainFree(domain)
                    continue
                }
                do throws(LibvirtError) { domains.append(try Domain(adopting: domain, connection: self)) } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            return domains.sorted { $0.name < $1.name }
        }
    }

    /// Runs `body` with the live pointer on the call thread.
    func call<T: Sendable>(
        _ name: String,
        _ body: @escaping @Sendable (OpaquePointer) throws(LibvirtError) -> T
    ) async throws(LibvirtError) -> T {
        try await run(name) { () throws(LibvirtError) -> T in
            guard let pointer = self.pointer else {
                throw LibvirtError(code: Int32(VIR_ERR_INVALID_CONN.rawValue), domain: 0, message: "\(name): connection to \(self.uri) is closed")
            }
            return try body(pointer)
        }
    }

    /// Runs `body` on the call thread with this connection's deadline. After
    /// one call timed out, the thread may still be stuck in it, so later
    /// calls fail at once: reopen the connection to go on.
    func run<T: Sendable>(
        _ name: String, _ body: @escaping @Sendable () throws(LibvirtError) -> T
    ) async throws(LibvirtError) -> T {
        guard let thread else { return try body() }
        if let stuck = abandonment.withLock({ abandonedBy }) {
            throw LibvirtError(code: LibvirtError.timeoutCode, domain: 0,
                               message: "\(name): connection to \(uri) abandoned after \(stuck)")
        }
        do {
            return try await thread.perform(name, timeout: callTimeout, body)
        } catch {
            if error.isTimeout { abandonment.withLock { abandonedBy = error.message } }
            throw error
        }
    }

    /// Runs `job` on the call thread without waiting: frees handles from `deinit`.
    func release(_ job: @escaping @Sendable () -> Void) {
        if let thread { thread.submit(job) } else { job() }
    }
}
