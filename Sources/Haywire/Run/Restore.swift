import Foundation

/// `haywire restore`: heals, last first, the faults a journal lists, each
/// through the lab of the suite that made it, and clears each one healed.
public enum Restore {
    public struct Outcome: Sendable {
        public var lines: [String] = []
        public var failures = 0
    }

    public static func run(_ journal: Journal) async throws -> Outcome {
        var outcome = Outcome()
        let entries = try journal.outstanding()
        var backends: [String: Backend] = [:]
        for entry in entries.reversed() {
            guard let fault = entry.fault, let path = entry.suite else { continue }
            do {
                let backend: Backend
                if let known = backends[path] {
                    backend = known
                } else {
                    let suite = try SuiteLoader.load(path: path)
                    backend = try await Runner.factory(for: suite).makeBackend(for: suite, scenario: nil)
                    backends[path] = backend
                }
                let detail = try await backend.healRetrying(Injected(fault: fault, effectiveAt: .zero, detail: "from the journal"))
                try journal.recordHeal(entry.id)
                outcome.lines.append("healed \(fault.description): \(detail)")
            } catch {
                outcome.failures += 1
                outcome.lines.append("cannot heal \(fault.description) (from \(path)): \(error)")
            }
        }
        for backend in backends.values { await backend.close() }
        return outcome
    }
}
