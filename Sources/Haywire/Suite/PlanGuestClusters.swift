import VCSConfig
import VCSSemantics

extension Planner {
    /// The `guest-clusters` entries for `configs` (address → the main.cf
    /// reference of the cluster there): each RemoteGroup's address must have
    /// one, and the guest is the one the groups its group requires start.
    /// Without them the plan would run RemoteGroups that reach nothing.
    public func guestClusters(configs: [String: String]) throws -> [(guest: String, address: String, config: String)] {
        var entries: [(guest: String, address: String, config: String)] = []
        for (group, resource, address, watched) in config.remoteGroups() where !entries.contains(where: { $0.address == address }) {
            guard let file = configs[address] else {
                throw HarnessError("RemoteGroup \(resource.name) (group \(group.name)) reaches group \(watched) at \(address): give the main.cf of the cluster there with --guest-config \(address)=FILE")
            }
            let guests = guestsRequired(by: group)
            guard guests.count == 1, let guest = guests.first else {
                throw HarnessError("RemoteGroup \(resource.name) (group \(group.name)) reaches \(address), but the groups \(group.name) requires start \(guests.isEmpty ? "no guest" : "several guests (\(guests.sorted().joined(separator: ", ")))"): haywire cannot tell which one runs that cluster")
            }
            entries.append((guest, address, file))
        }
        if let unused = configs.keys.sorted().first(where: { address in !entries.contains { $0.address == address } }) {
            throw HarnessError("--guest-config \(unused): no RemoteGroup's IpAddress is \(unused)")
        }
        return entries
    }

    /// The guests that `group` and the groups it requires online start.
    private func guestsRequired(by group: ServiceGroup, visiting: Set<String> = []) -> Set<String> {
        guard !visiting.contains(group.name) else { return [] }
        var guests: Set<String> = []
        for entry in group.systemList {
            for resource in group.resources { guests.formUnion(ResourceTarget.of(resource, on: entry.system).guests) }
        }
        for dependency in group.groupDependencies where dependency.category == .online {
            if let child = config.group(named: dependency.child) { guests.formUnion(guestsRequired(by: child, visiting: visiting.union([group.name]))) }
        }
        return guests
    }
}
