/// How one backend makes, undoes and describes one kind of fault. `inject`
/// returns what it did ("virDomainDestroy vm1 on hosta"); `heal` is
/// idempotent; `plan` says what `inject` would do without changing anything;
/// `verify` returns evidence that the fault took effect ("vm1 runs on no
/// host"), nil where the backend cannot look, and throws when it did not.
public struct FaultHandler<Injector: Sendable>: Sendable {
    public let inject: @Sendable (Injector, Fault) async throws -> String
    public let heal: @Sendable (Injector, Injected) async throws -> String
    public let plan: @Sendable (Injector, Fault) async throws -> String
    public let verify: (@Sendable (Injector, Injected) async throws -> String?)?

    public init(inject: @escaping @Sendable (Injector, Fault) async throws -> String,
                heal: @escaping @Sendable (Injector, Injected) async throws -> String,
                plan: @escaping @Sendable (Injector, Fault) async throws -> String = { _, fault in fault.description },
                verify: (@Sendable (Injector, Injected) async throws -> String?)? = nil) {
        self.inject = inject
        self.heal = heal
        self.plan = plan
        self.verify = verify
    }
}

/// A backend's handlers by kind: the kinds it has a handler for are the
/// faults it supports, and nothing else says so.
public struct FaultHandlers<Injector: Sendable>: Sendable {
    /// The backend's name in errors ("the simulator", "the real lab").
    public let backend: String
    private var table: [FaultKind: FaultHandler<Injector>] = [:]

    public init(backend: String) { self.backend = backend }

    public var kinds: Set<FaultKind> { Set(table.keys) }

    /// Adds (or replaces) the handler for `kinds`.
    public mutating func register(_ kinds: FaultKind..., handler: FaultHandler<Injector>) {
        for kind in kinds { table[kind] = handler }
    }

    public func handler(for fault: Fault) throws -> FaultHandler<Injector> {
        guard let handler = table[fault.kind] else {
            throw HarnessError("\(backend) cannot make \(fault.kind.rawValue) faults (it makes: \(kinds.sorted().map(\.rawValue).joined(separator: ", ")))")
        }
        return handler
    }
}

/// A backend whose faults are all made through its handler table: what it
/// supports, makes, undoes, plans and verifies is looked up by kind.
public protocol HandlerTableInjector: FaultInjector {
    var handlers: FaultHandlers<Self> { get }
    /// The backend's clock now: when a fault just made took effect.
    func clockNow() async -> Duration
}

extension HandlerTableInjector {
    public var name: String { handlers.backend }
    public var supportedFaults: Set<FaultKind> { handlers.kinds }

    public func inject(_ fault: Fault) async throws -> Injected {
        let detail = try await handlers.handler(for: fault).inject(self, fault)
        return Injected(fault: fault, effectiveAt: await clockNow(), detail: detail)
    }

    public func heal(_ injected: Injected) async throws -> String {
        try await handlers.handler(for: injected.fault).heal(self, injected)
    }

    public func plan(_ fault: Fault) async throws -> String {
        try await handlers.handler(for: fault).plan(self, fault)
    }

    public func verify(_ injected: Injected) async throws -> String? {
        guard let verify = try handlers.handler(for: injected.fault).verify else { return nil }
        return try await verify(self, injected)
    }
}
