import VCSConfig
import VCSSemantics

/// What a scenario's fault must find: every system running, every group
/// with an AutoStartList online somewhere, and the scenario's `given:`.
struct SteadyState: Sendable {
    let members: [String]
    /// Groups that come online by themselves (`comesOnlineAtStart`). A
    /// group with nothing to start (no resources, or only persistent ones
    /// such as NIC) never shows ONLINE, unless a Phantom gives it a state;
    /// nor does one waiting for a group that never starts.
    var autoStarted: [String]
    var given: [Placement]

    init(config: ClusterConfig, given: [Placement] = []) {
        members = config.systems.map(\.name)
        autoStarted = config.groups.filter(config.comesOnlineAtStart).map(\.name)
        self.given = given
    }

    /// The same, with a scenario's `given:`.
    func with(given: [Placement]) -> SteadyState {
        var copy = self
        copy.given = given
        return copy
    }

    /// `given:` is checked first: while a switch puts a group in place, it
    /// is what fails, and the other checks read every group.
    func holds(_ state: ClusterState) -> Bool {
        given.allSatisfy { state.onlineSystems(of: $0.group).contains($0.system) }
            && members.allSatisfy { state.systems[$0] == .running }
            && autoStarted.allSatisfy { group in
                guard let row = state.groups[group] else { return false }
                for flags in row.values where flags.contains(.online) && !flags.contains(.partial) { return true }
                return false
            }
    }

    /// Why `state` is not steady, for an error message.
    func shortfall(_ state: ClusterState) -> String {
        let down = members.filter { state.systems[$0] != .running }
        return (down.isEmpty ? "" : "not running: \(down.joined(separator: ", ")); ")
            + Set(autoStarted + given.map(\.group)).sorted().map(state.summary(of:)).joined(separator: "; ")
            + (given.isEmpty ? "" : "; given: " + given.map { "\($0.group) online on \($0.system)" }.joined(separator: ", "))
    }
}
