import VCSConfig
import VCSSemantics

/// A cluster that runs inside a guest (the seed's PM-PM with RemoteGroup:
/// single-node VCS in each KVM guest, watched from the hosts).
public struct GuestClusterSpec: Sendable {
    /// The libvirt domain it runs in.
    public let guest: String
    /// The address RemoteGroup resources reach it at (`IpAddress`).
    public let address: String
    public let config: ClusterConfig

    public init(guest: String, address: String, config: ClusterConfig) {
        self.guest = guest
        self.address = address
        self.config = config
    }
}

/// Guest clusters share this simulator's clock: their events interleave
/// with the hosts' in time order (the hosts' first on a tie). Their systems
/// boot when their guest starts on any host and stop when it stops; their
/// log and state join the hosts' as if one cluster were observed.
extension World {
    /// The guest cluster due next, and when.
    func nextGuestEvent() -> (index: Int, time: Duration)? {
        var best: (Int, Duration)?
        for (index, inner) in guestClusters.enumerated() {
            guard let time = inner.world.queue.nextTime else { continue }
            if best == nil || time < best!.1 { best = (index, time) }
        }
        return best
    }

    /// Handles one event of a guest cluster at `time`.
    mutating func stepGuest(_ index: Int, at time: Duration) {
        now = time
        _ = guestClusters[index].world.step(until: time)
        absorb(index)
        syncGuestPower()
    }

    /// Brings every guest cluster's clock to `now`.
    mutating func catchUpGuests() {
        for index in guestClusters.indices {
            guestClusters[index].world.run(until: now)
            absorb(index)
        }
    }

    /// Copies a guest cluster's log and changed state into this one's.
    mutating func absorb(_ index: Int) {
        let (state, changed) = guestClusters[index].world.observe()
        for (name, status) in state.systems where cachedState.systems[name] != status {
            cachedState.systems[name] = status
            revision += 1
        }
        for group in changed {
            cachedState.groups[group] = state.groups[group]
            changedGroups.insert(group)
            revision += 1
        }
        for entry in guestClusters[index].world.drainLog() { record(entry) }
    }

    /// Powers each guest cluster's systems on or off with its guest.
    mutating func syncGuestPower() {
        for index in guestClusters.indices {
            let guest = guestClusters[index].spec.guest
            var runs = !systems(where: guest, has: [.running, .paused]).isEmpty
            // A panicked guest stays down until its domain stops and starts again.
            if !runs { crashedGuests.remove(guest) }
            if crashedGuests.contains(guest) { runs = false }
            for system in guestClusters[index].spec.config.systems.map(\.name)
            where (guestClusters[index].world.systems[system]?.powered ?? false) != runs {
                guestClusters[index].world.run(until: now)
                if runs { try? guestClusters[index].world.powerOn(system) } else { try? guestClusters[index].world.powerOff(system) }
                absorb(index)
            }
        }
    }

    func guestClusterIndex(at address: String) -> Int? {
        guestClusters.firstIndex { $0.spec.address == address }
    }

    /// What a RemoteGroup's monitor sees: the remote group ONLINE there.
    mutating func remoteGroupIsUp(address: String, group: String, system: String) -> Bool {
        guard let index = guestClusterIndex(at: address) else { return false }
        guestClusters[index].world.run(until: now)
        let state = guestClusters[index].world.state()
        return state.systems[system] == .running && state.flags(of: group, on: system).contains(.online)
    }

    /// A RemoteGroup's online or offline request to the remote cluster.
    mutating func requestRemote(_ online: Bool, address: String, group: String, system: String) {
        guard let index = guestClusterIndex(at: address) else { return }
        guestClusters[index].world.run(until: now)
        if online { guestClusters[index].world.requestOnline(group, on: system) } else { guestClusters[index].world.requestOffline(group, on: system) }
        absorb(index)
    }

    /// `hagrp -online group -sys system`, as a remote agent asks it: ignored
    /// while the system is down or the group already up or faulted there.
    mutating func requestOnline(_ name: String, on system: String) {
        guard let group = config.group(named: name), systems[system]?.running == true,
              !holds(group, on: system), !currentFlags(of: group, on: system).contains(.faulted) else { return }
        bringOnline(group, on: system)
        performPendingActions()
    }

    /// `hagrp -offline group -sys system`.
    mutating func requestOffline(_ name: String, on system: String) {
        guard let group = config.group(named: name), systems[system]?.running == true, holds(group, on: system) else { return }
        takeOffline(group, on: system, failover: false)
        performPendingActions()
    }

    /// Kills a process inside `guest`: the guest's own system when it is a
    /// cluster node here (KVM-KVM), else the systems of the cluster in it.
    /// Returns false when no agent there had started it.
    mutating func killProcess(_ name: String, inGuest guest: String) throws(SimulatorError) -> Bool {
        if systems[guest] != nil { return try killProcess(name, on: guest) }
        guard let index = guestClusters.firstIndex(where: { $0.spec.guest == guest }) else {
            throw SimulatorError("no cluster runs inside guest '\(guest)'")
        }
        guestClusters[index].world.run(until: now)
        var killed = false
        for system in guestClusters[index].spec.config.systems.map(\.name) {
            if try guestClusters[index].world.killProcess(name, on: system) { killed = true }
        }
        absorb(index)
        return killed
    }
}
