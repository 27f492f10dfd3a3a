import Foundation
import VCSConfig
@testable import Haywire

/// How much the property tests try: a fixed set of seeds and a few fresh
/// ones in CI; `ci/properties` asks for more and larger configurations
/// through the environment.
enum PropertyBudget {
    static let environment = ProcessInfo.processInfo.environment

    /// Seeds every run tries, regressions included.
    static let fixedSeeds: [UInt64] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]

    /// Fresh seeds drawn for this run (HAYWIRE_PROPERTY_FRESH, 3 unless set).
    static let freshSeeds: [UInt64] = {
        let count = Int(environment["HAYWIRE_PROPERTY_FRESH"] ?? "") ?? 3
        var random = SystemRandomNumberGenerator()
        return (0..<count).map { _ in random.next() % 1_000_000_000 }
    }()

    /// HAYWIRE_PROPERTY_SEEDS=4,12 runs exactly those seeds (to repeat a failure).
    static let seeds: [UInt64] = {
        if let listed = environment["HAYWIRE_PROPERTY_SEEDS"] {
            return listed.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        }
        // Large configurations take fresh seeds only: the fixed ones are CI's.
        return environment["HAYWIRE_PROPERTY_LARGE"] == "1" ? freshSeeds : fixedSeeds + freshSeeds
    }()

    /// Seeds the costlier properties run on (two runs per seed).
    static var fewSeeds: [UInt64] { Array(seeds.prefix(environment["HAYWIRE_PROPERTY_LARGE"] == "1" ? 2 : 4)) }

    /// Regressions/seed-N.cf: configurations a property once failed on.
    static let regressions: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".cf") }.sorted().map { folder.appendingPathComponent($0).path }
    }()

    /// Configuration sizes: small in CI, up to 32 x 256 with HAYWIRE_PROPERTY_LARGE=1.
    static var limits: ConfigGenerator.Limits {
        environment["HAYWIRE_PROPERTY_LARGE"] == "1"
            ? ConfigGenerator.Limits(systems: 2...32, groups: 1...256)
            : ConfigGenerator.Limits(systems: 2...6, groups: 1...12)
    }
}

/// A generated configuration planned into a suite, in a folder of its own.
struct PlannedConfig {
    let seed: UInt64
    let text: String
    let folder: URL
    /// Nil when the plan has no scenario (nothing in the config can be broken).
    let suite: Suite?

    init(seed: UInt64, text: String? = nil, limits: ConfigGenerator.Limits = PropertyBudget.limits) throws {
        self.seed = seed
        var generator = ConfigGenerator(seed: seed)
        let text = text ?? generator.config(limits)
        self.text = text
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-property-\(seed)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mainCf = folder.appendingPathComponent("main.cf").path
        try text.write(toFile: mainCf, atomically: true, encoding: .utf8)
        let planner = Planner(config: try ConfigLoader.load(path: mainCf), configReference: "main.cf")
        let suitePath = folder.appendingPathComponent("plan.yaml").path
        try planner.suite().write(toFile: suitePath, atomically: true, encoding: .utf8)
        suite = planner.scenarioCount == 0 ? nil : try SuiteLoader.load(path: suitePath)
    }

    /// A kept configuration, Regressions/seed-N.cf.
    init(regression file: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let seed = UInt64(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent.dropFirst("seed-".count)) ?? 0
        try self.init(seed: seed, text: text)
    }

    /// Keeps the configuration where a person can find it, and says where.
    func kept(_ why: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("haywire-property-seed-\(seed).cf").path
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return "seed \(seed): \(why) (config kept at \(path); plan in \(folder.path))"
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
