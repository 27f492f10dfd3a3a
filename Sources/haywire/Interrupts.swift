import Dispatch
import Foundation

/// SIGINT and SIGTERM stop a run without leaving the lab broken: the first
/// cancels the run, whose scenario then heals what it broke and becomes an
/// `<error>`; reports are written and haywire exits 130. A second signal
/// skips the reports, but healing still runs.
final class Interrupts: @unchecked Sendable {
    private let lock = NSLock()
    private var received = 0
    private var sources: [DispatchSourceSignal] = []

    var count: Int { lock.withLock { received } }

    func install(onFirst: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                let count = lock.withLock { () -> Int in
                    received += 1
                    return received
                }
                if count == 1 {
                    printError("interrupted: healing what this run broke, then writing the reports")
                    onFirst()
                } else {
                    printError("interrupted again: healing still runs; no reports")
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}
