/// An attribute's value as written: a scalar, a list or an association.
public enum AttributeValue: Equatable, Sendable {
    case scalar(String)
    case list([String])
    case association([AssociationEntry])

    public var scalar: String? {
        if case .scalar(let value) = self { return value }
        return nil
    }

    public var list: [String]? {
        switch self {
        case .list(let items): items
        case .association(let entries): entries.map(\.key)
        case .scalar: nil
        }
    }
}

public struct AssociationEntry: Equatable, Sendable {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

public struct Attribute: Equatable, Sendable {
    public let name: String
    /// Set for a localized value, `Attr @sys = value`.
    public let system: String?
    public let value: AttributeValue
    public let location: SourceLocation

    public init(name: String, system: String? = nil, value: AttributeValue, location: SourceLocation) {
        self.name = name
        self.system = system
        self.value = value
        self.location = location
    }
}

/// Attribute lookup shared by clusters, systems, groups and resources.
public protocol Attributed {
    var attributes: [Attribute] { get }
}

extension Attributed {
    /// The value of `name` on `system`: a localized value wins over the global one.
    public func attribute(_ name: String, on system: String? = nil) -> Attribute? {
        if let system, let local = attributes.first(where: { $0.name == name && $0.system == system }) {
            return local
        }
        return attributes.first { $0.name == name && $0.system == nil }
    }

    public func scalar(_ name: String, on system: String? = nil) -> String? {
        attribute(name, on: system)?.value.scalar
    }

    public func integer(_ name: String, on system: String? = nil) -> Int? {
        scalar(name, on: system).flatMap { Int($0) }
    }
}

public struct SystemDefinition: Attributed, Equatable, Sendable {
    public let name: String
    public let attributes: [Attribute]
    public let location: SourceLocation

    public init(name: String, attributes: [Attribute] = [], location: SourceLocation) {
        self.name = name
        self.attributes = attributes
        self.location = location
    }
}

public struct Resource: Attributed, Equatable, Sendable {
    public let type: String
    public let name: String
    public let attributes: [Attribute]
    public let location: SourceLocation

    /// VCS's `Critical` attribute, 1 unless set otherwise.
    public var isCritical: Bool { integer("Critical") != 0 }
}

/// `parent requires child`: the child comes online first and goes offline last.
public struct ResourceDependency: Equatable, Sendable {
    public let parent: String
    public let child: String
    public let location: SourceLocation
}

public struct GroupDependency: Equatable, Sendable {
    public enum Category: String, Sendable { case online, offline }
    public enum Locality: String, Sendable { case local, global, remote }
    public enum Strength: String, Sendable { case soft, firm, hard }

    /// The child group this group requires.
    public let child: String
    public let category: Category
    public let locality: Locality
    public let strength: Strength
    public let location: SourceLocation
}

public struct SystemPriority: Equatable, Sendable {
    public let system: String
    public let priority: Int
}

public struct ServiceGroup: Attributed, Equatable, Sendable {
    /// A group never changes once read, so its copies share one box: a
    /// simulator that looks groups up millions of times copies a pointer.
    private final class Box: Sendable {
        let name: String
        let attributes: [Attribute]
        let resources: [Resource]
        let resourceDependencies: [ResourceDependency]
        let groupDependencies: [GroupDependency]
        let location: SourceLocation
        let systemList: [SystemPriority]
        let autoStartList: [String]
        let isParallel: Bool
        let autoFailOver: Bool
        let resourceIndex: [String: Int]
        let childrenOf: [String: [String]]
        let parentsOf: [String: [String]]
        let onlineOrder: [String]
        let offlineOrder: [String]

        init(name: String, attributes: [Attribute], resources: [Resource], resourceDependencies: [ResourceDependency],
             groupDependencies: [GroupDependency], location: SourceLocation) {
            self.name = name
            self.attributes = attributes
            self.resources = resources
            self.resourceDependencies = resourceDependencies
            self.groupDependencies = groupDependencies
            self.location = location
            systemList = ServiceGroup.systemList(of: attributes.first { $0.name == "SystemList" && $0.system == nil }?.value)
            autoStartList = attributes.first { $0.name == "AutoStartList" && $0.system == nil }?.value.list ?? []
            isParallel = attributes.first { $0.name == "Parallel" && $0.system == nil }?.value.scalar.flatMap { Int($0) } == 1
            autoFailOver = attributes.first { $0.name == "AutoFailOver" && $0.system == nil }?.value.scalar.flatMap { Int($0) } != 0
            resourceIndex = Dictionary(resources.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
            let children = Dictionary(grouping: resourceDependencies, by: \.parent).mapValues { $0.map(\.child) }
            childrenOf = children
            parentsOf = Dictionary(grouping: resourceDependencies, by: \.child).mapValues { $0.map(\.parent) }
            let order = ResourceOrder.computeOnlineOrder(resources: resources, children: children)
            onlineOrder = order
            offlineOrder = order.reversed()
        }
    }

    private let box: Box

    public var name: String { box.name }
    public var attributes: [Attribute] { box.attributes }
    public var resources: [Resource] { box.resources }
    public var resourceDependencies: [ResourceDependency] { box.resourceDependencies }
    public var groupDependencies: [GroupDependency] { box.groupDependencies }
    public var location: SourceLocation { box.location }

    public init(name: String, attributes: [Attribute], resources: [Resource] = [],
                resourceDependencies: [ResourceDependency] = [], groupDependencies: [GroupDependency] = [],
                location: SourceLocation) {
        box = Box(name: name, attributes: attributes, resources: resources, resourceDependencies: resourceDependencies,
                  groupDependencies: groupDependencies, location: location)
    }

    public static func == (a: ServiceGroup, b: ServiceGroup) -> Bool {
        a.box === b.box || (a.name == b.name && a.attributes == b.attributes && a.resources == b.resources
            && a.resourceDependencies == b.resourceDependencies && a.groupDependencies == b.groupDependencies
            && a.location == b.location)
    }

    /// SystemList in priority order (lowest number first).
    public var systemList: [SystemPriority] { box.systemList }

    public var autoStartList: [String] { box.autoStartList }

    fileprivate static func systemList(of value: AttributeValue?) -> [SystemPriority] {
        guard case .association(let entries)? = value else {
            return (value?.list ?? []).enumerated().map {
                SystemPriority(system: $0.element, priority: $0.offset)
            }
        }
        var next = 0
        let listed = entries.map { entry -> SystemPriority in
            let priority = Int(entry.value) ?? next
            next = priority + 1
            return SystemPriority(system: entry.key, priority: priority)
        }
        return listed.enumerated().sorted {
            ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset)
        }.map(\.element)
    }

    /// True for `Parallel = 1` groups, which run on every system at once.
    public var isParallel: Bool { box.isParallel }

    /// `AutoFailOver` is not 0 (it is 1 unless set).
    public var autoFailOver: Bool { box.autoFailOver }

    public func resource(named name: String) -> Resource? { box.resourceIndex[name].map { box.resources[$0] } }

    /// Resources that `name` requires, in the order the file states them.
    public func children(of name: String) -> [String] { box.childrenOf[name] ?? [] }

    /// Resources that require `name`.
    public func parents(of name: String) -> [String] { box.parentsOf[name] ?? [] }

    /// Children before parents; ties keep the order of the file.
    public var onlineOrder: [String] { box.onlineOrder }

    /// Parents before children.
    public var offlineOrder: [String] { box.offlineOrder }
}

/// A whole main.cf with its includes.
public struct ClusterConfig: Attributed, Equatable, Sendable {
    public let name: String
    public let attributes: [Attribute]
    public let systems: [SystemDefinition]
    public let groups: [ServiceGroup]
    public let warnings: [ConfigWarning]
    /// Resource types by name: those of the types files read, or haywire's
    /// bundled definitions when none was.
    public let types: [String: TypeDefinition]
    private let groupIndex: [String: Int]
    private let listingIndex: [String: [Int]]

    public init(name: String, attributes: [Attribute] = [], systems: [SystemDefinition], groups: [ServiceGroup],
                warnings: [ConfigWarning] = [], types: [String: TypeDefinition] = [:]) {
        self.name = name
        self.attributes = attributes
        self.systems = systems
        self.groups = groups
        self.warnings = warnings
        self.types = types
        groupIndex = Dictionary(groups.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var listing: [String: [Int]] = [:]
        for (index, group) in groups.enumerated() {
            for system in Set(group.systemList.map(\.system)) { listing[system, default: []].append(index) }
        }
        listingIndex = listing
    }

    /// `attribute` of `resource` on `system`: its own (localized) value, else
    /// its type's default, else VCS's default for every resource.
    public func value(_ attribute: String, of resource: Resource, on system: String? = nil) -> AttributeValue? {
        resource.attribute(attribute, on: system)?.value
            ?? types[resource.type]?.attributes[attribute]?.defaultValue
            ?? TypeLibrary.common.attributes[attribute]?.defaultValue
    }

    public func integer(_ attribute: String, of resource: Resource, on system: String? = nil) -> Int? {
        value(attribute, of: resource, on: system)?.scalar.flatMap { Int($0) }
    }

    public func group(named name: String) -> ServiceGroup? { groupIndex[name].map { groups[$0] } }

    /// The groups whose SystemList names `system`, in configuration order.
    public func groups(listing system: String) -> [ServiceGroup] { (listingIndex[system] ?? []).map { groups[$0] } }
}
