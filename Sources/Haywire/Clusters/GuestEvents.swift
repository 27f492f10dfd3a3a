import Libvirt

/// Listens to libvirt lifecycle events on every host and stamps them with
/// the backend clock, so the timeline shows when a guest really stopped or
/// started, to the millisecond, between two polls of the cluster. A lost
/// connection (libvirtd restarted) is a timeline note, and listening
/// resumes as soon as the daemon answers again.
actor GuestEvents {
    private var pending: [TimelineEntry] = []
    private var listeners: [Task<Void, Never>] = []
    private let clock: LabClock
    private let retryInterval: Duration

    init(clock: LabClock, retryInterval: Duration = .seconds(1)) {
        self.clock = clock
        self.retryInterval = retryInterval
    }

    /// Subscribes on every host before returning, so no event of the
    /// scenario is missed; a host that does not answer now is retried.
    func listen(to hosts: [HostAccess]) async {
        for host in hosts where host.libvirtURI != nil {
            let first = await Self.subscribe(host)
            let shortest = retryInterval
            listeners.append(Task { [weak self] in
                var current = first
                var retry = shortest
                while !Task.isCancelled {
                    if let (connection, stream) = current {
                        retry = shortest
                        for await event in stream {
                            await self?.record(host.name, event, connection)
                        }
                        if Task.isCancelled { return }
                        await self?.note("\(host.name): libvirt connection lost; listening again once it answers")
                    }
                    try? await Task.sleep(for: retry)
                    // A daemon that does not answer at all holds a thread per
                    // attempt until it does: ask it less and less often.
                    retry = min(retry * 2, .seconds(60))
                    current = await Self.subscribe(host)
                    if current != nil { await self?.note("\(host.name): libvirt answers again; listening") }
                }
            })
        }
    }

    private static func subscribe(_ host: HostAccess) async -> (Connection, AsyncStream<DomainEvent>)? {
        guard let connection = try? await host.openLibvirt(), let stream = try? await connection.lifecycleEvents() else { return nil }
        return (connection, stream)
    }

    private func record(_ host: String, _ event: DomainEvent, _ connection: Connection) {
        _ = connection  // kept alive with the stream
        pending.append(TimelineEntry(time: clock.now, kind: .cluster, text: "\(host): libvirt: \(event.domainName) \(event.kind)\(event.isDestroyed ? " (destroyed)" : "")"))
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
