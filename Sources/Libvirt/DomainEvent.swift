import CLibvirt

/// A domain lifecycle event (`VIR_DOMAIN_EVENT_ID_LIFECYCLE`).
public struct DomainEvent: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Int32, Sendable {
        case defined = 0, undefined, started, suspended, resumed, stopped, shutdown, pmSuspended, crashed
    }

    public let domainName: String
    public let kind: Kind
    /// `virDomainEvent<Kind>DetailType`, e.g. 1 (destroyed) for `stopped`.
    public let detail: Int32

    public var isDestroyed: Bool { kind == .stopped && detail == Int32(VIR_DOMAIN_EVENT_STOPPED_DESTROYED.rawValue) }

    public var description: String { "\(domainName) \(kind) detail \(detail)" }
}

/// Receives events on libvirt's event thread and forwards them to a stream.
private final class EventSink: @unchecked Sendable {
    let continuation: AsyncStream<DomainEvent>.Continuation
    init(_ continuation: AsyncStream<DomainEvent>.Continuation) { self.continuation = continuation }
}

private let lifecycleCallback: @convention(c) (
    OpaquePointer?, OpaquePointer?, Int32, Int32, UnsafeMutableRawPointer?
) -> Int32 = { _, domain, event, detail, opaque in
    guard let opaque, let domain, let kind = DomainEvent.Kind(rawValue: event) else { return 0 }
    let sink = Unmanaged<EventSink>.fromOpaque(opaque).takeUnretainedValue()
    let name = virDomainGetName(domain).map { String(cString: $0) } ?? "?"
    sink.continuation.yield(DomainEvent(domainName: name, kind: kind, detail: detail))
    return 0
}

private let releaseSink: @convention(c) (UnsafeMutableRawPointer?) -> Void = { opaque in
    guard let opaque else { return }
    Unmanaged<EventSink>.fromOpaque(opaque).release()
}

private let closeCallback: @convention(c) (OpaquePointer?, Int32, UnsafeMutableRawPointer?) -> Void = { _, _, opaque in
    guard let opaque else { return }
    Unmanaged<EventSink>.fromOpaque(opaque).takeUnretainedValue().continuation.finish()
}

extension Connection {
    /// Lifecycle events for every domain of this connection. The stream ends
    /// when the connection is lost (its daemon stopped, restarted or stopped
    /// answering); ending it (cancel or drop it) deregisters the callback.
    public func lifecycleEvents() async throws(LibvirtError) -> AsyncStream<DomainEvent> {
        let (stream, continuation) = AsyncStream<DomainEvent>.makeStream(bufferingPolicy: .unbounded)
        let sink = EventSink(continuation)
        let callbackID = try await call("virConnectDomainEventRegisterAny") { pointer throws(LibvirtError) -> Int32 in
            let opaque = Unmanaged.passRetained(sink).toOpaque()
            let id = virConnectDomainEventRegisterAny(
                pointer, nil, Int32(VIR_DOMAIN_EVENT_ID_LIFECYCLE.rawValue),
                unsafeBitCast(lifecycleCallback, to: virConnectDomainEventGenericCallback.self),
                opaque, releaseSink)
            guard id >= 0 else {
                Unmanaged<EventSink>.fromOpaque(opaque).release()
                throw LibvirtError.takeLast(from: "virConnectDomainEventRegisterAny")
            }
            // One close callback per connection: a second stream on it ends
            // with its last event instead.
            let closing = Unmanaged.passRetained(sink).toOpaque()
            if virConnectRegisterCloseCallback(pointer, closeCallback, closing, releaseSink) < 0 {
                Unmanaged<EventSink>.fromOpaque(closing).release()
                virResetLastError()
            }
            return id
        }
        continuation.onTermination = { _ in
            self.release {
                guard let pointer = self.pointer else { return }
                _ = virConnectDomainEventDeregisterAny(pointer, callbackID)
                if virConnectUnregisterCloseCallback(pointer, closeCallback) < 0 { virResetLastError() }
            }
        }
        return stream
    }
}
