import ArgumentParser

struct CompletionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Print haywire's shell completion script.",
        discussion: """
            bash: haywire completions bash > /etc/bash_completion.d/haywire
            zsh:  haywire completions zsh > "${fpath[1]}/_haywire"
            fish: haywire completions fish > ~/.config/fish/completions/haywire.fish
            """)

    @Argument(help: "bash, zsh or fish.")
    var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else {
            throw ValidationError("unknown shell '\(shell)' (bash, zsh or fish)")
        }
        print(HaywireCommand.completionScript(for: kind))
    }
}
