import CLibvirt
import Foundation

/// An open libvirt connection (`virConnectPtr`), closed when released.
public final class Connection: @unchecked Sendable {
    // Touched only on the call thread, or inline for the test driver.
    var pointer: OpaquePointer?
    public let uri: String
    /// The test driver lives in this process and never blocks, so its calls
    /// run on the caller's thread: a hand-off to the call thread would cost
    /// ten times the call.
    let runsInline: Bool

    private init(pointer: OpaquePointer, uri: String) {
        self.pointer = pointer
        self.uri = uri
        runsInline = uri.hasPrefix("test:")
    }

    deinit {
        if let pointer {
            let handle = RawHandle(raw: pointer)
            CallThread.shared.submit { _ = virConnectClose(handle.raw) }
        }
    }

    /// Opens `uri`, e.g. `test:///default` or `qemu:///system`.
    /// A remote connection (to a libvirtd) is kept alive: a daemon that stops
    /// answering for 15 s closes it, so calls fail instead of hanging.
    public static func open(_ uri: String) async throws(LibvirtError) -> Connection {
        try await CallThread.shared.perform { () throws(LibvirtError) -> Connection in
            guard let pointer = virConnectOpen(uri) else { throw LibvirtError.takeLast(from: "virConnectOpen") }
            if !uri.hasPrefix("test:") { _ = virConnectSetKeepAlive(pointer, 5, 3) }
            return Connection(pointer: pointer, uri: uri)
        }
    }

    /// False once the daemon went away (it stopped, restarted or stopped
    /// answering its keepalives).
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
        try await CallThread.shared.perform(inline: runsInline) { () throws(LibvirtError) -> T in
            guard let pointer = self.pointer else {
                throw LibvirtError(code: Int32(VIR_ERR_INVALID_CONN.rawValue), domain: 0, message: "\(name): connection to \(self.uri) is closed")
            }
            return try body(pointer)
        }
    }
}
