/// The resource types haywire knows without a types file, parsed once by
/// the same parser as users' files from its own types files (data, with
/// their provenance: Resources/types): the bundled agents of Linux, CVM and
/// CFS, and the common enterprise agents. A user's file wins over them.
enum TypeLibrary {
    static let files = ["bundled.cf", "cvm-cfs.cf", "enterprise.cf"]

    static let bundled: [String: TypeDefinition] = files.reduce(into: [:]) { types, file in
        types.merge(parse(Resources.text("types/\(file)"), file: "<haywire \(file)>")) { first, _ in first }
    }
    static let common: TypeDefinition = parse(CommonResourceAttributes.text, file: "<haywire common attributes>")["_Common"]!

    private static func parse(_ text: String, file: String) -> [String: TypeDefinition] {
        do {
            var lexer = Lexer(text: text, file: file)
            var parser = Parser(tokens: try lexer.tokens())
            var types: [String: TypeDefinition] = [:]
            for case .typeDefinition(let type) in try parser.statements() { types[type.name] = type }
            return types
        } catch {
            preconditionFailure("haywire's own type definitions do not parse: \(error)")
        }
    }
}
