import VCSConfig
import VCSSemantics

/// What agents do to a system: guests started and stopped (the edge makes
/// libvirt match), modelled state for storage, link state for NICs.
extension World {
    mutating func performPendingActions() {
        while !pendingActions.isEmpty {
            let (key, operation) = pendingActions.removeFirst()
            guard let resource = config.group(named: key.group)?.resource(named: key.resource) else { continue }
            perform(operation, resource, on: key.system)
        }
    }

    private mutating func perform(_ operation: AgentOperation, _ resource: Resource, on system: String) {
        let target = target(of: resource, on: system)
        // Another resource may watch the same thing.
        touch(system, target: target)
        switch target {
        case .link, .proxy, .phantom:
            return
        case .remoteGroup(let address, let group, let remoteSystem, let mode):
            switch (operation, mode) {
            case (.online, .onOff), (.online, .onlineOnly):
                requestRemote(true, address: address, group: group, system: remoteSystem)
            case (.offline, .onOff), (.clean, .onOff):
                requestRemote(false, address: address, group: group, system: remoteSystem)
            default:
                break
            }
        case .modelled(let item):
            if operation == .online {
                modelled[system, default: []].insert(item)
            } else {
                modelled[system]?.remove(item)
            }
        case .processes(let names, let owner):
            for name in names {
                let item = ProcessInstance(name: name, owner: owner)
                if operation == .online {
                    processes[system, default: []].insert(item)
                } else {
                    processes[system]?.remove(item)
                }
            }
        case .guest(let startName, let stopName, let monitorName):
            // With no StopProgram naming the guest, offline is a power-off of
            // the guest it monitors, as its clean would be.
            let name = switch operation {
            case .online: startName
            case .offline: stopName ?? monitorName
            case .clean: monitorName
            }
            guard let name, let power = guestPower(name, on: system) else {
                if operation != .clean { note("\(system): \(resource.name): no program to \(operation) it") }
                return
            }
            // `virsh start` of a paused guest fails; shutdown and destroy
            // act only on a running one, as the agent's programs do.
            switch (operation, power) {
            case (.online, .paused):
                note("\(system): \(resource.name): virsh online \(name) failed: domain is already running")
            case (.online, .off): setGuest(name, on: system, .running)
            case (.offline, .running), (.clean, .running): setGuest(name, on: system, .off)
            default: break
            }
        }
    }

    /// What the agent's monitor sees.
    mutating func isUp(_ resource: Resource, on system: String) -> Bool {
        guard let runtime = systems[system] else { return false }
        switch target(of: resource, on: system) {
        case .link(let name):
            return !runtime.linksDown.contains(name)
        case .modelled(let item):
            return modelled[system]?.contains(item) == true
        case .processes(let names, let owner):
            return names.allSatisfy { processes[system]?.contains(ProcessInstance(name: $0, owner: owner)) == true }
        case .remoteGroup(let address, let group, let remoteSystem, _):
            return remoteGroupIsUp(address: address, group: group, system: remoteSystem)
        case .proxy(let name, let targetSystem):
            let place = targetSystem ?? system
            guard let group = config.groups.first(where: { $0.resource(named: name) != nil }) else { return false }
            return resources[ResourceKey(group: group.name, resource: name, system: place)] == .online
        case .phantom:
            return runtime.running
        case .guest(_, _, let monitorName):
            // The pid file exists while qemu lives, paused or not.
            guard let monitorName, let power = guests[system]?[monitorName] else { return false }
            return power != .off
        }
    }

    /// Power loss: every guest of the system stops.
    mutating func stopAllGuests(on system: String) {
        for (name, power) in guests[system] ?? [:] where power != .off { guests[system]![name] = .off }
    }

    /// The guest's power on `system`; nil, noted, when that host does not define it.
    mutating func guestPower(_ name: String, on system: String) -> GuestPower? {
        if let power = guests[system]?[name] { return power }
        note("\(system): guest \(name): not defined on this host")
        return nil
    }

    mutating func setGuest(_ name: String, on system: String, _ power: GuestPower) {
        guests[system]?[name] = power
    }

    /// What the edge read back from a host whose connection was handed out:
    /// its holder may have destroyed, paused or started guests there.
    mutating func guestsObserved(on system: String, _ powers: [String: GuestPower]) {
        for (name, power) in powers where guests[system]?[name] != nil && guests[system]![name] != power {
            guests[system]![name] = power
        }
    }
}
