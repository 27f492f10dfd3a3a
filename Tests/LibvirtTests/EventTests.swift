import Foundation
import Libvirt
import Testing

@Suite struct EventTests {
    @Test func destroyDeliversAStoppedDestroyedEvent() async throws {
        let connection = try await Connection.open("test://\(try writeNode(domains: ["g"]).path)")
        let events = try await connection.lifecycleEvents()
        try await connection.lookupDomain(name: "g").destroy()
        let event = try await firstEvent(in: events, within: .seconds(10))
        #expect(event?.domainName == "g")
        #expect(event?.kind == .stopped)
        #expect(event?.isDestroyed == true)
    }

    @Test func startAndSuspendDeliverTheirEventsInOrder() async throws {
        let connection = try await Connection.open("test://\(try writeNode(domains: ["g"]).path)")
        let domain = try await connection.lookupDomain(name: "g")
        try await domain.destroy()
        let events = try await connection.lifecycleEvents()
        try await domain.start()
        try await domain.suspend()
        var kinds: [DomainEvent.Kind] = []
        for _ in 0..<2 {
            guard let event = try await firstEvent(in: events, within: .seconds(10)) else { break }
            kinds.append(event.kind)
        }
        #expect(kinds == [.started, .suspended])
    }

    /// The next event, or nil once `limit` passes: a deadline, not a sleep.
    private func firstEvent(
        in stream: AsyncStream<DomainEvent>, within limit: Duration
    ) async throws -> DomainEvent? {
        try await withThrowingTaskGroup(of: DomainEvent?.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
