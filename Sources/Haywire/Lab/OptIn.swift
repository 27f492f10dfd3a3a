import Libvirt

/// On a real lab a guest opts in to haywire's faults with an element in
/// haywire's namespace in its domain `<metadata>`:
///
///     <metadata><haywire:allowed xmlns:haywire="https://haywire.invalid/ns/opt-in/1"/></metadata>
///
/// `haywire doctor --mark` adds it through libvirt; a guest the cluster
/// defines from a file (Pacemaker's VirtualDomain) needs it in that file.
/// Guest faults refuse a guest without it, whatever the suite says.
public enum OptIn {
    public static let uri = "https://haywire.invalid/ns/opt-in/1"
    public static let key = "haywire"
    public static let element = "<allowed/>"

    public static func isMarked(_ domain: Domain) async throws -> Bool {
        try await domain.metadata(uri: uri) != nil
    }

    public static func mark(_ domain: Domain) async throws {
        try await domain.setMetadata(element, key: key, uri: uri)
    }

    static func refusal(_ guest: String, on host: String) -> HarnessError {
        HarnessError("refused: guest \(guest) on \(host) has not opted in to haywire's faults (no haywire:allowed in its <metadata>; haywire doctor --mark adds it)")
    }
}
