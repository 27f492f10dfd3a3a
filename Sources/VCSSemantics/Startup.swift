import VCSConfig

extension ClusterConfig {
    /// The group comes online by itself when the cluster starts: it has an
    /// AutoStartList, something whose state is its own, and every group it
    /// requires online comes up where it needs it (a local child on its
    /// start system, a remote one elsewhere). A group that waits for a
    /// child that never starts waits forever.
    public func comesOnlineAtStart(_ group: ServiceGroup) -> Bool {
        var visiting: Set<String> = []
        return comesOnline(group, visiting: &visiting)
    }

    private func comesOnline(_ group: ServiceGroup, visiting: inout Set<String>) -> Bool {
        guard let start = autoStartSystems(of: group).first, canComeOnline(group), visiting.insert(group.name).inserted else {
            return false
        }
        defer { visiting.remove(group.name) }
        for dependency in group.groupDependencies where dependency.category == .online {
            guard let child = self.group(named: dependency.child), comesOnline(child, visiting: &visiting) else { return false }
            let childStarts = autoStartSystems(of: child)
            switch dependency.locality {
            case .local: guard childStarts.contains(start) else { return false }
            case .global: break
            case .remote: guard childStarts.contains(where: { $0 != start }) else { return false }
            }
        }
        return true
    }

    /// The systems where `group` runs once the cluster has started, if it
    /// comes online by itself.
    public func steadySystems(of group: ServiceGroup) -> [String] {
        comesOnlineAtStart(group) ? autoStartSystems(of: group) : []
    }

    /// LLT node ids: systems numbered in the order main.cf defines them.
    public func nodeID(of system: String) -> Int {
        systems.firstIndex { $0.name == system } ?? Int.max
    }

    /// Which side of a split survives I/O fencing (the race for the
    /// coordinator disks): the larger; on a tie, the one holding the lowest
    /// node id. The same rule picks the side GAB keeps when two sides that
    /// ran apart without fencing meet again.
    public func survivingSide(_ a: Set<String>, _ b: Set<String>) -> Set<String> {
        if a.count != b.count { return a.count > b.count ? a : b }
        let lowest = { (side: Set<String>) in side.map(self.nodeID(of:)).min() ?? Int.max }
        return lowest(a) < lowest(b) ? a : b
    }
}
