import VCSConfig

/// What a resource's agent acts on and watches, on one system.
public enum ResourceTarget: Equatable, Hashable, Sendable {
    /// A KVM guest started and stopped through libvirt (`virsh start|shutdown G`),
    /// monitored through its pid file `/var/run/libvirt/qemu/G.pid`.
    case guest(start: String?, stop: String?, monitor: String?)
    /// A public link that a NIC resource watches; never taken offline.
    case link(String)
    /// Processes (as `ps` names them) that this resource alone starts and
    /// watches: a Process's PathName, an Application's MonitorProcesses.
    /// Two resources with the same program run two instances of it.
    case processes([String], owner: String)
    /// Other state on the system: a mount point, a disk group, a volume, an
    /// address, an application without a guest or process to watch.
    case modelled(String)
    /// Proxy: mirrors another resource, on this system or a named one.
    case proxy(resource: String, system: String?)
    /// Phantom: online while its system runs, so that a group of
    /// persistent resources (a NIC) shows ONLINE.
    case phantom
    /// A group of the cluster at `address` (RemoteGroup), on its system.
    case remoteGroup(address: String, group: String, system: String, mode: RemoteControlMode)

    /// Storage the system holds while the resource is online: what a
    /// detached disk takes away.
    public var isStorage: Bool {
        guard case .modelled(let item) = self else { return false }
        return item.hasPrefix("Mount:") || item.hasPrefix("DiskGroup:") || item.hasPrefix("Volume:")
    }

    /// The guests it starts, stops or monitors, in name order.
    public var guests: [String] {
        guard case .guest(let start, let stop, let monitor) = self else { return [] }
        return Array(Set([start, stop, monitor].compactMap { $0 })).sorted()
    }

    /// The process names it runs, in the order written.
    public var processNames: [String] {
        guard case .processes(let names, _) = self else { return [] }
        return names
    }
}

/// RemoteGroup's ControlMode: whether it starts and stops the remote group
/// or only watches it.
public enum RemoteControlMode: String, Equatable, Hashable, Sendable {
    case onOff = "OnOff"
    case monitorOnly = "MonitorOnly"
    case onlineOnly = "OnlineOnly"
}

extension ResourceTarget {
    /// The agent target of `resource` on `system`.
    public static func of(_ resource: Resource, on system: String) -> ResourceTarget {
        switch resource.type {
        case "Application":
            let start = guest(in: resource.scalar("StartProgram", on: system), verb: "start")
            let stop = guest(in: resource.scalar("StopProgram", on: system), verb: "shutdown")
                ?? guest(in: resource.scalar("StopProgram", on: system), verb: "destroy")
            let monitor = (resource.attribute("PidFiles", on: system)?.value.list ?? []).lazy
                .compactMap(guestOfPidFile).first
            if start != nil || monitor != nil { return .guest(start: start, stop: stop, monitor: monitor ?? start) }
            let watched = (resource.attribute("MonitorProcesses", on: system)?.value.list ?? []).map(processName)
            if !watched.isEmpty { return .processes(watched, owner: resource.name) }
            return .modelled("Application:\(resource.name)")
        case "KVMGuest":
            // The seed's KVM agent: it starts, stops and watches the libvirt guest itself.
            let guest = resource.scalar("GuestName", on: system) ?? resource.name
            return .guest(start: guest, stop: guest, monitor: guest)
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
        case "Process", "ProcessOnOnly":
            return .processes([processName(resource.scalar("PathName", on: system) ?? resource.name)], owner: resource.name)
        case "NIC":
            return .link(resource.scalar("Device", on: system) ?? "eth0")
        case "Mount", "CFSMount":
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
    public static func processName(_ commandLine: String) -> String {
        let program = commandLine.split(separator: " ").first.map(String.init) ?? commandLine
        return program.split(separator: "/").last.map(String.init) ?? program
    }

    /// `G` in `/usr/bin/virsh start G` (also `virsh -c URI start G`).
    public static func guest(in program: String?, verb: String) -> String? {
        guard let words = program?.split(separator: " ").map(String.init),
              words.first.map({ $0 == "virsh" || $0.hasSuffix("/virsh") }) == true,
              let at = words.firstIndex(of: verb), at + 1 < words.count
        else { return nil }
        return words[at + 1]
    }

    /// `G` in `/var/run/libvirt/qemu/G.pid`.
    public static func guestOfPidFile(_ path: String) -> String? {
        for prefix in ["/var/run/libvirt/qemu/", "/run/libvirt/qemu/"] where path.hasPrefix(prefix) && path.hasSuffix(".pid") {
            let name = path.dropFirst(prefix.count).dropLast(4)
            return name.isEmpty || name.contains("/") ? nil : String(name)
        }
        return nil
    }
}
