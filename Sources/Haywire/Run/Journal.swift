import Foundation
import VCSConfig

/// A durable list of the faults a run has made on a real lab and not yet
/// healed, so that a run killed outright (SIGKILL, a crash, a power cut of
/// the machine running haywire) can be healed afterwards by
/// `haywire restore`. Each fault is appended and fsynced before it is made;
/// its heal is appended after. One JSON object per line.
public final class Journal: @unchecked Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public enum Operation: String, Codable, Sendable { case inject, healed }
        public let op: Operation
        public let id: String
        /// The suite that made it: its lab says how to reach the hosts.
        public var suite: String? = nil
        public var fault: Fault? = nil
    }

    public let path: String
    private let lock = NSLock()

    public init(path: String) { self.path = path }

    /// The faults made and not healed, oldest first.
    public func outstanding() throws -> [Entry] {
        try lock.withLock { try unlockedOutstanding() }
    }

    private func unlockedOutstanding() throws -> [Entry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var open: [Entry] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(line.utf8)) else {
                // A line torn by a crash mid-write is the last one; anything
                // else is damage a person must look at.
                if number == text.split(separator: "\n").count - 1, !text.hasSuffix("\n") { break }
                throw HarnessError("\(path):\(number + 1): not a journal entry")
            }
            switch entry.op {
            case .inject: open.append(entry)
            case .healed: open.removeAll { $0.id == entry.id }
            }
        }
        return open
    }

    /// Records a fault about to be made; returns its id.
    public func recordInjection(_ fault: Fault, suite: String) throws -> String {
        let id = UUID().uuidString
        try append(Entry(op: .inject, id: id, suite: suite, fault: fault))
        return id
    }

    /// Records that fault `id` was healed; removes the journal once nothing
    /// is outstanding.
    public func recordHeal(_ id: String) throws {
        try lock.withLock {
            try unlockedAppend(Entry(op: .healed, id: id))
            if try unlockedOutstanding().isEmpty { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    private func append(_ entry: Entry) throws {
        try lock.withLock { try unlockedAppend(entry) }
    }

    /// Appends one line and fsyncs the file and its folder.
    private func unlockedAppend(_ entry: Entry) throws {
        let folder = Paths.folder(of: path)
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = try encoder.encode(entry) + Data("\n".utf8)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw HarnessError("cannot open the journal \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(descriptor) == 0 else {
            throw HarnessError("cannot write the journal \(path): \(String(cString: strerror(errno)))")
        }
        let directory = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }
}
