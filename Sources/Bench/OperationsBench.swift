import CLibvirt
import Foundation
import Libvirt

/// Figure 1: domain lookup+state, destroy and start through haywire's
/// persistent connection, against `virsh` process calls (state) and against
/// the same libvirt C calls made bare (destroy and start: what haywire adds).
enum OperationsBench {
    static func run(uri: String, domain name: String, where label: String, queries: Int, virshCalls: Int, cycles: Int) async throws -> [Figure] {
        let connection = try await Connection.open(uri)
        var perQuery = await timed {
            for _ in 0..<queries { _ = try? await connection.lookupDomain(name: name).state() }
        }
        perQuery /= queries
        var perVirsh = try await timed {
            for _ in 0..<virshCalls {
                guard try runQuietly(["virsh", "-c", uri, "domstate", name]) == 0 else { throw BenchError("virsh domstate \(name) failed on \(uri)") }
            }
        }
        perVirsh /= virshCalls
        let ratio = seconds(perVirsh) / seconds(perQuery)

        LibvirtBare.prepare()
        guard let bare = virConnectOpen(uri), let bareDomain = virDomainLookupByName(bare, name) else {
            throw BenchError("cannot open \(uri) bare")
        }
        defer { virDomainFree(bareDomain); virConnectClose(bare) }
        var perBareQuery = await timed {
            for _ in 0..<queries {
                guard let looked = virDomainLookupByName(bare, name) else { continue }
                var state: Int32 = 0, reason: Int32 = 0
                _ = virDomainGetState(looked, &state, &reason, 0)
                virDomainFree(looked)
            }
        }
        perBareQuery /= queries
        print("operations on \(label): lookup+state \(fixed(millis(perQuery) * 1000)) µs through haywire, \(fixed(millis(perBareQuery) * 1000)) µs bare, \(fixed(millis(perVirsh))) ms through virsh")

        // Destroy and start, bare and through haywire, in alternation.
        let domain = try await connection.lookupDomain(name: name)
        var bareTimes: [Double] = [], haywireTimes: [Double] = []
        for _ in 0..<cycles {
            var start = benchClock.now
            guard virDomainDestroy(bareDomain) == 0 else { throw BenchError("virDomainDestroy failed") }
            bareTimes.append(millis(benchClock.now - start))
            start = benchClock.now
            guard virDomainCreate(bareDomain) == 0 else { throw BenchError("virDomainCreate failed") }
            bareTimes.append(millis(benchClock.now - start))
            haywireTimes.append(millis(try await timed { try await domain.destroy() }))
            haywireTimes.append(millis(try await timed { try await domain.start() }))
        }
        // What haywire adds to a call (its thread hop and deadline) is the
        // same whatever the call; measured on lookup+state (two calls), it is
        // not lost in the jitter of a qemu starting and stopping.
        let added = millis(perQuery - perBareQuery) / 2
        print("operations on \(label): destroy+start median \(fixed(median(bareTimes), 3)) ms bare, \(fixed(median(haywireTimes), 3)) ms through haywire (\(cycles) of each); haywire adds \(fixed(added * 1000)) µs per call")
        return [
            Figure(1, "lookup+state, \(label)", measured: "\(fixed(millis(perQuery) * 1000)) µs", baseline: "virsh \(fixed(millis(perVirsh))) ms",
                   ratio: "\(fixed(ratio, 0))× faster", goal: "≥ 20× faster", met: ratio >= 20),
            Figure(1, "destroy/start, \(label)", measured: "\(fixed(median(haywireTimes), 3)) ms",
                   baseline: "bare libvirt \(fixed(median(bareTimes), 3)) ms", ratio: "\(added < 0 ? "" : "+")\(fixed(added * 1000)) µs per call",
                   goal: "< 1 ms added", met: added < 1),
        ]
    }
}

/// Bare libvirt calls need the same process-wide set-up as haywire's.
enum LibvirtBare {
    static func prepare() {
        virSetErrorFunc(nil, { _, _ in })
        _ = virInitialize()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
