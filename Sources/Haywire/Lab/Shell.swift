import Foundation

/// How haywire reaches a host to run commands on it.
public enum Shell: Sendable, Equatable, CustomStringConvertible {
    /// This machine.
    case local
    /// Inside a host container: all the namespaces of the process whose pid
    /// is in `pidFile`, or only network namespace `name` when there is none.
    case netns(name: String, pidFile: String)
    /// `ssh` with BatchMode, a connect timeout and a reused connection;
    /// `config` is an ssh_config file for this lab (`ssh -F`).
    case ssh(destination: String, port: Int?, config: String? = nil)

    /// `local`, `netns://NAME[?pidfile=PATH]`, `ssh://[user@]host[:port][?config=PATH]`.
    public static func parse(_ text: String) -> Shell? {
        if text == "local" { return .local }
        if text.hasPrefix("netns://") {
            let rest = text.dropFirst("netns://".count)
            let parts = rest.split(separator: "?", maxSplits: 1).map(String.init)
            guard let name = parts.first, !name.isEmpty, !name.contains("/") else { return nil }
            let labDir = ProcessInfo.processInfo.environment["HAYWIRE_LAB_DIR"] ?? "/var/tmp/haywire-lab"
            var pidFile = "\(labDir)/\(name)/init.pid"
            if parts.count == 2 {
                guard parts[1].hasPrefix("pidfile=") else { return nil }
                pidFile = String(parts[1].dropFirst("pidfile=".count))
            }
            return .netns(name: name, pidFile: pidFile)
        }
        if text.hasPrefix("ssh://") {
            let parts = text.dropFirst("ssh://".count).split(separator: "?", maxSplits: 1).map(String.init)
            guard let rest = parts.first, !rest.isEmpty, !rest.contains("/") else { return nil }
            var config: String?
            if parts.count == 2 {
                guard parts[1].hasPrefix("config=") else { return nil }
                config = String(parts[1].dropFirst("config=".count))
            }
            if let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]) {
                return .ssh(destination: String(rest[..<colon]), port: port, config: config)
            }
            return .ssh(destination: rest, port: nil, config: config)
        }
        return nil
    }

    public var description: String {
        switch self {
        case .local: "local"
        case .netns(let name, _): "netns://\(name)"
        case .ssh(let destination, let port, _): "ssh://\(destination)" + (port.map { ":\($0)" } ?? "")
        }
    }

    /// Runs `argv` on the host. Use absolute program paths: after nsenter or
    /// ssh the PATH is the host's.
    public func run(_ argv: [String], timeout: Duration = .seconds(10)) async throws -> CommandResult {
        try await Command.run(try wrap(argv), timeout: timeout)
    }

    func wrap(_ argv: [String]) throws -> [String] {
        switch self {
        case .local:
            return argv
        case .netns(let name, let pidFile):
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
               let pid = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                guard kill(pid_t(pid), 0) == 0 else { throw HarnessError("host \(name) is down (pid \(pid) in \(pidFile) is gone)") }
                return ["/usr/bin/nsenter", "--target", String(pid), "--net", "--mount", "--uts", "--pid", "--"] + argv
            }
            if FileManager.default.fileExists(atPath: "/run/netns/\(name)") {
                return ["/usr/sbin/ip", "netns", "exec", name] + argv
            }
            throw HarnessError("host \(name) is down: neither \(pidFile) nor /run/netns/\(name) exists")
        case .ssh(let destination, let port, let config):
            let control = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-ssh-%C").path
            var options = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=5",
                           "-o", "ControlMaster=auto", "-o", "ControlPath=\(control)", "-o", "ControlPersist=60"]
            if let port { options += ["-p", String(port)] }
            if let config { options = ["-F", config] + options }
            return ["/usr/bin/ssh"] + options + [destination, "--"] + argv.map(Self.quote)
        }
    }

    /// Single-quotes a word for the remote shell.
    static func quote(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:@,+".contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
