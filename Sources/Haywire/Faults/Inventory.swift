/// What a suite's lab names: the only hosts and guests haywire may touch.
/// Every resolved fault is checked here before any call is made.
public struct Inventory: Sendable {
    public let hosts: Set<String>
    /// guest -> the hosts it is defined on
    public let guests: [String: Set<String>]

    public init(_ lab: LabSpec) {
        hosts = Set(lab.hosts.map(\.name))
        guests = Dictionary(lab.guests.map { ($0.name, Set($0.hosts)) }, uniquingKeysWith: { $0.union($1) })
    }

    /// Refuses a fault on anything the lab does not list.
    public func check(_ fault: Fault) throws {
        if let host = fault.host, !hosts.contains(host) {
            throw HarnessError("refused: host \(host) is not in the lab inventory")
        }
        if let guest = fault.guest {
            guard let on = guests[guest] else { throw HarnessError("refused: guest \(guest) is not in the lab inventory") }
            if let host = fault.host, !on.contains(host) {
                throw HarnessError("refused: guest \(guest) is not listed on host \(host)")
            }
        }
    }
}
