/// Gathers statements into the model and checks what refers to what.
struct Assembler {
    var warnings: [ConfigWarning]
    /// The file loaded, as given: where an error with no place of its own is.
    var file = "main.cf"

    private struct GroupDraft {
        let name: String
        let attributes: [Attribute]
        let location: SourceLocation
        var resources: [Resource] = []
        var resourceDependencies: [ResourceDependency] = []
        var groupDependencies: [GroupDependency] = []
    }

    func assemble(_ statements: [Statement]) throws(ConfigError) -> ClusterConfig {
        var cluster: (name: String, attributes: [Attribute], location: SourceLocation)?
        var systems: [SystemDefinition] = []
        var groups: [GroupDraft] = []
        var resourceOwner: [String: (group: String, location: SourceLocation)] = [:]
        var types: [String: TypeDefinition] = [:]

        for statement in statements {
            switch statement {
            case .include:
                continue
            case .typeDefinition(let type):
                if let first = types[type.name] {
                    throw ConfigError(type.location, "type '\(type.name)' is defined twice (first at \(first.location))")
                }
                types[type.name] = type
            case .cluster(let name, let attributes, let location):
                if let first = cluster {
                    throw ConfigError(location, "second cluster '\(name)'; '\(first.name)' is defined at \(first.location)")
                }
                cluster = (name, attributes, location)
            case .system(let system):
                if let first = systems.first(where: { $0.name == system.name }) {
                    throw ConfigError(system.location, "system '\(system.name)' is defined twice (first at \(first.location))")
                }
                systems.append(system)
            case .group(let name, let attributes, let location):
                if let first = groups.first(where: { $0.name == name }) {
                    throw ConfigError(location, "group '\(name)' is defined twice (first at \(first.location))")
                }
                groups.append(GroupDraft(name: name, attributes: attributes, location: location))
            case .resource(let resource):
                guard !groups.isEmpty else {
                    throw ConfigError(resource.location, "resource '\(resource.name)' comes before any group")
                }
                if let first = resourceOwner[resource.name] {
                    throw ConfigError(resource.location, "resource '\(resource.name)' is defined twice (first at \(first.location))")
                }
                resourceOwner[resource.name] = (groups[groups.count - 1].name, resource.location)
                groups[groups.count - 1].resources.append(resource)
            case .resourceDependency(let dependency):
                guard !groups.isEmpty else {
                    throw ConfigError(dependency.location, "'\(dependency.parent) requires \(dependency.child)' comes before any group")
                }
                groups[groups.count - 1].resourceDependencies.append(dependency)
            case .groupDependency(let dependency):
                guard !groups.isEmpty else {
                    throw ConfigError(dependency.location, "'requires group \(dependency.child)' comes before any group")
                }
                groups[groups.count - 1].groupDependencies.append(dependency)
            }
        }

        guard let cluster else {
            throw ConfigError(SourceLocation(file: file, line: 1, column: 1), "no cluster statement")
        }
        let config = ClusterConfig(
            name: cluster.name, attributes: cluster.attributes, systems: systems,
            groups: groups.map {
                ServiceGroup(name: $0.name, attributes: $0.attributes, resources: $0.resources,
                             resourceDependencies: $0.resourceDependencies,
                             groupDependencies: $0.groupDependencies, location: $0.location)
            },
            warnings: warnings, types: TypeLibrary.bundled.merging(types) { _, fromFile in fromFile })
        var found: [ConfigWarning] = []
        try check(config, resourceOwner: resourceOwner.mapValues(\.group), found: &found)
        guard !found.isEmpty else { return config }
        return ClusterConfig(name: config.name, attributes: config.attributes, systems: config.systems, groups: config.groups,
                             warnings: config.warnings + found, types: config.types)
    }

    /// Every semantic error of the file, in order, up to the cap.
    private func check(_ config: ClusterConfig, resourceOwner: [String: String], found warnings: inout [ConfigWarning]) throws(ConfigError) {
        var errors: [ConfigError] = []
        var warned: Set<String> = []
        errors += slips(in: config.attributes, of: .cluster, named: config.name)
        for system in config.systems { errors += slips(in: system.attributes, of: .system, named: system.name) }
        for group in config.groups { errors += slips(in: group.attributes, of: .group, named: group.name) }
        // A failover group nothing starts: VCS waits for an operator.
        for group in config.groups where !group.isParallel && group.autoStartList.isEmpty && !group.resources.isEmpty {
            warnings.append(ConfigWarning(location: group.location, reason: "group '\(group.name)': no AutoStartList, so VCS starts it nowhere until an operator does (hagrp -online); plan brings it online with given:"))
        }
        let systemNames = Set(config.systems.map(\.name))
        for group in config.groups {
            let listed = group.attribute("SystemList")
            for entry in group.systemList where !systemNames.contains(entry.system) {
                errors.append(ConfigError(listed?.location ?? group.location, "group '\(group.name)': SystemList names '\(entry.system)', which no system statement defines"))
            }
            let listedNames = Set(group.systemList.map(\.system))
            for name in group.autoStartList where !listedNames.contains(name) {
                errors.append(ConfigError(group.attribute("AutoStartList")?.location ?? group.location, "group '\(group.name)': AutoStartList names '\(name)', which is not in its SystemList"))
            }
            for resource in group.resources {
                guard config.types[resource.type] != nil else {
                    // Loaded, not refused: a generic resource whose operations succeed.
                    if warned.insert(resource.type).inserted {
                        warnings.append(ConfigWarning(location: resource.location, reason: "resource '\(resource.name)': unknown type '\(resource.type)': neither the included files nor haywire's library define it (include \(resource.type)Types.cf); modelled as a generic resource whose online, offline and monitor succeed", isGuess: true))
                    }
                    continue
                }
                errors += check(resource, types: config.types)
            }
            for dependency in group.resourceDependencies {
                for name in [dependency.parent, dependency.child] where group.resource(named: name) == nil {
                    if let other = resourceOwner[name] {
                        errors.append(ConfigError(dependency.location, "'\(dependency.parent) requires \(dependency.child)': '\(name)' belongs to group '\(other)'; a resource can only require one in its own group"))
                    } else {
                        errors.append(ConfigError(dependency.location, "'\(dependency.parent) requires \(dependency.child)': no resource '\(name)'"))
                    }
                }
            }
            for dependency in group.groupDependencies where config.group(named: dependency.child) == nil {
                errors.append(ConfigError(dependency.location, "group '\(group.name)' requires group '\(dependency.child)', which is not defined"))
            }
            if let cycle = ResourceOrder.cycle(in: group) {
                errors.append(ConfigError(group.resourceDependencies.first { $0.parent == cycle[0] }?.location ?? group.location,
                                          "resource dependency cycle: \(cycle.joined(separator: " -> "))"))
            }
        }
        if let cycle = groupCycle(in: config) {
            let location = config.group(named: cycle[0])?.groupDependencies.first { $0.child == cycle[1] }?.location
            errors.append(ConfigError(location ?? SourceLocation(file: file, line: 1, column: 1),
                                      "group dependency cycle: \(cycle.joined(separator: " -> "))"))
        }
        if let error = ConfigError.combining(errors) { throw error }
    }

    /// A cycle of `requires group` links, as a path that ends where it starts.
    private func groupCycle(in config: ClusterConfig) -> [String]? {
        var finished: Set<String> = []
        var path: [String] = []
        func visit(_ name: String) -> [String]? {
            if let at = path.firstIndex(of: name) { return Array(path[at...]) + [name] }
            guard !finished.contains(name), let group = config.group(named: name) else { return nil }
            path.append(name)
            for dependency in group.groupDependencies {
                if let cycle = visit(dependency.child) { return cycle }
            }
            path.removeLast()
            finished.insert(name)
            return nil
        }
        for group in config.groups {
            if let cycle = visit(group.name) { return cycle }
        }
        return nil
    }

    /// Attributes of a cluster, system or group block that are a slip of one
    /// VCS defines (`AutoStartlist`, `FailoverPolicy`, `UseFnce`): VCS refuses
    /// them, and read as written they would silently change what is simulated.
    /// A name far from every known one is let through: haywire's list of
    /// VCS's attributes is not complete.
    private func slips(in attributes: [Attribute], of block: BlockAttributes.Block, named name: String) -> [ConfigError] {
        let known = BlockAttributes.known[block] ?? []
        return attributes.compactMap { attribute in
            BlockAttributes.suggestion(for: attribute.name, among: known).map {
                ConfigError(attribute.location, "\(block.rawValue) '\(name)': unknown attribute '\(attribute.name)'; did you mean '\($0)'?")
            }
        }
    }

    /// The resource's type exists and declares each attribute it sets.
    private func check(_ resource: Resource, types: [String: TypeDefinition]) -> [ConfigError] {
        guard let type = types[resource.type] else { return [] }
        return resource.attributes.compactMap { attribute in
            guard type.attributes[attribute.name] == nil, TypeLibrary.common.attributes[attribute.name] == nil else { return nil }
            let names = Set(type.attributes.keys).union(TypeLibrary.common.attributes.keys)
            let hint = BlockAttributes.suggestion(for: attribute.name, among: names).map { "; did you mean '\($0)'?" } ?? ""
            return ConfigError(attribute.location, "resource '\(resource.name)': type \(resource.type) has no attribute '\(attribute.name)'\(hint)")
        }
    }
}

extension Statement {
    var location: SourceLocation? {
        switch self {
        case .include(_, let location), .cluster(_, _, let location), .group(_, _, let location):
            location
        case .typeDefinition(let type): type.location
        case .system(let system): system.location
        case .resource(let resource): resource.location
        case .resourceDependency(let dependency): dependency.location
        case .groupDependency(let dependency): dependency.location
        }
    }
}
