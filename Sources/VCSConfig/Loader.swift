import Foundation

/// Reads a main.cf with its includes into a `ClusterConfig`.
public enum ConfigLoader {
    /// Loads `path`; errors carry `file:line:column`, with file as given.
    public static func load(path: String) throws(ConfigError) -> ClusterConfig {
        var files: [String] = []
        return try load(path: path, files: &files)
    }

    /// Loads `path` and appends every file it read (itself and its
    /// includes) to `files`.
    /// With `strict`, what haywire would guess at (an unknown type) is an error.
    public static func load(path: String, files: inout [String], strict: Bool = false) throws(ConfigError) -> ClusterConfig {
        var statements: [Statement] = []
        var warnings: [ConfigWarning] = []
        try read(path: path, includedFrom: nil, stack: [], into: &statements, warnings: &warnings, files: &files)
        let config = try Assembler(warnings: warnings, file: path).assemble(statements)
        if strict, let error = ConfigError.combining(config.warnings.filter(\.isGuess).map { ConfigError($0.location, $0.reason + " (--strict)") }) {
            throw error
        }
        return config
    }

    public static func load(path: String, strict: Bool) throws(ConfigError) -> ClusterConfig {
        var files: [String] = []
        return try load(path: path, files: &files, strict: strict)
    }

    /// Parses text that has no includes to resolve, e.g. in tests.
    public static func parse(text: String, file: String = "main.cf") throws(ConfigError) -> ClusterConfig {
        var lexer = Lexer(text: text, file: file)
        var parser = Parser(tokens: try lexer.tokens())
        let statements = try parser.statements()
        if case .include(_, let location)? = statements.first(where: { if case .include = $0 { true } else { false } }) {
            throw ConfigError(location, "include needs a file on disk: use ConfigLoader.load(path:)")
        }
        return try Assembler(warnings: [], file: file).assemble(statements)
    }

    private static func read(
        path: String, includedFrom: SourceLocation?, stack: [String],
        into statements: inout [Statement], warnings: inout [ConfigWarning], files: inout [String]
    ) throws(ConfigError) {
        let canonical = URL(fileURLWithPath: path).standardizedFileURL.path
        if stack.contains(canonical) {
            throw ConfigError(includedFrom ?? SourceLocation(file: path, line: 1, column: 1), "include cycle: \(path) includes itself")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read \(path)" : "no such file: \(path)"
            throw ConfigError(includedFrom ?? SourceLocation(file: path, line: 1, column: 1), reason)
        }
        if !files.contains(path) { files.append(path) }
        var lexer = Lexer(text: text, file: path)
        var parser = Parser(tokens: try lexer.tokens())
        for statement in try parser.statements() {
            guard case .include(let name, let location) = statement else {
                statements.append(statement)
                continue
            }
            let directory = Paths.folder(of: path)
            let included = name.hasPrefix("/") ? name : (directory.isEmpty ? name : "\(directory)/\(name)")
            // A main.cf often travels without the type files it includes
            // (types.cf, OracleTypes.cf, CSSD.cf): the library stands in.
            if !FileManager.default.fileExists(atPath: included) {
                // types.cf is the bundled agents', which the library holds by
                // design; another file's absence is a guess `--strict` refuses.
                warnings.append(ConfigWarning(
                    location: location,
                    reason: "\(name) not found; using haywire's built-in definitions of the agents it knows",
                    isGuess: (name as NSString).lastPathComponent != "types.cf"))
                continue
            }
            try read(path: included, includedFrom: location, stack: stack + [canonical], into: &statements, warnings: &warnings, files: &files)
        }
    }
}
