import Libvirt
import VCSConfig
import VCSSemantics

/// Errors for operations the simulated lab cannot do.
public struct SimulatorError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Power, links, storage and cluster membership (LLT heartbeats + GAB).
/// A peer is declared dead when every heartbeat link to it has been silent
/// for LLT peerinact plus GAB's stable timeout. Without fencing both sides of
/// a partition keep going; when they meet again GAB halts the smaller side
/// (on a tie, the side without the lowest node id).
extension World {
    /// Power loss: the system's guests and cluster engine stop at once.
    mutating func powerOff(_ system: String) throws(SimulatorError) {
        guard systems[system] != nil else { throw SimulatorError("no system '\(system)'") }
        guard systems[system]!.powered else { return }
        cutPower(system)
        note("\(system): power off")
        connectivityChanged(around: system)
        forgetIfUnseen(system)
        performPendingActions()
        if !guestClusters.isEmpty { syncGuestPower() }
    }

    /// Power on: the cluster engine joins after `bootTime`.
    mutating func powerOn(_ system: String) throws(SimulatorError) {
        guard let runtime = systems[system] else { throw SimulatorError("no system '\(system)'") }
        guard !runtime.powered else { return }
        systems[system]!.powered = true
        note("\(system): power on")
        schedule(.booted(system: system, incarnation: runtime.incarnation), after: settings.bootTime)
    }


    /// Cuts or restores one link of `system`.
    mutating func setLink(_ link: String, on system: String, up: Bool) throws(SimulatorError) {
        guard systems[system] != nil else { throw SimulatorError("no system '\(system)'") }
        guard settings.links[link] != nil else {
            throw SimulatorError("system '\(system)' has no link '\(link)' (it has \(settings.links.keys.sorted().joined(separator: ", ")))")
        }
        let changed = up ? systems[system]!.linksDown.remove(link) != nil : systems[system]!.linksDown.insert(link).inserted
        guard changed else { return }
        note("\(system): link \(link) \(up ? "up" : "down")")
        touch(system, target: .link(link))
        connectivityChanged(around: system)
        performPendingActions()
    }

    /// Makes a mount point disappear under the cluster. Returns false when it
    /// was not mounted there.
    mutating func unmount(_ mountPoint: String, on system: String) throws(SimulatorError) -> Bool {
        guard systems[system] != nil else { throw SimulatorError("no system '\(system)'") }
        guard modelled[system]?.remove("Mount:\(mountPoint)") != nil else { return false }
        note("\(system): \(mountPoint) unmounted behind the cluster's back")
        touch(system, target: .modelled("Mount:\(mountPoint)"))
        return true
    }

    /// Mounts `mountPoint` again if its Mount resource still counts as online
    /// there (the cluster has not noticed); otherwise the cluster owns it now.
    mutating func restoreMount(_ mountPoint: String, on system: String) {
        for (key, target) in agentTargets(on: system) where target == .modelled("Mount:\(mountPoint)") && resources[key] == .online {
            modelled[system, default: []].insert("Mount:\(mountPoint)")
            note("\(system): \(mountPoint) mounted again")
        }
    }

    /// Kills every process named `name` (as `ps` shows it) that an agent
    /// started on `system`. Returns false when none ran.
    mutating func killProcess(_ name: String, on system: String) throws(SimulatorError) -> Bool {
        guard systems[system] != nil else { throw SimulatorError("no system '\(system)'") }
        if name == "had", systems[system]!.running {
            // hashadow restarts the engine at once; it probes its resources
            // and finds them as they were: nothing moves.
            note("\(system): had killed; hashadow restarts it and it finds its groups as they were")
            return true
        }
        // Each resource runs its own instance; `pkill -x` kills them all.
        let killed = processes[system]?.filter { $0.name == name } ?? []
        guard !killed.isEmpty else { return false }
        processes[system]?.subtract(killed)
        let owners = Set(killed.map(\.owner))
        note("\(system): process \(name) killed (\(killed.count == 1 ? "1 instance" : "\(killed.count) instances"))")
        touch(system) { if case .processes(_, let owner) = $0 { owners.contains(owner) } else { false } }
        return true
    }

    /// Whether `mountPoint` is mounted on `system` now.
    func isMounted(_ mountPoint: String, on system: String) -> Bool {
        modelled[system]?.contains("Mount:\(mountPoint)") ?? false
    }


    /// Cuts the heartbeats between every two sides; systems not named keep
    /// theirs.
    mutating func partition(_ sides: [[String]]) throws(SimulatorError) {
        for system in sides.joined() where systems[system] == nil { throw SimulatorError("no system '\(system)'") }
        for (i, side) in sides.enumerated() {
            for other in sides[(i + 1)...] {
                for a in side { for b in other { blockedPairs.insert(SystemPair(a, b)) } }
            }
        }
        note("network partition: " + sides.map { $0.joined(separator: ", ") }.joined(separator: " | "))
        for system in sides.joined() { connectivityChanged(around: system) }
        performPendingActions()
    }

    /// Ends every partition.
    mutating func joinPartitions() {
        guard !blockedPairs.isEmpty else { return }
        let systemsInvolved = Set(blockedPairs.flatMap { [$0.first, $0.second] })
        blockedPairs = []
        note("network partition healed")
        for system in systemsInvolved.sorted() { connectivityChanged(around: system) }
        performPendingActions()
    }

    // MARK: Membership

    func canTalk(_ a: String, _ b: String) -> Bool {
        Self.canTalk(a, b, systems: systems, blockedPairs: blockedPairs, links: settings.links)
    }

    /// Two running systems hear each other over a heartbeat link that is up
    /// on both, unless a partition keeps them apart.
    static func canTalk(_ a: String, _ b: String, systems: [String: SystemRuntime], blockedPairs: Set<SystemPair>,
                        links: [String: LinkKind]) -> Bool {
        guard let x = systems[a], let y = systems[b], x.running, y.running, !blockedPairs.contains(SystemPair(a, b)) else { return false }
        return links.contains { name, kind in
            kind == .heartbeat && !x.linksDown.contains(name) && !y.linksDown.contains(name)
        }
    }

    /// Only `system`'s links or power changed, so only its pairs can have.
    mutating func connectivityChanged(around system: String) {
        var heldHere: [String]?
        var halts: Set<String> = []
        for other in systems.keys.sorted() where other != system {
            let (a, b) = system < other ? (system, other) : (other, system)
            let pair = SystemPair(a, b)
            let connected = canTalk(a, b)
            guard connected != pairConnected[pair, default: true] else { continue }
            pairConnected[pair] = connected
            pairEpochs[pair, default: 0] += 1
            let epoch = pairEpochs[pair]!
            if !connected {
                // What each side last heard the other hold: faults after
                // this cannot reach it.
                // (Only a running side takes anything over.)
                let other = a == system ? b : a
                if systems[other]?.running == true {
                    if heldHere == nil { heldHere = heldGroups(on: system) }
                    heldAtSilence[DirectedPair(observer: other, peer: system)] = heldHere
                }
                if systems[system]?.running == true { heldAtSilence[DirectedPair(observer: system, peer: other)] = heldGroups(on: other) }
                schedule(.peerSilent(observer: a, peer: b, epoch: epoch), after: settings.heartbeatTimeout)
                schedule(.peerSilent(observer: b, peer: a, epoch: epoch), after: settings.heartbeatTimeout)
            } else if systems[a]!.view.contains(b) != true || systems[b]!.view.contains(a) != true {
                heldAtSilence[DirectedPair(observer: a, peer: b)] = nil
                heldAtSilence[DirectedPair(observer: b, peer: a)] = nil
                halts.insert(loserOfRejoin(a, b))
            }
        }
        for system in halts.sorted() {
            note("\(system): GAB halts the system: it rejoined after a network partition")
            haltAndReboot(system)
        }
    }

    private mutating func loserOfRejoin(_ a: String, _ b: String) -> String {
        let x = systems[a]!, y = systems[b]!
        // One its peers expelled (a frozen system come back) loses.
        if x.member != y.member { return x.member ? b : a }
        if x.view.count != y.view.count { return x.view.count < y.view.count ? a : b }
        let lowestA = x.view.compactMap { systems[$0]?.nodeID }.min() ?? x.nodeID
        let lowestB = y.view.compactMap { systems[$0]?.nodeID }.min() ?? y.nodeID
        return lowestA < lowestB ? b : a
    }

    /// Everything on the system stops at once; its guests are destroyed
    /// with the next pending actions, and events of this life are dropped.
    private mutating func cutPower(_ system: String) {
        systems[system]!.powered = false
        systems[system]!.running = false
        systems[system]!.incarnation += 1
        modelled[system] = nil
        processes[system] = nil
        stopAllGuests(on: system)
    }

    /// A panic: everything on the system stops and it boots again.
    mutating func haltAndReboot(_ system: String) {
        cutPower(system)
        connectivityChanged(around: system)
        forgetIfUnseen(system)
        systems[system]!.powered = true
        schedule(.booted(system: system, incarnation: systems[system]!.incarnation), after: settings.bootTime)
    }

    mutating func peerSilent(observer: String, peer: String, epoch: Int) {
        guard pairEpochs[SystemPair(observer, peer)] == epoch, systems[observer]?.running == true,
              systems[observer]!.view.contains(peer) else { return }
        systems[observer]!.view.remove(peer)
        note("\(observer): heartbeats from \(peer) lost; \(peer) leaves its membership")
        if fencing, systems[peer]?.running == true {
            // I/O fencing: both sides race for the coordinator disks; the
            // losing side panics before anyone takes its groups over.
            fence(between: observer, and: peer)
            guard systems[observer]?.running == true else { return }
        }
        declareLost(peer, by: observer)
    }

    /// UseFence = SCSI3 in main.cf (or the suite's override).
    var fencing: Bool { settings.fencing ?? config.usesFencing }

    /// The systems `system` can still reach over heartbeats, itself included.
    private mutating func partition(of system: String) -> Set<String> {
        var seen: Set<String> = [system]
        var frontier = [system]
        while let next = frontier.popLast() {
            for other in systems.keys where !seen.contains(other) && canTalk(next, other) {
                seen.insert(other)
                frontier.append(other)
            }
        }
        return seen
    }

    /// The larger partition wins the race; on a tie, the one holding the
    /// lowest node id. Every system of the other partition panics.
    private mutating func fence(between a: String, and b: String) {
        let sideA = partition(of: a), sideB = partition(of: b)
        guard sideA != sideB else { return }
        let losers = config.survivingSide(sideA, sideB) == sideA ? sideB : sideA
        for system in losers.sorted() where systems[system]?.running == true {
            note("\(system): lost the fencing race: panic")
            haltAndReboot(system)
        }
    }

    /// `observer` no longer counts `peer` as a member: it takes over the
    /// groups `peer` ran. A peer that is down is marked FAULTED and forgotten.
    /// The groups `observer` takes over are those `peer` held when they
    /// last heard each other: a group that faulted there after the cut is
    /// still `peer`'s as far as `observer` knows.
    mutating func declareLost(_ peer: String, by observer: String) {
        let heard = Set(heldAtSilence.removeValue(forKey: DirectedPair(observer: observer, peer: peer)) ?? [])
        let lost = (groupsBySystem[peer] ?? []).filter { heard.contains($0.name) || holds($0, on: peer) }
        if systems[peer]?.running == false, systems[peer]!.member {
            systems[peer]!.member = false
            systems[peer]!.declaredFaulted = true
            systems[peer]!.view = []
            note("\(peer): system FAULTED")
            forgetGroups(on: peer)
        }
        for group in lost where group.autoFailOver && !group.isParallel {
            failOver(group, from: peer, decider: observer)
        }
    }

    private mutating func heldGroups(on system: String) -> [String] {
        (groupsBySystem[system] ?? []).filter { holds($0, on: system) }.map(\.name)
    }

    /// A stopped system that no running peer counts as a member (they had
    /// already split from it) is FAULTED at once.
    /// With no system left running, the cluster itself is down: the
    /// stopped system leaves (EXITED) and its groups are OFFLINE.
    private mutating func forgetIfUnseen(_ system: String) {
        let seen = systems.values.contains { $0.running && $0.name != system && $0.view.contains(system) }
        guard !seen else { return }
        guard let observer = systems.values.filter(\.running).map(\.name).min() else {
            guard systems[system]!.member else { return }
            systems[system]!.member = false
            systems[system]!.view = []
            forgetGroups(on: system)
            note("\(system): the cluster is down: no member left")
            return
        }
        declareLost(system, by: observer)
    }

    /// The cluster no longer knows of any resource state on `system`.
    private mutating func forgetGroups(on system: String) {
        for (key, _) in agentTargets(on: system) { resources[key] = nil }
        for group in groupsBySystem[system] ?? [] { intents[GroupOnSystem(group: group.name, system: system)] = nil }
    }

    mutating func booted(_ system: String, incarnation: Int) {
        guard let runtime = systems[system], runtime.incarnation == incarnation, runtime.powered else { return }
        // Peers that never noticed the restart learn of it now.
        for peer in systems.keys.sorted() where peer != system && systems[peer]!.view.contains(system) {
            systems[peer]!.view.remove(system)
            declareLost(system, by: peer)
        }
        if systems[system]!.member {
            systems[system]!.member = false
            forgetGroups(on: system)
        }
        systems[system]!.running = true
        systems[system]!.member = true
        systems[system]!.declaredFaulted = false
        var view: Set<String> = [system]
        for peer in systems.keys where peer != system && canTalk(system, peer) {
            view.insert(peer)
            systems[peer]!.view.insert(system)
        }
        systems[system]!.view = view
        note("\(system): cluster engine running; members \(view.sorted().joined(separator: ", "))")
        connectivityChanged(around: system)
        // A single-node cluster (onenode mode) seeds itself at boot and
        // starts its AutoStartList groups; a bigger one rejoins and starts
        // those that run nowhere else.
        if config.systems.count == 1 {
            for group in config.groups where group.autoStartList.contains(system) { bringOnline(group, on: system) }
        } else {
            autoStartOnJoin(system)
        }
    }

    /// AutoStart when `system`'s engine joins: a group of whose
    /// AutoStartList it is comes online there if no member holds it (every
    /// member, for a parallel group) and it is faulted on no member: VCS
    /// leaves a fault for an administrator to clear.
    /// A system that boots seeing no peer does not seed a cluster (GAB
    /// waits for its peers), so it starts nothing.
    private mutating func autoStartOnJoin(_ system: String) {
        let members = systems[system]?.view ?? []
        guard members.count > 1 else { return }
        var pending: [ServiceGroup] = []
        for group in groupsBySystem[system] ?? [] where group.autoStartList.contains(system) {
            guard group.integer("AutoStart") != 0, !isFrozen(group) else { continue }
            let places = group.isParallel ? [system] : group.systemList.map(\.system).filter(members.contains)
            let taken = places.contains { holds(group, on: $0) || currentFlags(of: group, on: $0).contains(.faulted) }
            if !taken { pending.append(group) }
        }
        // Children first: a group starts once what it requires is online or
        // coming online; one whose required groups never come stays offline.
        var progressed = true
        while progressed, !pending.isEmpty {
            progressed = false
            let view = placement(decidedBy: system)
            for group in pending where config.dependenciesAllow(group, on: system, in: view) {
                note("\(system): \(group.name) runs nowhere: AutoStart brings it online here")
                bringOnline(group, on: system)
                pending.removeAll { $0.name == group.name }
                progressed = true
            }
        }
        for group in pending {
            note("\(system): \(group.name) runs nowhere, but the groups it requires are not online where it needs them: not started")
        }
    }
}
