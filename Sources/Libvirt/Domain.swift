import CLibvirt
import Foundation

/// A libvirt domain handle (`virDomainPtr`), freed when released.
public final class Domain: @unchecked Sendable {
    // Touched only on the call thread.
    let pointer: OpaquePointer
    public let connection: Connection
    public let name: String
    public let uuid: String

    /// Takes ownership of `pointer`; call on the call thread.
    init(adopting pointer: OpaquePointer, connection: Connection) throws(LibvirtError) {
        self.pointer = pointer
        self.connection = connection
        guard let name = virDomainGetName(pointer) else {
            let error = LibvirtError.takeLast(from: "virDomainGetName")
            virDomainFree(pointer)
            throw error
        }
        self.name = String(cString: name)
        var buffer = [CChar](repeating: 0, count: Int(VIR_UUID_STRING_BUFLEN))
        self.uuid = virDomainGetUUIDString(pointer, &buffer) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    }

    deinit {
        let handle = RawHandle(raw: pointer)
        connection.release { _ = virDomainFree(handle.raw) }
    }

    /// Boots a defined domain (`virsh start`).
    public func start() async throws(LibvirtError) { try await act("virDomainCreate", virDomainCreate) }
    /// Pulls the plug (`virsh destroy`).
    public func destroy() async throws(LibvirtError) { try await act("virDomainDestroy", virDomainDestroy) }
    /// Asks the guest to shut down (`virsh shutdown`).
    public func shutdown() async throws(LibvirtError) { try await act("virDomainShutdown", virDomainShutdown) }
    public func suspend() async throws(LibvirtError) { try await act("virDomainSuspend", virDomainSuspend) }
    /// Asks the guest to reboot (`virsh reboot`); qemu keeps running.
    public func reboot() async throws(LibvirtError) { try await act("virDomainReboot") { virDomainReboot($0, 0) } }
    public func resume() async throws(LibvirtError) { try await act("virDomainResume", virDomainResume) }
    /// Sends a non-maskable interrupt; a guest booted with
    /// `unknown_nmi_panic` panics on it.
    public func injectNMI() async throws(LibvirtError) {
        try await act("virDomainInjectNMI") { virDomainInjectNMI($0, 0) }
    }
    /// Changes a live device, e.g. an interface's `<link state='down'/>`
    /// (`virsh update-device --live`).
    public func updateDevice(xml: String) async throws(LibvirtError) {
        try await act("virDomainUpdateDeviceFlags") { virDomainUpdateDeviceFlags($0, xml, UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue)) }
    }
    /// Unplugs a live device (`virsh detach-device --live`).
    public func detachDevice(xml: String) async throws(LibvirtError) {
        try await act("virDomainDetachDeviceFlags") { virDomainDetachDeviceFlags($0, xml, UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue)) }
    }
    /// Plugs a device into the running domain (`virsh attach-device --live`).
    public func attachDevice(xml: String) async throws(LibvirtError) {
        try await act("virDomainAttachDeviceFlags") { virDomainAttachDeviceFlags($0, xml, UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue)) }
    }
    /// The element stored under namespace `uri` in the domain's
    /// `<metadata>` (of the running domain if it runs), or nil.
    public func metadata(uri: String) async throws(LibvirtError) -> String? {
        try await connection.run("virDomainGetMetadata") { () throws(LibvirtError) -> String? in
            guard let text = virDomainGetMetadata(self.pointer, Int32(VIR_DOMAIN_METADATA_ELEMENT.rawValue), uri, 0) else {
                let error = LibvirtError.takeLast(from: "virDomainGetMetadata")
                if error.code == Int32(VIR_ERR_NO_DOMAIN_METADATA.rawValue) { return nil }
                throw error
            }
            defer { free(text) }
            return String(cString: text)
        }
    }

    /// Stores `xml` under namespace `uri` (prefix `key`) in the domain's
    /// `<metadata>`: in its persistent definition, and live if it runs.
    public func setMetadata(_ xml: String, key: String, uri: String) async throws(LibvirtError) {
        let running = try await isRunning()
        let flags = UInt32(VIR_DOMAIN_AFFECT_CONFIG.rawValue) | (running ? UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue) : 0)
        try await act("virDomainSetMetadata") { virDomainSetMetadata($0, Int32(VIR_DOMAIN_METADATA_ELEMENT.rawValue), xml, key, uri, flags) }
    }

    /// Removes the definition; a running domain becomes transient.
    public func undefine() async throws(LibvirtError) { try await act("virDomainUndefine", virDomainUndefine) }

    public func state() async throws(LibvirtError) -> DomainStateInfo {
        try await connection.run("virDomainGetState") { () throws(LibvirtError) -> DomainStateInfo in
            var state: Int32 = 0
            var reason: Int32 = 0
            guard virDomainGetState(self.pointer, &state, &reason, 0) == 0 else {
                throw LibvirtError.takeLast(from: "virDomainGetState")
            }
            return DomainStateInfo(state: DomainState(rawValue: state) ?? .noState, reason: reason)
        }
    }

    /// The domain's XML description (`virsh dumpxml`).
    public func xmlDescription() async throws(LibvirtError) -> String {
        try await connection.run("virDomainGetXMLDesc") { () throws(LibvirtError) -> String in
            guard let text = virDomainGetXMLDesc(self.pointer, 0) else {
                throw LibvirtError.takeLast(from: "virDomainGetXMLDesc")
            }
            defer { free(text) }
            return String(cString: text)
        }
    }

    public func isRunning() async throws(LibvirtError) -> Bool {
        try await state().state == .running
    }

    private func act(
        _ call: String, _ function: @escaping @Sendable (OpaquePointer?) -> Int32
    ) async throws(LibvirtError) {
        try await connection.run(call) { () throws(LibvirtError) in
            guard function(self.pointer) == 0 else { throw LibvirtError.takeLast(from: call) }
        }
    }
}

/// `virDomainState`.
public enum DomainState: Int32, Sendable, CustomStringConvertible {
    case noState = 0, running, blocked, paused, shutdown, shutoff, crashed, pmSuspended

    public var description: String {
        switch self {
        case .noState: "nostate"
        case .running: "running"
        case .blocked: "blocked"
        case .paused: "paused"
        case .shutdown: "shutting down"
        case .shutoff: "shut off"
        case .crashed: "crashed"
        case .pmSuspended: "pmsuspended"
        }
    }
}

/// A state with libvirt's reason for it (`virDomain<State>Reason`).
public struct DomainStateInfo: Equatable, Sendable, CustomStringConvertible {
    public let state: DomainState
    public let reason: Int32

    public init(state: DomainState, reason: Int32) {
        self.state = state
        self.reason = reason
    }

    /// A readable reason for the states the harness cares about.
    public var reasonName: String {
        switch state {
        case .running:
            let names = ["unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
                         "migration canceled", "save canceled", "wakeup", "crashed", "post-copy"]
            return reason >= 0 && Int(reason) < names.count ? names[Int(reason)] : "reason \(reason)"
        case .shutoff:
            let names = ["unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
                         "from snapshot", "daemon"]
            return reason >= 0 && Int(reason) < names.count ? names[Int(reason)] : "reason \(reason)"
        case .paused:
            let names = ["unknown", "user", "migration", "save", "dump", "ioerror", "watchdog",
                         "from snapshot", "shutting down", "snapshot", "crashed", "starting up"]
            return reason >= 0 && Int(reason) < names.count ? names[Int(reason)] : "reason \(reason)"
        default:
            return "reason \(reason)"
        }
    }

    public var description: String { "\(state) (\(reasonName))" }
}
