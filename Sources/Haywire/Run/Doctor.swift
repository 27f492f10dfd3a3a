import Foundation
import Libvirt

/// One line of `haywire doctor`: what was checked, whether it holds, and
/// what to do when it does not.
public struct DoctorCheck: Sendable, Equatable {
    public let passed: Bool
    public let what: String
    public let fix: String?

    public var line: String { (passed ? "PASS  " : "FAIL  ") + what + (fix.map { " -- fix: \($0)" } ?? "") }
}

/// Checks a real lab against the seed's checklist before a run: libvirtd on
/// every host, each nested host's outer domain, the guest defined everywhere (the "dummy guest"), its pid
/// file, its bridge with an uplink, its storage, its acceleration, the
/// hosts' clocks, and the cluster's probe.
public struct Doctor: Sendable {
    let suite: Suite
    /// How far apart two hosts' clocks may be.
    public var clockTolerance: Duration = .seconds(1)

    public init(suite: Suite) { self.suite = suite }

    public func run() async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        var connections: [String: Connection] = [:]
        for host in suite.lab.hosts {
            guard let uri = host.libvirt else { continue }
            do {
                let connection = try await Connection.open(uri, callTimeout: suite.lab.libvirtTimeout)
                _ = try await connection.listDomains()
                connections[host.name] = connection
                checks.append(pass("libvirtd on \(host.name) answers (\(uri))"))
            } catch {
                checks.append(fail("libvirtd on \(host.name) does not answer: \(error)",
                                   fix: "start libvirtd on \(host.name) and check its URI in the suite"))
            }
        }
        for host in suite.lab.hosts where host.outer != nil {
            checks += await nestedHostChecks(host)
        }
        for guest in suite.lab.guests {
            checks += await guestChecks(guest, connections)
        }
        checks += await clockChecks()
        checks.append(await probeCheck())
        return checks
    }

    /// `haywire doctor --mark`: the opt-in marker on every lab guest, on
    /// every host it is defined on. One line per guest and host.
    public func mark() async -> (lines: [String], failures: Int) {
        var lines: [String] = [], failures = 0
        for guest in suite.lab.guests {
            for name in guest.hosts {
                guard let uri = suite.lab.host(named: name)?.libvirt else { continue }
                do {
                    let domain = try await Connection.open(uri, callTimeout: suite.lab.libvirtTimeout).lookupDomain(name: guest.name)
                    if try await OptIn.isMarked(domain) {
                        lines.append("\(guest.name) on \(name): already marked")
                    } else {
                        try await OptIn.mark(domain)
                        lines.append("\(guest.name) on \(name): marked")
                    }
                } catch {
                    failures += 1
                    lines.append("\(guest.name) on \(name): cannot mark: \(error)")
                }
            }
        }
        return (lines, failures)
    }

    private func guestChecks(_ guest: LabSpec.Guest, _ connections: [String: Connection]) async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        var uuids: Set<String> = []
        var running: [(host: String, xml: String)] = []
        var anyXML: String?
        // Pacemaker's VirtualDomain undefines a guest when it stops it and
        // creates it from its config file on start: there the "dummy guest"
        // is that file on every host, not a libvirt definition.
        let configFile = suite.cluster.manager == .pacemaker ? await virtualDomainConfig(of: guest.name) : nil
        if suite.cluster.manager == .pacemaker, configFile == nil {
            checks.append(fail("no VirtualDomain resource of the cluster manages \(guest.name)",
                               fix: "add one whose config names \(guest.name)"))
        }
        for name in guest.hosts {
            guard let connection = connections[name] else { continue }
            if let configFile, let shell = suite.lab.host(named: name)?.shell {
                checks.append(await configFileCheck(guest.name, file: configFile, host: name, shell: shell))
            }
            do {
                let domain = try await connection.lookupDomain(name: guest.name)
                uuids.insert(domain.uuid)
                let xml = try await domain.xmlDescription()
                anyXML = anyXML ?? xml
                if try await domain.isRunning() {
                    running.append((name, xml))
                    if guest.agentShell { checks.append(await agentCheck(guest.name, host: name, domain: domain)) }
                    checks.append((try? await OptIn.isMarked(domain)) == true
                        ? pass("\(guest.name) on \(name) has opted in to haywire's faults")
                        : fail("\(guest.name) on \(name) has not opted in to haywire's faults",
                               fix: configFile.map { "add <metadata><haywire:allowed xmlns:haywire=\"\(OptIn.uri)\"/></metadata> to \($0) on every host" }
                                   ?? "haywire doctor --mark \(suite.file)"))
                }
                if configFile == nil { checks.append(pass("\(guest.name) is defined on \(name)")) }
            } catch {
                guard configFile == nil else { continue }
                checks.append(fail("\(guest.name) is not defined on \(name): \(error.message)",
                                   fix: "define it there with the same name and UUID (virsh define), as the seed's dummy guest"))
            }
        }
        if uuids.count > 1 {
            checks.append(fail("\(guest.name) has different UUIDs on its hosts", fix: "define the same XML on every host"))
        }
        if running.count > 1 {
            checks.append(fail("\(guest.name) runs on \(running.map(\.host).joined(separator: " and ")) at once",
                               fix: "a concurrency violation: stop all but one copy"))
        }
        if let active = running.first, let host = suite.lab.host(named: active.host), let shell = host.shell {
            checks.append(await pidFileCheck(guest.name, host: host.name, shell: shell))
            checks += await storageChecks(guest.name, xml: active.xml, host: host.name, shell: shell)
        } else if running.isEmpty {
            checks.append(fail("\(guest.name) runs nowhere", fix: "start its group in the cluster"))
        }
        if let xml = anyXML {
            let probeHost = guest.hosts.compactMap { suite.lab.host(named: $0) }.first { $0.shell != nil }
            checks.append(await accelerationCheck(guest.name, xml: xml, host: probeHost?.name ?? "?", shell: probeHost?.shell))
            for bridge in DeviceXML.values(in: xml, element: "source", attribute: "bridge") {
                for name in guest.hosts {
                    guard let host = suite.lab.host(named: name), let shell = host.shell else { continue }
                    checks.append(await bridgeCheck(bridge, host: name, shell: shell))
                }
            }
        }
        return checks
    }

    /// The `config` file of the VirtualDomain primitive that runs `guest`.
    private func virtualDomainConfig(of guest: String) async -> String? {
        for host in suite.lab.hosts {
            guard let shell = host.shell,
                  let result = try? await shell.run(["/usr/sbin/cibadmin", "--query", "--scope", "resources"]),
                  result.succeeded else { continue }
            for primitive in result.stdout.components(separatedBy: "<primitive ").dropFirst()
            where primitive.contains("type=\"VirtualDomain\"") {
                let body = primitive.components(separatedBy: "</primitive>").first ?? primitive
                guard let range = body.range(of: "name=\"config\" value=\"") else { continue }
                let file = String(body[range.upperBound...].prefix { $0 != "\"" })
                if body.contains("id=\"\(guest)\"") || file.hasSuffix("/\(guest).xml") { return file }
            }
            return nil
        }
        return nil
    }

    private func configFileCheck(_ guest: String, file: String, host: String, shell: Shell) async -> DoctorCheck {
        let text = (try? await shell.run(["/bin/cat", file]))?.stdout ?? ""
        guard text.contains("<name>\(guest)</name>") else {
            return fail("\(guest) cannot be defined on \(host): \(file) is missing there or names another domain",
                        fix: "copy \(guest)'s domain XML to \(file) on \(host), as the seed's dummy guest")
        }
        return pass("\(guest) can be defined on \(host) from \(file)")
    }

    /// `shell: guest-agent`: the qemu guest agent inside the guest answers.
    private func agentCheck(_ guest: String, host: String, domain: Domain) async -> DoctorCheck {
        do {
            try await GuestAgentShell(guest: guest, host: host, domain: domain).ping()
            return pass("the guest agent of \(guest) on \(host) answers")
        } catch {
            return fail("\(error)", fix: "give \(guest) a virtio channel named org.qemu.guest_agent.0 and run qemu-ga in it")
        }
    }

    /// The VCS Application agent watches /var/run/libvirt/qemu/G.pid.
    private func pidFileCheck(_ guest: String, host: String, shell: Shell) async -> DoctorCheck {
        let path = "/run/libvirt/qemu/\(guest).pid"
        guard let result = try? await shell.run(["/bin/cat", path]), result.succeeded,
              let pid = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)),
              (try? await shell.run(["/bin/kill", "-0", String(pid)]))?.succeeded == true else {
            return fail("\(guest) runs on \(host) but \(path) names no live process",
                        fix: "point PidFiles at /var/run/libvirt/qemu/\(guest).pid and check libvirtd's state dir")
        }
        return pass("\(path) on \(host) holds \(guest)'s qemu pid \(pid)")
    }

    private func storageChecks(_ guest: String, xml: String, host: String, shell: Shell) async -> [DoctorCheck] {
        await DeviceXML.values(in: xml, element: "source", attribute: "file").asyncMap { file in
            let found = (try? await shell.run(["/usr/bin/test", "-e", file]))?.succeeded == true
            return found ? pass("\(guest)'s disk \(file) is reachable on \(host)")
                : fail("\(guest)'s disk \(file) is missing on \(host)", fix: "mount the shared storage that holds it")
        }
    }

    private func bridgeCheck(_ bridge: String, host: String, shell: Shell) async -> DoctorCheck {
        guard let state = try? await shell.run(["/usr/sbin/ip", "-o", "link", "show", "dev", bridge]), state.succeeded else {
            return fail("bridge \(bridge) does not exist on \(host)", fix: "create \(bridge) and enslave the host's uplink to it")
        }
        let members = (try? await shell.run(["/usr/sbin/ip", "-o", "link", "show", "master", bridge]))?.stdout ?? ""
        let uplinks = members.split(separator: "\n").compactMap { line -> String? in
            let name = line.split(separator: ":").dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let bare = String(name.split(separator: "@").first ?? "")
            return bare.hasPrefix("vnet") || bare.hasPrefix("tap") || bare.isEmpty ? nil : bare
        }
        guard !uplinks.isEmpty else {
            return fail("bridge \(bridge) on \(host) carries no uplink", fix: "ip link set <uplink> master \(bridge) on \(host)")
        }
        return pass("bridge \(bridge) on \(host) carries \(uplinks.joined(separator: ", "))")
    }

    /// KVM must not only be present but run a guest: where the guest boots
    /// a kernel directly, that kernel is booted under KVM until it starts
    /// /init (the lab notes found /dev/kvm present but guests hanging).
    private func accelerationCheck(_ guest: String, xml: String, host: String, shell: Shell?) async -> DoctorCheck {
        let type = DeviceXML.values(in: xml, element: "domain", attribute: "type").first ?? "?"
        guard let shell else { return pass("\(guest) uses domain type \(type) (KVM not checked: no shell)") }
        let present = (try? await shell.run(["/usr/bin/test", "-c", "/dev/kvm"]))?.succeeded == true
        guard present else {
            return type == "kvm" ? fail("\(guest) asks for KVM but \(host) has no /dev/kvm", fix: "use <domain type='qemu'> (TCG)")
                : pass("\(guest) uses qemu (TCG): \(host) has no /dev/kvm")
        }
        guard let kernel = Self.text(in: xml, element: "kernel") else {
            return pass("\(guest) uses domain type \(type); /dev/kvm is present on \(host) (a guest without a direct kernel cannot be test-booted)")
        }
        var qemu = "/usr/bin/qemu-system-x86_64 -accel kvm -M pc -m 128 -nodefaults -display none"
            + " -serial stdio -no-reboot -kernel \(Shell.quote(kernel))"
        if let initrd = Self.text(in: xml, element: "initrd") { qemu += " -initrd \(Shell.quote(initrd))" }
        qemu += " -append 'console=ttyS0 panic=-1'"
        // Poll the console for /init, up to 20 s, then stop the test guest.
        let boot = """
            out=$(/bin/mktemp); \(qemu) > "$out" 2>&1 & q=$!; found=1
            for _ in $(/usr/bin/seq 1 100); do
              /bin/grep -q 'Run /init as init process' "$out" && { found=0; break; }
              /bin/kill -0 $q 2>/dev/null || break; /bin/sleep 0.2
            done
            /bin/kill -9 $q 2>/dev/null; /bin/rm -f "$out"; exit $found
            """
        let works = (try? await shell.run(["/bin/sh", "-c", boot], timeout: .seconds(30)))?.succeeded == true
        switch (type, works) {
        case ("kvm", true): return pass("KVM boots \(guest)'s kernel to /init on \(host)")
        case ("kvm", false):
            return fail("KVM does not boot \(guest)'s kernel to /init on \(host) within 20 s", fix: "use <domain type='qemu'> (TCG)")
        case (_, true): return pass("\(guest) uses \(type) though KVM boots its kernel on \(host): type='kvm' would be faster")
        default: return pass("\(guest) uses \(type) (TCG): KVM does not boot its kernel on \(host), checked")
        }
    }

    private func probeCheck() async -> DoctorCheck {
        do {
            let backend = try await Runner.factory(for: suite).makeBackend(for: suite, scenario: nil)
            defer { Task { await backend.close() } }
            let state = try await backend.probe.state()
            let groups = suite.cluster.config.groups.map { state.summary(of: $0.name) }.joined(separator: "; ")
            return pass("the cluster answers its probe: \(groups)")
        } catch {
            return fail("the cluster does not answer its probe: \(error)", fix: "check that the cluster runs on the hosts")
        }
    }

    func pass(_ what: String) -> DoctorCheck { DoctorCheck(passed: true, what: what, fix: nil) }
    func fail(_ what: String, fix: String) -> DoctorCheck { DoctorCheck(passed: false, what: what, fix: fix) }

    /// The text of the first `<element>text</element>` in `xml`.
    static func text(in xml: String, element: String) -> String? {
        guard let open = xml.range(of: "<\(element)>"), let close = xml[open.upperBound...].range(of: "</\(element)>") else { return nil }
        return String(xml[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var result: [T] = []
        for element in self { result.append(await transform(element)) }
        return result
    }
}
