/// `--dry-run` on a real lab: each fault's action, found with read-only
/// libvirt and shell calls (where a guest runs, what a mount is on).
extension LabInjector {
    private func whereRuns(_ guest: String) async throws -> String { try await optedInGuest(guest).0 }

    public func plan(_ fault: ResolvedFault) async throws -> String {
        switch fault.kind {
        case .killGuest, .crashGuest, .pauseGuest, .shutdownGuest, .rebootGuest, .detachDisk:
            let guest = try fault.required(fault.guest, "guest")
            let host = try await whereRuns(guest)
            let call = switch fault.kind {
            case .killGuest: "virDomainDestroy"
            case .crashGuest: "virDomainInjectNMI"
            case .pauseGuest: "virDomainSuspend"
            case .shutdownGuest: "virDomainShutdown"
            case .rebootGuest: "virDomainReboot"
            default: "virDomainDetachDeviceFlags \(fault.device ?? "?") of"
            }
            return "\(call) \(guest) on \(host)"
        case .linkDown where fault.guest != nil:
            let guest = try fault.required(fault.guest, "guest")
            return "virDomainUpdateDeviceFlags <link state='down'/> on \(guest)'s NIC \(fault.links.isEmpty ? "(all)" : fault.links.joined(separator: ",")) on \(try await whereRuns(guest))"
        case .linkDown:
            return "ip link set \(fault.links.joined(separator: ",")) down on \(try fault.required(fault.host, "host"))"
        case .unmount:
            return "umount -l \(try fault.required(fault.mount, "mount")) on \(try fault.required(fault.host, "host"))"
        case .killProcess:
            return "pkill -KILL -x \(try fault.required(fault.process, "process")) on \(try fault.required(fault.host, "host"))"
        case .killHost, .pauseHost:
            let host = try fault.required(fault.host, "host")
            if let outer = hosts[host]?.outer {
                return "\(fault.kind == .killHost ? "virDomainDestroy" : "virDomainSuspend") \(outer.domain) on \(outer.libvirt)"
            }
            guard fault.kind == .killHost else { throw HarnessError("pause-host needs host \(host) to name its outer hypervisor") }
            return "run power off of \(host): \(hosts[host]?.powerOff ?? "(no power command)")"
        case .partition:
            throw HarnessError("a real lab cannot partition yet")
        }
    }
}
