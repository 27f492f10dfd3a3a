import CLibvirt

/// A failed libvirt call: libvirt's own error code, error domain and message,
/// read on the thread that made the call (libvirt keeps the last error per thread).
public struct LibvirtError: Error, Equatable, CustomStringConvertible, Sendable {
    /// `virErrorNumber`, e.g. 42 for VIR_ERR_NO_DOMAIN.
    public let code: Int32
    /// `virErrorDomain`, e.g. 12 for the test driver.
    public let domain: Int32
    public let message: String

    public init(code: Int32, domain: Int32, message: String) {
        self.code = code
        self.domain = domain
        self.message = message
    }

    public static let noDomainCode = Int32(VIR_ERR_NO_DOMAIN.rawValue)
    public static let operationInvalidCode = Int32(VIR_ERR_OPERATION_INVALID.rawValue)
    public static let noSupportCode = Int32(VIR_ERR_NO_SUPPORT.rawValue)

    public static let timeoutCode = Int32(VIR_ERR_OPERATION_TIMEOUT.rawValue)

    public var isNoDomain: Bool { code == Self.noDomainCode }
    /// The call got no answer within its deadline (haywire's, not libvirt's).
    public var isTimeout: Bool { code == Self.timeoutCode }

    private static func seconds(_ duration: Duration) -> String {
        let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return millis % 1000 == 0 ? "\(millis / 1000)" : "\(Double(millis) / 1000)"
    }

    static func timedOut(_ call: String, after timeout: Duration) -> LibvirtError {
        LibvirtError(code: timeoutCode, domain: 0, message: "\(call): no answer in \(seconds(timeout)) s")
    }

    public var description: String { "libvirt error \(code) (domain \(domain)): \(message)" }

    /// Reads and clears the calling thread's last libvirt error. Call it on the
    /// same thread, right after the failing call.
    static func takeLast(from call: String) -> LibvirtError {
        guard let last = virGetLastError() else {
            return LibvirtError(code: 0, domain: 0, message: "\(call) failed without an error report")
        }
        let message = last.pointee.message.map { String(cString: $0) } ?? "\(call) failed"
        let error = LibvirtError(code: last.pointee.code, domain: last.pointee.domain, message: message)
        virResetLastError()
        return error
    }
}
