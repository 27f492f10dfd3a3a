import HeapModule

/// Discrete events in virtual-time order; events at the same instant keep the
/// order they were scheduled in, so a run is the same every time.
struct EventQueue {
    private struct Entry: Comparable {
        let time: Duration
        let sequence: Int
        let event: SimEvent

        static func < (a: Entry, b: Entry) -> Bool { (a.time, a.sequence) < (b.time, b.sequence) }
        static func == (a: Entry, b: Entry) -> Bool { (a.time, a.sequence) == (b.time, b.sequence) }
    }

    private var heap = Heap<Entry>()
    private var sequence = 0

    mutating func schedule(_ event: SimEvent, at time: Duration) {
        sequence += 1
        heap.insert(Entry(time: time, sequence: sequence, event: event))
    }

    var nextTime: Duration? { heap.min?.time }

    mutating func popNext() -> (time: Duration, event: SimEvent)? {
        heap.popMin().map { ($0.time, $0.event) }
    }
}

/// Identifies a resource on one system.
struct ResourceKey: Hashable, CustomStringConvertible {
    let group: String
    let resource: String
    let system: String

    var description: String { "\(system): \(resource)" }
}

enum AgentOperation: String, CustomStringConvertible {
    case online, offline, clean

    /// Spelled out, so a log line does not go through reflection.
    var description: String { rawValue }
}

enum SimEvent {
    case clusterStart
    case operationDone(ResourceKey, AgentOperation, incarnation: Int)
    case operationTimedOut(ResourceKey, AgentOperation, incarnation: Int)
    case monitor(ResourceKey, generation: Int)
    /// A monitor that found the resource down reports it when done.
    case monitorReported(ResourceKey, generation: Int, up: Bool)
    /// `observer` has heard nothing from `peer` since connectivity epoch `epoch`.
    case peerSilent(observer: String, peer: String, epoch: Int)
    case booted(system: String, incarnation: Int)
}
