import VCSConfig

/// What VCS does with resources, read from the configuration alone.
extension ClusterConfig {
    /// VCS never brings it online or takes it offline, and its state is not
    /// its group's: its type's Operations is None (NIC, Proxy). Phantom is
    /// None too but exists to give its group a state, so it counts.
    public func isPersistent(_ resource: Resource) -> Bool {
        resource.type != "Phantom" && value("Operations", of: resource)?.scalar == "None"
    }

    /// The group can ever show ONLINE: some resource's state is its own.
    public func canComeOnline(_ group: ServiceGroup) -> Bool {
        group.resources.contains { !isPersistent($0) }
    }

    /// Each RemoteGroup resource with the address it reaches and the group
    /// it watches there, as the agent reads them on its group's first system.
    public func remoteGroups() -> [(group: ServiceGroup, resource: Resource, address: String, watched: String)] {
        groups.flatMap { group in
            group.resources.compactMap { resource in
                guard let system = group.systemList.first?.system,
                      case .remoteGroup(let address, let watched, _, _) = ResourceTarget.of(resource, on: system), !address.isEmpty else { return nil }
                return (group, resource, address, watched)
            }
        }
    }

    /// The KVM guests the configuration's Application resources manage
    /// (`virsh start G`, PidFiles `/var/run/libvirt/qemu/G.pid`), each with
    /// the systems of its group's SystemList, in the order first seen.
    public func managedGuests() -> [(guest: String, systems: [String])] {
        var result: [(guest: String, systems: [String])] = []
        var index: [String: Int] = [:]
        for group in groups {
            let systems = group.systemList.map(\.system)
            for resource in group.resources where ["Application", "KVMGuest"].contains(resource.type) {
                for system in systems {
                    for name in ResourceTarget.of(resource, on: system).guests {
                        if let at = index[name] {
                            if !result[at].systems.contains(system) { result[at].systems.append(system) }
                        } else {
                            index[name] = result.count
                            result.append((name, [system]))
                        }
                    }
                }
            }
        }
        return result
    }

    /// The systems a group starts on when the cluster starts: every system
    /// of a parallel group's AutoStartList, else the first.
    public func autoStartSystems(of group: ServiceGroup) -> [String] {
        group.isParallel ? group.autoStartList : Array(group.autoStartList.prefix(1))
    }

    /// Frozen (persistently or temporarily): VCS reports faults and acts on none.
    public func isFrozen(_ group: ServiceGroup) -> Bool {
        group.integer("Frozen") == 1 || group.integer("TFrozen") == 1
    }

    /// I/O fencing: UseFence = SCSI3.
    public var usesFencing: Bool { scalar("UseFence") == "SCSI3" }

    /// AutoFailOver is on unless set to 0.
    public func failsOver(_ group: ServiceGroup) -> Bool {
        group.autoFailOver
    }
}
