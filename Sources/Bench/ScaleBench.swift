import Foundation
import Haywire
import Libvirt

/// Figure 6: a test-driver lab of 64 hosts with 16 guests each. Inventory:
/// load the suite, open every host, list its domains and check each listed
/// guest is there and has opted in. Then one kill-guest and its heal per
/// guest, through the real lab injector and its allowlist.
enum ScaleBench {
    static let hostCount = 64, guestsPerHost = 16

    static func run() async throws -> Figure {
        let dir = try scratchFolder("scale")
        var hostLines: [String] = [], guestLines: [String] = []
        for host in 0..<hostCount {
            let name = String(format: "h%02d", host)
            let guests = (0..<guestsPerHost).map { String(format: "g%04d", host * guestsPerHost + $0) }
            let domains = guests.map { guest in
                """
                <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
                  <name>\(guest)</name><memory>65536</memory><os><type>hvm</type></os>
                  <metadata><haywire:allowed xmlns:haywire='\(OptIn.uri)'/></metadata>
                  <test:runstate>1</test:runstate>
                </domain>
                """
            }.joined(separator: "\n")
            let node = dir.appendingPathComponent("\(name).xml").path
            try "<node>\(domains)</node>".write(toFile: node, atomically: true, encoding: .utf8)
            hostLines.append("    \(name): { libvirt: 'test://\(node)', shell: local }")
            guestLines += guests.map { "    \($0): { on: [\(name)] }" }
        }
        let hosts = (0..<hostCount).map { String(format: "h%02d", $0) }
        let suitePath = dir.appendingPathComponent("scale.yaml").path
        try """
            suite: scale
            cluster:
              manager: pacemaker
              groups:
                grp: [\(hosts.joined(separator: ", "))]
            lab:
              hosts:
            \(hostLines.joined(separator: "\n"))
              guests:
            \(guestLines.joined(separator: "\n"))
            scenarios:
              - name: one guest
                fault: { kill-guest: g0000 }
                expect: [ { group: grp, online: any, within: 1m } ]
            """.write(toFile: suitePath, atomically: true, encoding: .utf8)

        var suite: Suite?
        let inventory = try await timed {
            let loaded = try SuiteLoader.load(path: suitePath)
            let listed = Inventory(loaded.lab)
            for host in loaded.lab.hosts {
                let connection = try await Connection.open(host.libvirt!)
                let present = Set(try await connection.listDomains().map(\.name))
                for guest in loaded.lab.guests where guest.hosts.contains(host.name) {
                    guard present.contains(guest.name), listed.guests[guest.name] != nil,
                          try await OptIn.isMarked(try await connection.lookupDomain(name: guest.name)) else {
                        throw BenchError("guest \(guest.name) on \(host.name) is missing or has not opted in")
                    }
                }
            }
            suite = loaded
        }
        guard let suite else { throw BenchError("the scale suite did not load") }
        let backend = try await LabBackendFactory().makeBackend(for: suite, scenario: nil)
        let faults = try await timed {
            for guest in suite.lab.guests {
                let injected = try await backend.injector.inject(Fault.killGuest(guest: guest.name))
                _ = try await backend.injector.heal(injected)
            }
        }
        await backend.close()
        let peak = peakRSSMegabytes()
        let guests = hostCount * guestsPerHost
        print("scale: \(hostCount) hosts, \(guests) guests: inventory \(fixed(millis(inventory), 0)) ms, \(guests) kill-guest faults with heals \(fixed(seconds(faults), 2)) s, peak RSS \(peak) MB")
        return Figure(6, "scale: 64 hosts, 1,024 guests", measured: "inventory \(fixed(millis(inventory), 0)) ms, peak \(peak) MB",
                      baseline: "\(guests) faults+heals \(fixed(seconds(faults), 2)) s",
                      ratio: "\(fixed(millis(inventory) / Double(guests), 2)) ms per guest",
                      goal: "< 1 s, < 300 MB", met: inventory < .seconds(1) && peak < 300)
    }
}
