import ArgumentParser
import Haywire

struct FaultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faults",
        abstract: "List every fault kind: its form, what it does on the simulator and on a real lab, and what it needs.")

    func run() throws {
        print(FaultCatalog.text(), terminator: "")
    }
}
