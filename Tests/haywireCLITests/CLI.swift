import Foundation
@testable import Haywire

/// Runs the built `haywire` binary.
struct CLI {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardizedFileURL

    /// The binary next to the test bundle, where `swift build` puts it.
    static var binary: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("haywire")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return packageRoot.appendingPathComponent(".build/debug/haywire")
    }

    /// Runs haywire, or `program` where given. Through haywire's own
    /// Command, not Foundation's Process: at the test runner's concurrency,
    /// Process closed descriptors twice, closing other tests' pipes (a
    /// crm_simulate died of SIGPIPE mid-write). It waits on a thread of its
    /// own: a wait on the test runner's few cooperative threads (two on a
    /// 2-core machine) starved every other test's tasks for seconds, and
    /// timing tests and libvirt event listeners failed under the full suite.
    static func run(_ arguments: [String], in directory: URL = packageRoot, environment: [String: String] = [:],
                    program: String? = nil) async throws -> Output {
        let result = try await Command.run([program ?? binary.path] + arguments, timeout: .seconds(600),
                                           environment: environment, directory: directory.path)
        return Output(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    static func temporaryFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
