import Foundation

/// The text of each of `items` in order, rendered on every core at once
/// when there are many (a 10,000-scenario run's report).
func renderedInChunks<T: Sendable>(_ items: [T], _ render: @Sendable (Int, T) -> String) -> String {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard items.count >= 1_000, cores > 1 else {
        return items.enumerated().map { render($0.offset, $0.element) }.joined()
    }
    let size = (items.count + cores - 1) / cores
    let parts = ChunkTexts(count: cores)
    DispatchQueue.concurrentPerform(iterations: cores) { chunk in
        var text = ""
        for index in stride(from: chunk * size, to: min((chunk + 1) * size, items.count), by: 1) {
            text += render(index, items[index])
        }
        parts.set(chunk, text)
    }
    return parts.joined()
}

private final class ChunkTexts: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String]
    init(count: Int) { texts = Array(repeating: "", count: count) }
    func set(_ index: Int, _ text: String) { lock.withLock { texts[index] = text } }
    func joined() -> String { lock.withLock { texts.joined() } }
}
