import CLibvirt
import Foundation

extension Domain {
    /// Sends one JSON command to the qemu guest agent inside the domain
    /// (`virsh qemu-agent-command`) and returns its JSON reply. The agent
    /// gets `seconds` to answer; a guest without a running agent fails with
    /// VIR_ERR_AGENT_UNRESPONSIVE (86) or VIR_ERR_ARGUMENT_UNSUPPORTED.
    public func agentCommand(_ json: String, seconds: Int32) async throws(LibvirtError) -> String {
        try await connection.run("virDomainQemuAgentCommand") { () throws(LibvirtError) -> String in
            guard let reply = virDomainQemuAgentCommand(self.pointer, json, seconds, 0) else {
                throw LibvirtError.takeLast(from: "virDomainQemuAgentCommand")
            }
            defer { free(reply) }
            return String(cString: reply)
        }
    }
}
