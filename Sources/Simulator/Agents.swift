import Libvirt
import VCSConfig

/// What a resource's agent acts on, per system.
enum AgentTarget: Equatable {
    /// A KVM guest started and stopped through libvirt (`virsh start|shutdown G`),
    /// monitored through its pid file `/var/run/libvirt/qemu/G.pid`.
    case guest(start: String?, stop: String?, monitor: String?)
    /// A public link that a NIC resource watches; never taken offline.
    case link(String)
    /// Modelled state on the system: a mount point, a disk group, a volume.
    case modelled(String)
    /// Proxy: mirrors another resource, on this system or a named one.
    case proxy(resource: String, system: String?)
    /// Phantom: online while its system runs, so that a group of
    /// persistent resources (a NIC) shows ONLINE.
    case phantom
    /// A group of the cluster at `address` (RemoteGroup), on its system.
    case remoteGroup(address: String, group: String, system: String, mode: RemoteControlMode)

    var isPersistent: Bool {
        switch self {
        case .link, .proxy: true
        default: false
        }
    }
}

/// The KVM guests a configuration's Application resources manage
/// (`virsh start G`, PidFiles `/var/run/libvirt/qemu/G.pid`), each with the
/// systems of its group's SystemList.
public func managedGuests(of config: ClusterConfig) -> [(guest: String, systems: [String])] {
    Agents.guests(of: config)
}

/// The guests one resource starts and monitors on `system`; empty unless it
/// is an Application driving libvirt.
public func guestsManaged(by resource: Resource, on system: String) -> [String] {
    guard case .guest(let start, let stop, let monitor) = Agents.target(of: resource, on: system) else { return [] }
    return Array(Set([start, stop, monitor].compactMap { $0 })).sorted()
}

/// RemoteGroup's ControlMode: whether it starts and stops the remote group
/// or only watches it.
enum RemoteControlMode: String, Equatable {
    case onOff = "OnOff"
    case monitorOnly = "MonitorOnly"
    case onlineOnly = "OnlineOnly"
}

/// The process (as `ps` names it) a Process resource, or an Application
/// with MonitorProcesses, runs on `system`; nil for other resources.
public func processName(of resource: Resource, on system: String) -> String? {
    guard case .modelled(let item) = Agents.target(of: resource, on: system), item.hasPrefix("Process:") else { return nil }
    return String(item.dropFirst("Process:".count))
}

enum Agents {
    /// The agent target of `resource` on `system`.
    static func target(of resource: Resource, on system: String) -> AgentTarget {
        switch resource.type {
        case "Application":
            let start = guest(in: resource.scalar("StartProgram", on: system), verb: "start")
            let stop = guest(in: resource.scalar("StopProgram", on: system), verb: "shutdown")
                ?? guest(in: resource.scalar("StopProgram", on: system), verb: "destroy")
            let monitor = (resource.attribute("PidFiles", on: system)?.value.list ?? []).lazy
                .compactMap(guestOfPidFile).first
            if start != nil || monitor != nil { return .guest(start: start, stop: stop, monitor: monitor ?? start) }
            if let process = resource.attribute("MonitorProcesses", on: system)?.value.list?.first {
                return .modelled(processItem(process))
            }
            return .modelled("Application:\(resource.name)")
        case "RemoteGroup":
            let mode = resource.scalar("ControlMode", on: system).flatMap(RemoteControlMode.init) ?? .onOff
            return .remoteGroup(address: resource.scalar("IpAddress", on: system) ?? "",
                                group: resource.scalar("GroupName", on: system) ?? "",
                                system: resource.scalar("VCSSysName", on: system) ?? "", mode: mode)
        case "IP":
            return .modelled("IP:\(resource.scalar("Address", on: system) ?? resource.name)")
        case "Proxy":
            return .proxy(resource: resource.scalar("TargetResName", on: system) ?? "", system: resource.scalar("TargetSysName", on: system))
        case "Phantom":
            return .phantom
        case "Process":
            return .modelled(processItem(resource.scalar("PathName", on: system) ?? resource.name))
        case "NIC":
            return .link(resource.scalar("Device", on: system) ?? "eth0")
        case "Mount":
            return .modelled("Mount:\(resource.scalar("MountPoint", on: system) ?? resource.name)")
        case "DiskGroup":
            return .modelled("DiskGroup:\(resource.scalar("DiskGroup", on: system) ?? resource.name)")
        case "Volume":
            let group = resource.scalar("DiskGroup", on: system) ?? "?"
            return .modelled("Volume:\(group)/\(resource.scalar("Volume", on: system) ?? resource.name)")
        default:
            return .modelled("\(resource.type):\(resource.name)")
        }
    }

    /// A process as `ps` names it: the program's file name.
    static func processItem(_ commandLine: String) -> String {
        let program = commandLine.split(separator: " ").first.map(String.init) ?? commandLine
        return "Process:" + (program.split(separator: "/").last.map(String.init) ?? program)
    }

    /// `G` in `/usr/bin/virsh start G` (also `virsh -c URI start G`).
    static func guest(in program: String?, verb: String) -> String? {
        guard let words = program?.split(separator: " ").map(String.init),
              words.first.map({ $0 == "virsh" || $0.hasSuffix("/virsh") }) == true,
              let at = words.firstIndex(of: verb), at + 1 < words.count
        else { return nil }
        return words[at + 1]
    }

    /// `G` in `/var/run/libvirt/qemu/G.pid`.
    static func guestOfPidFile(_ path: String) -> String? {
        for prefix in ["/var/run/libvirt/qemu/", "/run/libvirt/qemu/"] where path.hasPrefix(prefix) && path.hasSuffix(".pid") {
            let name = path.dropFirst(prefix.count).dropLast(4)
            return name.isEmpty || name.contains("/") ? nil : String(name)
        }
        return nil
    }

    /// Every guest the configuration's Application resources manage, with the
    /// systems of its group's SystemList.
    static func guests(of config: ClusterConfig) -> [(guest: String, systems: [String])] {
        var result: [(String, [String])] = []
        for group in config.groups {
            let systems = group.systemList.map(\.system)
            for resource in group.resources {
                for system in systems {
                    guard case .guest(let start, let stop, let monitor) = target(of: resource, on: system) else { continue }
                    for name in [start, stop, monitor].compactMap({ $0 }) {
                        if let index = result.firstIndex(where: { $0.0 == name }) {
                            if !result[index].1.contains(system) { result[index].1.append(system) }
                        } else {
                            result.append((name, [system]))
                        }
                    }
                }
            }
        }
        return result
    }
}
