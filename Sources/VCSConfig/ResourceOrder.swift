/// Online and offline order of a group's resources.
public enum ResourceOrder {
    /// Children before parents; ties keep the order of the file.
    public static func onlineOrder(of group: ServiceGroup) -> [String] { group.onlineOrder }

    /// Parents before children.
    public static func offlineOrder(of group: ServiceGroup) -> [String] { group.offlineOrder }

    static func computeOnlineOrder(resources: [Resource], children: [String: [String]]) -> [String] {
        var done: Set<String> = []
        var order: [String] = []
        func visit(_ name: String) {
            guard done.insert(name).inserted else { return }
            for child in children[name] ?? [] { visit(child) }
            order.append(name)
        }
        for resource in resources { visit(resource.name) }
        return order
    }

    /// A dependency cycle as a path that starts and ends on the same resource.
    static func cycle(in group: ServiceGroup) -> [String]? {
        var state: [String: Bool] = [:]  // false: on the path, true: finished
        var path: [String] = []
        func visit(_ name: String) -> [String]? {
            if state[name] == true { return nil }
            if state[name] == false {
                return Array(path[path.firstIndex(of: name)!...]) + [name]
            }
            state[name] = false
            path.append(name)
            for child in group.children(of: name) {
                if let found = visit(child) { return found }
            }
            path.removeLast()
            state[name] = true
            return nil
        }
        for resource in group.resources {
            if let found = visit(resource.name) { return found }
        }
        return nil
    }
}
