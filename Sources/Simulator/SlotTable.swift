/// A dictionary that remembers which (group, system) slots were written, so
/// the cluster state can be brought up to date by recomputing only those.
struct SlotTable<Key: Hashable & Slotted & Sendable, Value: Equatable & Sendable>: Sendable {
    private var storage: [Key: Value] = [:]
    private var dirty: Set<GroupOnSystem> = []

    subscript(key: Key) -> Value? {
        get { storage[key] }
        set {
            guard storage[key] != newValue else { return }
            storage[key] = newValue
            dirty.insert(key.slot)
        }
    }

    subscript(key: Key, default value: Value) -> Value {
        get { storage[key] ?? value }
        set { self[key] = newValue }
    }

    /// A snapshot of the keys, safe to iterate while writing.
    var keys: [Key] { Array(storage.keys) }

    var hasDirty: Bool { !dirty.isEmpty }

    mutating func takeDirty() -> Set<GroupOnSystem> {
        defer { dirty.removeAll(keepingCapacity: true) }
        return dirty
    }
}

protocol Slotted {
    var slot: GroupOnSystem { get }
}

extension ResourceKey: Slotted {
    var slot: GroupOnSystem { GroupOnSystem(group: group, system: system) }
}

extension GroupOnSystem: Slotted {
    var slot: GroupOnSystem { self }
}
