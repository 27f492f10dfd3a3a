import VCSConfig
import VCSSemantics

/// Faults inside a guest, which the hosts' hypervisor does not see: qemu
/// keeps running (its pid file stays), so only what runs inside is hurt,
/// a cluster node of KVM-KVM or a cluster in the guest (PM-PM with
/// RemoteGroup). A guest with nothing modelled inside shrugs them off.
extension World {
    /// The systems running inside `guest`: itself when it is a cluster node
    /// here, else those of the cluster in it.
    private func inside(_ guest: String) -> (own: [String], inner: Int?) {
        if systems[guest] != nil { return ([guest], nil) }
        return ([], guestClusters.firstIndex { $0.spec.guest == guest })
    }

    private func requireRunning(_ guest: String) throws(SimulatorError) {
        guard systems[guest] == nil else {
            guard systems[guest]!.powered else { throw SimulatorError("\(guest) is not running") }
            return
        }
        guard !systems(where: guest, has: [.running, .paused]).isEmpty else {
            throw SimulatorError("guest \(guest) is not running on any host")
        }
    }

    /// A kernel panic (NMI): what runs inside stops and stays down until the
    /// guest is restarted. Returns what it hit.
    mutating func crashGuest(_ guest: String) throws(SimulatorError) -> String {
        try requireRunning(guest)
        let (own, inner) = inside(guest)
        if let system = own.first {
            try powerOff(system)
            return "kernel panic of \(guest): cluster node \(system) stopped"
        }
        guard let inner else {
            note("guest \(guest) panicked; nothing the cluster watches runs inside it")
            return "kernel panic of \(guest): nothing the cluster watches runs inside it"
        }
        crashedGuests.insert(guest)
        note("guest \(guest) panicked: the cluster inside it stops")
        syncGuestPower()
        return "kernel panic of \(guest): cluster \(guestClusters[inner].spec.config.name) inside it stopped"
    }

    /// Every NIC of `guest` down or up.
    mutating func setGuestLinks(_ guest: String, up: Bool) throws(SimulatorError) -> String {
        let (own, inner) = inside(guest)
        if let system = own.first {
            for link in settings.links.keys.sorted() { try setLink(link, on: system, up: up) }
            return "every NIC of \(guest) \(up ? "up" : "down") (cluster node \(system))"
        }
        guard let inner else {
            note("guest \(guest): NICs \(up ? "up" : "down"); nothing the cluster watches runs inside it")
            return "every NIC of \(guest) \(up ? "up" : "down"); nothing the cluster watches runs inside it"
        }
        guestClusters[inner].world.run(until: now)
        for system in guestClusters[inner].spec.config.systems.map(\.name) {
            for link in settings.links.keys.sorted() { try guestClusters[inner].world.setLink(link, on: system, up: up) }
        }
        absorb(inner)
        return "every NIC of \(guest) \(up ? "up" : "down")"
    }

    /// A guest's disk detached: the storage the systems inside it use
    /// (mounts, disk groups, volumes) vanishes. Reattaching gives back what
    /// the cluster still counts as online.
    mutating func setGuestStorage(_ guest: String, attached: Bool) throws(SimulatorError) -> String {
        let (own, inner) = inside(guest)
        if let system = own.first {
            storage(on: system, attached: attached)
            return "storage of \(guest) \(attached ? "attached again" : "detached") (cluster node \(system))"
        }
        guard let inner else {
            note("guest \(guest): disk \(attached ? "attached" : "detached"); nothing the cluster watches runs inside it")
            return "disk of \(guest) \(attached ? "attached" : "detached"); nothing the cluster watches runs inside it"
        }
        guestClusters[inner].world.run(until: now)
        for system in guestClusters[inner].spec.config.systems.map(\.name) { guestClusters[inner].world.storage(on: system, attached: attached) }
        absorb(inner)
        return "storage of \(guest) \(attached ? "attached again" : "detached")"
    }

    mutating func storage(on system: String, attached: Bool) {
        let isStorage = { (item: String) in ResourceTarget.modelled(item).isStorage }
        if !attached {
            let lost = modelled[system]?.filter(isStorage) ?? []
            guard !lost.isEmpty else { return }
            modelled[system]?.subtract(lost)
            note("\(system): its storage is gone (\(lost.sorted().joined(separator: ", ")))")
            touch(system) { if case .modelled(let item) = $0 { lost.contains(item) } else { false } }
            return
        }
        for (key, target) in agentTargets(on: system) where resources[key] == .online {
            guard case .modelled(let item) = target, isStorage(item) else { continue }
            modelled[system, default: []].insert(item)
        }
        note("\(system): its storage is back")
    }
}
