/// The resource types haywire knows without a types.cf, parsed once from
/// their types.cf text by the same parser as users' files.
enum TypeLibrary {
    static let bundled: [String: TypeDefinition] = parse(BundledTypes.text, file: "<haywire bundled types>")
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
