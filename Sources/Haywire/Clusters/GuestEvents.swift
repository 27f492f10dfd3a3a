import Libvirt

/// Listens to libvirt lifecycle events on every host and stamps them with
/// the backend clock, so the timeline shows when a guest really stopped or
/// started, to the millisecond, between two polls of the cluster.
actor GuestEvents {
    private var pending: [TimelineEntry] = []
    private var listeners: [Task<Void, Never>] = []
    private let clock: LabClock

    init(clock: LabClock) { self.clock = clock }

    func listen(to hosts: [HostAccess]) async {
        for host in hosts {
            guard let uri = host.libvirtURI, let connection = try? await Connection.open(uri),
                  let stream = try? await connection.lifecycleEvents() else { continue }
            let name = host.name
            listeners.append(Task { [weak self] in
                for await event in stream {
                    await self?.record(name, event, connection)
                }
            })
        }
    }

    private func record(_ host: String, _ event: DomainEvent, _ connection: Connection) {
        _ = connection  // kept alive with the stream
        pending.append(TimelineEntry(time: clock.now, kind: .cluster, text: "\(host): libvirt: \(event.domainName) \(event.kind)\(event.isDestroyed ? " (destroyed)" : "")"))
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
