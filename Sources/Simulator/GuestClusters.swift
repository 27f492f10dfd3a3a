import Libvirt
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

struct GuestCluster {
    let spec: GuestClusterSpec
    let simulator: Simulator
}

/// Guest clusters share this simulator's clock: their events interleave
/// with the hosts' in time order (the hosts' first on a tie). Their systems
/// boot when their guest starts on any host and stop when it stops; their
/// log and state join the hosts' as if one cluster were observed.
extension Simulator {
    /// The guest cluster due next, and when.
    func nextGuestEvent() async -> (index: Int, time: Duration)? {
        var best: (Int, Duration)?
        for (index, inner) in guestClusters.enumerated() {
            guard let time = await inner.simulator.nextEventTime else { continue }
            if best == nil || time < best!.1 { best = (index, time) }
        }
        return best
    }

    /// Handles one event of a guest cluster at `time`.
    func stepGuest(_ index: Int, at time: Duration) async {
        now = time
        _ = await guestClusters[index].simulator.step(until: time)
        await absorb(index)
        await syncGuestPower()
    }

    /// Brings every guest cluster's clock to `now`.
    func catchUpGuests() async {
        for index in guestClusters.indices {
            await guestClusters[index].simulator.run(until: now)
            await absorb(index)
        }
    }

    /// Copies a guest cluster's log and changed state into this one's.
    func absorb(_ index: Int) async {
        let inner = guestClusters[index].simulator
        let (state, changed) = await inner.observe()
        for (name, status) in state.systems where cachedState.systems[name] != status {
            cachedState.systems[name] = status
            revision += 1
        }
        for group in changed {
            cachedState.groups[group] = state.groups[group]
            changedGroups.insert(group)
            revision += 1
        }
        for entry in await inner.drainLog() { record(entry) }
    }

    /// Powers each guest cluster's systems on or off with its guest.
    func syncGuestPower() async {
        for index in guestClusters.indices {
            let inner = guestClusters[index]
            var runs = await !systems(where: inner.spec.guest, is: [.running, .paused, .blocked]).isEmpty
            // A panicked guest stays down until its domain stops and starts again.
            if !runs { crashedGuests.remove(inner.spec.guest) }
            if crashedGuests.contains(inner.spec.guest) { runs = false }
            for system in inner.spec.config.systems.map(\.name) where await inner.simulator.isPowered(system) != runs {
                await inner.simulator.run(until: now)
                if runs { try? await inner.simulator.powerOn(system) } else { try? await inner.simulator.powerOff(system) }
                await absorb(index)
            }
        }
    }

    func guestCluster(at address: String) -> Simulator? {
        guestClusters.first { $0.spec.address == address }?.simulator
    }

    /// What a RemoteGroup's monitor sees: the remote group ONLINE there.
    func remoteGroupIsUp(address: String, group: String, system: String) async -> Bool {
        guard let inner = guestCluster(at: address) else { return false }
        await inner.run(until: now)
        let state = await inner.state()
        return state.systems[system] == .running && state.flags(of: group, on: system).contains(.online)
    }

    /// A RemoteGroup's online or offline request to the remote cluster.
    func requestRemote(_ online: Bool, address: String, group: String, system: String) async {
        guard let index = guestClusters.firstIndex(where: { $0.spec.address == address }) else { return }
        let inner = guestClusters[index].simulator
        await inner.run(until: now)
        if online { await inner.requestOnline(group, on: system) } else { await inner.requestOffline(group, on: system) }
        await absorb(index)
    }

    /// `hagrp -online group -sys system`, as a remote agent asks it: ignored
    /// while the system is down or the group already up or faulted there.
    func requestOnline(_ name: String, on system: String) async {
        guard let group = config.group(named: name), systems[system]?.running == true,
              !holds(group, on: system), !currentFlags(of: group, on: system).contains(.faulted) else { return }
        bringOnline(group, on: system)
        await performPendingActions()
    }

    /// `hagrp -offline group -sys system`.
    func requestOffline(_ name: String, on system: String) async {
        guard let group = config.group(named: name), systems[system]?.running == true, holds(group, on: system) else { return }
        takeOffline(group, on: system, failover: false)
        await performPendingActions()
    }

    /// Kills a process inside `guest`'s cluster systems. Returns false when
    /// no agent there had started it.
    public func killProcess(_ name: String, inGuest guest: String) async throws(SimulatorError) -> Bool {
        guard let index = guestClusters.firstIndex(where: { $0.spec.guest == guest }) else {
            throw SimulatorError("no cluster runs inside guest '\(guest)'")
        }
        let inner = guestClusters[index].simulator
        await inner.run(until: now)
        var killed = false
        for system in inner.config.systems.map(\.name) {
            if try await inner.killProcess(name, on: system) { killed = true }
        }
        await absorb(index)
        return killed
    }
}
