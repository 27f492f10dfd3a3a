import Libvirt

/// Listens to libvirt lifecycle events on every host and stamps them with
/// the backend clock, so the timeline shows when a guest really stopped or
/// started, to the millisecond, between two polls of the cluster. A nested
/// host's outer domain is listened to on its outer hypervisor: its stop or
/// pause is when the host became unreachable. A lost connection (libvirtd
/// restarted, a nested host gone) is a timeline note, and listening resumes
/// as soon as the daemon answers again.
actor GuestEvents {
    private var pending: [TimelineEntry] = []
    private var listeners: [Task<Void, Never>] = []
    private let clock: LabClock
    private let retryInterval: Duration

    init(clock: LabClock, retryInterval: Duration = .seconds(1)) {
        self.clock = clock
        self.retryInterval = retryInterval
    }

    /// Subscribes on every host, and on the outer hypervisor of every
    /// nested host, before returning, so no event of the scenario is missed;
    /// a daemon that does not answer now is retried.
    func listen(to hosts: [HostAccess]) async {
        var sources = hosts.compactMap { host in
            host.libvirtURI.map { Source(label: host.name, uri: $0, timeout: host.libvirtTimeout, nested: [:]) }
        }
        // One subscription per outer hypervisor, naming the hosts it runs.
        let nested = hosts.filter { $0.outer != nil }
        for uri in Set(nested.compactMap(\.outer?.libvirt)).sorted() {
            let carried = nested.filter { $0.outer?.libvirt == uri }
            sources.append(Source(label: "outer hypervisor of \(carried.map(\.name).joined(separator: ", "))", uri: uri,
                                  timeout: carried.map(\.libvirtTimeout).max() ?? .seconds(60),
                                  nested: Dictionary(uniqueKeysWithValues: carried.compactMap { h in h.outer.map { ($0.domain, h.name) } })))
        }
        for source in sources {
            let first = await Self.subscribe(source)
            let shortest = retryInterval
            listeners.append(Task { [weak self] in
                var current = first
                var retry = shortest
                while !Task.isCancelled {
                    if let (connection, stream) = current {
                        retry = shortest
                        for await event in stream {
                            await self?.record(source, event, connection)
                        }
                        if Task.isCancelled { return }
                        await self?.note("\(source.label): libvirt connection lost; listening again once it answers")
                    }
                    try? await Task.sleep(for: retry)
                    // A daemon that does not answer at all holds a thread per
                    // attempt until it does: ask it less and less often.
                    retry = min(retry * 2, .seconds(60))
                    current = await Self.subscribe(source)
                    if current != nil { await self?.note("\(source.label): libvirt answers again; listening") }
                }
            })
        }
    }

    /// A libvirtd to listen to: a host's own, or an outer hypervisor's,
    /// whose events count only for the nested hosts' domains.
    private struct Source: Sendable {
        let label: String
        let uri: String
        let timeout: Duration
        /// Outer domain -> the nested host it is; empty for a host's own.
        let nested: [String: String]
    }

    private static func subscribe(_ source: Source) async -> (Connection, AsyncStream<DomainEvent>)? {
        guard let connection = try? await Connection.open(source.uri, callTimeout: source.timeout),
              let stream = try? await connection.lifecycleEvents() else { return nil }
        return (connection, stream)
    }

    private func record(_ source: Source, _ event: DomainEvent, _ connection: Connection) {
        _ = connection  // kept alive with the stream
        let what = "\(event.domainName) \(event.kind)\(event.isDestroyed ? " (destroyed)" : "")"
        guard !source.nested.isEmpty else {
            pending.append(TimelineEntry(time: clock.now, kind: .cluster, text: "\(source.label): libvirt: \(what)"))
            return
        }
        guard let host = source.nested[event.domainName] else { return }
        let reach = switch event.kind {
        case .stopped, .suspended, .crashed, .shutdown: "; \(host) is unreachable"
        case .started, .resumed: "; \(host) runs again"
        default: ""
        }
        pending.append(TimelineEntry(time: clock.now, kind: .cluster, text: "nested host \(host): outer libvirt: \(what)\(reach)"))
    }

    private func note(_ text: String) {
        pending.append(TimelineEntry(time: clock.now, kind: .note, text: text))
    }

    func drain() -> [TimelineEntry] {
        defer { pending.removeAll() }
        return pending
    }

    func stop() {
        listeners.forEach { $0.cancel() }
        listeners = []
    }
}
