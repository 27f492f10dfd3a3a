import Foundation
import Glibc
import Libvirt
import Testing

/// A Unix socket that accepts connections and never answers, as a hung
/// libvirtd would. Closing it makes every waiting client fail.
final class SilentDaemon: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var closed = false

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("silent-\(UUID().uuidString.prefix(8)).sock").path
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path.utf8.prefix(buffer.count - 1))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    var uri: String { "qemu+unix:///system?socket=\(path)" }

    /// Closes once, however often it is called: a second close(2) of the
    /// same number closed whatever another test had opened under it since
    /// (a crm_simulate's stdout pipe, which then died of SIGPIPE).
    func close() {
        let first = lock.withLock {
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        _ = Glibc.close(fd)
        unlink(path)
    }
}

@Suite struct TimeoutTests {
    @Test func openingAConnectionToADaemonThatNeverAnswersTimesOut() async throws {
        let daemon = try SilentDaemon()
        defer { daemon.close() }
        let error = await #expect(throws: LibvirtError.self) {
            _ = try await Connection.open(daemon.uri, callTimeout: .milliseconds(300))
        }
        #expect(error?.isTimeout == true)
        #expect(error?.message == "virConnectOpen(\(daemon.uri)): no answer in 0.3 s")
    }

    @Test func aHungDaemonDoesNotHoldUpAnotherConnection() async throws {
        let hung = try SilentDaemon()
        let other = try SilentDaemon()
        defer { hung.close(); other.close() }
        // The first open stays stuck in libvirt until its daemon closes; the
        // second still gets its own answer (a timeout) on its own thread.
        async let first: Void = { _ = try? await Connection.open(hung.uri, callTimeout: .seconds(50)) }()
        let error = await #expect(throws: LibvirtError.self) {
            _ = try await Connection.open(other.uri, callTimeout: .milliseconds(200))
        }
        #expect(error?.isTimeout == true)
        hung.close()
        await first
    }

    @Test func testDriverCallsCarryNoDeadline() async throws {
        let connection = try await Connection.open("test:///default", callTimeout: .nanoseconds(1))
        #expect(try await connection.lookupDomain(name: "test").isRunning())
    }
}
