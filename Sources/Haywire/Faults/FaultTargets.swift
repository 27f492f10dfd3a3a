/// A fault's targets as the journal and the run record write them: one
/// flat object, `{"kind": "link-down", "host": "sysa", "links": ["eth0"]}`,
/// the format of every record written so far. `Fault` goes to and from it.
public struct FaultTargets: Sendable, Hashable, Codable {
    public var host: String?
    public var guest: String?
    public var links: [String]
    public var mount: String?
    public var process: String?
    /// A guest's disk target (detach-disk).
    public var device: String?
    public var sides: [[String]]
    /// The host's NICs or disk as its outer hypervisor has them (a nested
    /// host's domain), not as the host itself does.
    public var outer: Bool

    public init(host: String? = nil, guest: String? = nil, links: [String] = [], mount: String? = nil,
                process: String? = nil, device: String? = nil, sides: [[String]] = [], outer: Bool = false) {
        self.host = host
        self.guest = guest
        self.links = links
        self.mount = mount
        self.process = process
        self.device = device
        self.sides = sides
        self.outer = outer
    }

    private enum Key: String, CodingKey { case host, guest, links, mount, process, device, sides, outer }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        host = try container.decodeIfPresent(String.self, forKey: .host)
        guest = try container.decodeIfPresent(String.self, forKey: .guest)
        links = try container.decodeIfPresent([String].self, forKey: .links) ?? []
        mount = try container.decodeIfPresent(String.self, forKey: .mount)
        process = try container.decodeIfPresent(String.self, forKey: .process)
        device = try container.decodeIfPresent(String.self, forKey: .device)
        sides = try container.decodeIfPresent([[String]].self, forKey: .sides) ?? []
        outer = try container.decodeIfPresent(Bool.self, forKey: .outer) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(host, forKey: .host)
        try container.encodeIfPresent(guest, forKey: .guest)
        try container.encode(links, forKey: .links)
        try container.encodeIfPresent(mount, forKey: .mount)
        try container.encodeIfPresent(process, forKey: .process)
        try container.encodeIfPresent(device, forKey: .device)
        if !sides.isEmpty { try container.encode(sides, forKey: .sides) }
        if outer { try container.encode(true, forKey: .outer) }
    }

    func description(of kind: FaultKind) -> String {
        var parts = [kind.rawValue]
        if let guest { parts.append("guest \(guest)") }
        if let host { parts.append(outer ? "nested host \(host)" : "host \(host)") }
        if !links.isEmpty { parts.append("links \(links.joined(separator: ","))") }
        if let mount { parts.append("mount \(mount)") }
        if let process { parts.append("process \(process)") }
        if let device { parts.append("disk \(device)") }
        if !sides.isEmpty { parts.append(sides.map { $0.joined(separator: ",") }.joined(separator: " | ")) }
        return parts.joined(separator: " ")
    }
}

extension Fault {
    /// The fault's targets, flat.
    public var targets: FaultTargets {
        switch self {
        case .killGuest(let guest), .crashGuest(let guest), .pauseGuest(let guest), .shutdownGuest(let guest),
             .rebootGuest(let guest):
            FaultTargets(guest: guest)
        case .killHost(let host), .pauseHost(let host): FaultTargets(host: host)
        case .linkDown(let host, let links): FaultTargets(host: host, links: links)
        case .guestLinksDown(let guest, let macs): FaultTargets(guest: guest, links: macs)
        case .outerLinksDown(let host, let macs): FaultTargets(host: host, links: macs, outer: true)
        case .outerDiskDetach(let host, let disk): FaultTargets(host: host, device: disk, outer: true)
        case .unmount(let host, let mount): FaultTargets(host: host, mount: mount)
        case .detachDisk(let guest, let disk): FaultTargets(guest: guest, device: disk)
        case .killProcess(.host(let host), let process): FaultTargets(host: host, process: process)
        case .killProcess(.guest(let guest), let process): FaultTargets(guest: guest, process: process)
        case .partition(let sides): FaultTargets(sides: sides)
        case .other(_, let targets): targets
        }
    }

    /// The fault of `kind` with `targets`, or why they do not make one.
    public init(kind: FaultKind, targets t: FaultTargets) throws(FaultShapeError) {
        func need(_ value: String?, _ what: String) throws(FaultShapeError) -> String {
            guard let value else { throw FaultShapeError("\(kind.rawValue) needs a \(what)") }
            return value
        }
        switch kind {
        case .killGuest: self = .killGuest(guest: try need(t.guest, "guest"))
        case .crashGuest: self = .crashGuest(guest: try need(t.guest, "guest"))
        case .pauseGuest: self = .pauseGuest(guest: try need(t.guest, "guest"))
        case .shutdownGuest: self = .shutdownGuest(guest: try need(t.guest, "guest"))
        case .rebootGuest: self = .rebootGuest(guest: try need(t.guest, "guest"))
        case .killHost: self = .killHost(host: try need(t.host, "host"))
        case .pauseHost: self = .pauseHost(host: try need(t.host, "host"))
        case .linkDown:
            if let guest = t.guest {
                self = .guestLinksDown(guest: guest, macs: t.links)
            } else if t.outer {
                self = .outerLinksDown(host: try need(t.host, "nested host"), macs: t.links)
            } else {
                self = .linkDown(host: try need(t.host, "host"), links: t.links)
            }
        case .unmount: self = .unmount(host: try need(t.host, "host"), mount: try need(t.mount, "mount"))
        case .detachDisk where t.outer: self = .outerDiskDetach(host: try need(t.host, "nested host"), disk: try need(t.device, "disk"))
        case .detachDisk: self = .detachDisk(guest: try need(t.guest, "guest"), disk: try need(t.device, "disk"))
        case .killProcess:
            let process = try need(t.process, "process")
            if let guest = t.guest {
                self = .killProcess(where: .guest(guest), process: process)
            } else {
                self = .killProcess(where: .host(try need(t.host, "host or guest")), process: process)
            }
        case .partition:
            guard t.sides.count >= 2 else { throw FaultShapeError("partition needs two sides or more") }
            self = .partition(sides: t.sides)
        default: self = .other(kind: kind, targets: t)
        }
    }
}

extension Fault {
    /// The same fault with `scrub` applied to every name (secrets masked).
    public func scrubbed(by scrub: (String) -> String) -> Fault {
        var t = targets
        t.host = t.host.map(scrub)
        t.guest = t.guest.map(scrub)
        t.links = t.links.map(scrub)
        t.mount = t.mount.map(scrub)
        t.process = t.process.map(scrub)
        t.device = t.device.map(scrub)
        t.sides = t.sides.map { $0.map(scrub) }
        return (try? Fault(kind: kind, targets: t)) ?? self
    }
}

/// Targets that do not make a fault of their kind.
public struct FaultShapeError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension Fault: Codable {
    private enum Key: String, CodingKey { case kind }

    public init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: Key.self).decode(FaultKind.self, forKey: .kind)
        do {
            try self.init(kind: kind, targets: try FaultTargets(from: decoder))
        } catch let error as FaultShapeError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(kind, forKey: .kind)
        try targets.encode(to: encoder)
    }
}
