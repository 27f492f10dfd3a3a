import Foundation
import Haywire

/// On a terminal, one status line under the results, redrawn at most ten
/// times a second: the suite, the counts, the scenario and its phase
/// (waiting for recovery shows the elapsed time against the SLA). Off a
/// terminal, only the result lines, as they were.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private var suite = ""
    private var total = 0, done = 0, passed = 0, failed = 0, errors = 0
    private var latest: ScenarioProgress?
    private var lastDrawn = ContinuousClock.now - .seconds(1)
    private var showing = false

    init(live: Bool = isatty(STDOUT_FILENO) == 1) { self.live = live }

    func start(suite: String, scenarios: Int) {
        lock.withLock {
            self.suite = suite
            total = scenarios
            (done, passed, failed, errors) = (0, 0, 0, 0)
            latest = nil
        }
    }

    /// A scenario's result line, above the status line.
    func finished(_ result: ScenarioResult, line: String) {
        lock.withLock {
            done += 1
            switch result.verdict {
            case .passed: passed += 1
            case .failed: failed += 1
            case .error: errors += 1
            case .skipped: break
            }
            if latest?.scenario == result.name { latest = nil }
            clear()
            say(line)
            draw(force: true)
        }
    }

    func update(_ progress: ScenarioProgress) {
        guard live else { return }
        lock.withLock {
            latest = progress
            draw(force: false)
        }
    }

    /// Removes the status line before other output.
    func end() { lock.withLock { clear() } }

    /// `[3/25 · 2 passed · 1 failed] suite · scenario: phase`
    static func status(suite: String, done: Int, total: Int, passed: Int, failed: Int, errors: Int, progress: ScenarioProgress?) -> String {
        var counts = "\(done)/\(total) · \(passed) passed"
        if failed > 0 { counts += " · \(failed) failed" }
        if errors > 0 { counts += " · \(errors) errors" }
        return "[\(counts)] \(suite)" + (progress.map { " · \($0.description)" } ?? "")
    }

    private func draw(force: Bool) {
        guard live else { return }
        let now = ContinuousClock.now
        guard force || now - lastDrawn >= .milliseconds(100) else { return }
        lastDrawn = now
        let text = Self.status(suite: suite, done: done, total: total, passed: passed, failed: failed, errors: errors, progress: latest)
        var columns = winsize()
        let width = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &columns) == 0 && columns.ws_col > 10 ? Int(columns.ws_col) - 1 : 119
        writeRaw("\r\u{1B}[K" + String(text.prefix(width)))
        showing = true
    }

    private func clear() {
        guard live, showing else { return }
        writeRaw("\r\u{1B}[K")
        showing = false
    }

    private func writeRaw(_ text: String) { writeAll(text, to: STDOUT_FILENO) }
}
