import Foundation

/// `work` on consecutive chunks of `0..<count`, in order: one chunk per
/// core at once when there are many items (a 10,000-scenario run's
/// reports), else one chunk on the caller's thread.
func inChunks<R: Sendable>(of count: Int, _ work: @Sendable (Range<Int>) -> R) -> [R] {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard count >= 1_000, cores > 1 else { return [work(0..<count)] }
    let size = (count + cores - 1) / cores
    let results = ChunkResults<R>(count: cores)
    DispatchQueue.concurrentPerform(iterations: cores) { chunk in
        results.set(chunk, work(min(chunk * size, count)..<min((chunk + 1) * size, count)))
    }
    return results.inOrder()
}

/// The text of each of `items` in order, rendered in chunks.
func renderedInChunks<T: Sendable>(_ items: [T], _ render: @Sendable (Int, T) -> String) -> String {
    inChunks(of: items.count) { range in range.map { render($0, items[$0]) }.joined() }.joined()
}

final class ChunkResults<R: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [R?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: R) { lock.withLock { results[index] = result } }
    func inOrder() -> [R] { lock.withLock { results.compactMap { $0 } } }
}
