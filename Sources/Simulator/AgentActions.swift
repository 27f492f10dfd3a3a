import Libvirt
import VCSConfig
import VCSSemantics

/// What agents do to a system: libvirt calls for guests, modelled state for
/// storage, link state for NICs.
extension Simulator {
    func performPendingActions() async {
        while !pendingHalts.isEmpty {
            let system = pendingHalts.removeFirst()
            await stopAllGuests(on: system)
        }
        while !pendingActions.isEmpty {
            let (key, operation) = pendingActions.removeFirst()
            guard let resource = config.group(named: key.group)?.resource(named: key.resource) else { continue }
            await perform(operation, resource, on: key.system)
        }
    }

    private func perform(_ operation: AgentOperation, _ resource: Resource, on system: String) async {
        let target = target(of: resource, on: system)
        // Another resource may watch the same thing.
        touch(system) { $0 == target }
        switch target {
        case .link, .proxy, .phantom:
            return
        case .remoteGroup(let address, let group, let remoteSystem, let mode):
            switch (operation, mode) {
            case (.online, .onOff), (.online, .onlineOnly):
                await requestRemote(true, address: address, group: group, system: remoteSystem)
            case (.offline, .onOff), (.clean, .onOff):
                await requestRemote(false, address: address, group: group, system: remoteSystem)
            default:
                break
            }
        case .modelled(let item):
            if operation == .online {
                systems[system]?.modelled.insert(item)
            } else {
                systems[system]?.modelled.remove(item)
            }
        case .processes(let names, let owner):
            for name in names {
                let item = ProcessInstance(name: name, owner: owner)
                if operation == .online {
                    systems[system]?.processes.insert(item)
                } else {
                    systems[system]?.processes.remove(item)
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
            guard let name, let domain = await guestDomain(name, on: system) else {
                if operation != .clean { note("\(system): \(resource.name): no program to \(operation) it") }
                return
            }
            touchedHosts.insert(system)
            do {
                let running = try await domain.isRunning()
                switch operation {
                case .online where !running: try await domain.start()
                case .offline where running && stopName != nil: try await domain.shutdown()
                case .offline where running: try await domain.destroy()
                case .clean where running: try await domain.destroy()
                default: break
                }
            } catch {
                note("\(system): \(resource.name): virsh \(operation) \(name) failed: \(error.message)")
            }
        }
    }

    /// What the agent's monitor sees.
    func isUp(_ resource: Resource, on system: String) async -> Bool {
        guard let runtime = systems[system] else { return false }
        switch target(of: resource, on: system) {
        case .link(let name):
            return !runtime.linksDown.contains(name)
        case .modelled(let item):
            return runtime.modelled.contains(item)
        case .processes(let names, let owner):
            return names.allSatisfy { runtime.processes.contains(ProcessInstance(name: $0, owner: owner)) }
        case .remoteGroup(let address, let group, let remoteSystem, _):
            return await remoteGroupIsUp(address: address, group: group, system: remoteSystem)
        case .proxy(let name, let targetSystem):
            let place = targetSystem ?? system
            guard let group = config.groups.first(where: { $0.resource(named: name) != nil }) else { return false }
            return resources[ResourceKey(group: group.name, resource: name, system: place)] == .online
        case .phantom:
            return runtime.running
        case .guest(_, _, let monitorName):
            // The pid file exists while qemu lives, paused or not.
            guard let monitorName, let domain = await guestDomain(monitorName, on: system),
                  let state = try? await domain.state().state else { return false }
            return state == .running || state == .paused || state == .blocked
        }
    }

    func stopAllGuests(on system: String) async {
        touchedHosts.insert(system)
        guard let connection = hosts[system]?.connection, let domains = try? await connection.listDomains() else { return }
        for domain in domains where (try? await domain.isRunning()) == true {
            try? await domain.destroy()
        }
    }

    /// The guest's domain on `system`, looked up once: test-driver
    /// definitions persist, so the handle stays good.
    func guestDomain(_ name: String, on system: String, quiet: Bool = false) async -> Domain? {
        let key = "\(system)/\(name)"
        if let known = domains[key] { return known }
        guard let connection = hosts[system]?.connection else { return nil }
        do {
            let domain = try await connection.lookupDomain(name: name)
            domains[key] = domain
            return domain
        } catch {
            if !quiet { note("\(system): guest \(name): \(error.message)") }
            return nil
        }
    }
}
