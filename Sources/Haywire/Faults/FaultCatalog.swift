/// What each fault kind does, for `haywire faults`: its form in a suite,
/// what the simulator does, what a real lab does, and what it needs there.
public struct FaultEntry: Sendable {
    public let kind: FaultKind
    public let form: String
    public let simulator: String
    public let lab: String
    public let needs: String
}

public enum FaultCatalog {
    public static let entries: [FaultEntry] = [
        FaultEntry(kind: .killGuest, form: "kill-guest: G", simulator: "G powered off where it runs",
                   lab: "virDomainDestroy through the host's libvirtd", needs: "G opted in (haywire doctor --mark)"),
        FaultEntry(kind: .crashGuest, form: "crash-guest: G", simulator: "a kernel panic: what runs inside G stops, qemu runs on",
                   lab: "virDomainInjectNMI", needs: "G booted with unknown_nmi_panic=1"),
        FaultEntry(kind: .pauseGuest, form: "pause-guest: G [for: D]", simulator: "G suspended; heal resumes",
                   lab: "virDomainSuspend; heal virDomainResume", needs: "G opted in"),
        FaultEntry(kind: .shutdownGuest, form: "shutdown-guest: G", simulator: "a graceful shutdown",
                   lab: "virDomainShutdown", needs: "ACPI in G"),
        FaultEntry(kind: .rebootGuest, form: "reboot-guest: G", simulator: "a reboot; qemu runs on, the cluster sees nothing",
                   lab: "virDomainReboot", needs: "G opted in"),
        FaultEntry(kind: .killHost, form: "kill-host: H", simulator: "H's power cut: its guests and cluster engine stop",
                   lab: "virDomainDestroy of a nested host on its outer hypervisor, else power: { cut } ; heal starts it",
                   needs: "outer: { libvirt, domain } or power: { cut, restore }"),
        FaultEntry(kind: .pauseHost, form: "pause-host: H [for: D]", simulator: "H freezes; thawed later, GAB halts it",
                   lab: "virDomainSuspend of the nested host on its outer hypervisor", needs: "outer: { libvirt, domain }"),
        FaultEntry(kind: .linkDown, form: "link-down: { host: H, link: L } | { guest: G, mac: M } | { nested: H, mac: M }",
                   simulator: "H's links (eth0, llt0, llt1) or every NIC of G go down",
                   lab: "ip link set L down in H's shell; <link state='down'/> on G's NIC or a nested host's NIC through libvirt",
                   needs: "H's shell; G opted in; outer: for nested"),
        FaultEntry(kind: .unmount, form: "unmount: { host: H, mount: /path }", simulator: "the mount vanishes under the cluster",
                   lab: "umount -l in H's shell; heal remounts unless the cluster has", needs: "H's shell"),
        FaultEntry(kind: .detachDisk, form: "detach-disk: { guest: G, target: vda } | { nested: H, target: vdb }",
                   simulator: "the storage inside G vanishes",
                   lab: "virDomainDetachDeviceFlags; heal attaches the saved disk", needs: "ACPI hot-unplug in G; outer: for nested"),
        FaultEntry(kind: .killProcess, form: "kill-process: { host: H | guest: G, process: P }",
                   simulator: "P killed where an agent runs it; had comes back through hashadow",
                   lab: "pkill -KILL -x P in H's shell, or inside G through its qemu guest agent",
                   needs: "H's shell; shell: guest-agent on G"),
        FaultEntry(kind: .partition, form: "partition: [[A], [B, C]]", simulator: "heartbeats cut between the sides",
                   lab: "refused: use link-down", needs: "the simulator"),
    ]

    /// The catalog as a table a terminal reads, one block per kind.
    public static func text() -> String {
        entries.map { entry in
            """
            \(entry.kind.rawValue)
              form       \(entry.form)
              simulator  \(entry.simulator)
              real lab   \(entry.lab)
              needs      \(entry.needs)
            """
        }.joined(separator: "\n\n") + "\n"
    }
}
