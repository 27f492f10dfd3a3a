import Foundation
@testable import Haywire

/// The repository's Suites folder.
let suitesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Suites").standardizedFileURL.path

/// A folder holding `files`, with the shipped PM-PM main.cf as `pm-pm.main.cf`.
func fixtureFolder(_ files: [String: String]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-suite-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: "\(suitesFolder)/configs/pm-pm.main.cf", toPath: dir.appendingPathComponent("pm-pm.main.cf").path)
    for (name, text) in files {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return dir.path
}

/// A suite on the PM-PM config whose scenarios are `scenarios` (YAML lines).
func suiteText(_ scenarios: String, guests: String = "    vm1: { on: [hosta, hostb] }") -> String {
    """
    suite: fixture
    cluster:
      manager: simulated
      config: pm-pm.main.cf
    lab:
      hosts:
        hosta: {}
        hostb: {}
      guests:
    \(guests)
    scenarios:
    \(scenarios)
    """
}

func loadFixture(_ scenarios: String) throws -> Suite {
    let dir = try fixtureFolder(["suite.yaml": suiteText(scenarios)])
    return try SuiteLoader.load(path: "\(dir)/suite.yaml")
}
