/// Statements of one file, in order; includes are resolved by the loader.
enum Statement {
    case include(path: String, location: SourceLocation)
    case cluster(name: String, attributes: [Attribute], location: SourceLocation)
    case system(SystemDefinition)
    case group(name: String, attributes: [Attribute], location: SourceLocation)
    case resource(Resource)
    case resourceDependency(ResourceDependency)
    case groupDependency(GroupDependency)
    /// A `type` block of types.cf.
    case typeDefinition(TypeDefinition)
}

/// Turns tokens into statements. Keywords are only keywords where a
/// statement starts, so a resource may be named `group` or `system`.
struct Parser {
    private let tokens: [Token]
    private var index = 0

    init(tokens: [Token]) { self.tokens = tokens }

    /// Every statement, or every syntax error (up to the cap): after an
    /// error, parsing resumes at the next word that starts a line at column
    /// 1, where main.cf's top-level statements stand.
    mutating func statements() throws(ConfigError) -> [Statement] {
        var result: [Statement] = []
        var errors: [ConfigError] = []
        while true {
            // VCS accepts a stray ';' between statements (`type T ( ... );`).
            while isSymbol(";") { index += 1 }
            guard current.kind != .end else { break }
            let start = index
            do throws(ConfigError) {
                result.append(try statement())
            } catch {
                errors.append(error)
                if errors.count >= ConfigError.limit { break }
                index = min(max(index, start + 1), tokens.count - 1)
                // A ')' or '}' at column 1 closes the broken block: skip it too.
                while current.kind != .end
                    && (current.location.column != 1 || isSymbol(")") || isSymbol("}")) { index += 1 }
            }
        }
        if let error = ConfigError.combining(errors) { throw error }
        return result
    }

    private var current: Token { tokens[index] }
    private var following: Token { tokens[min(index + 1, tokens.count - 1)] }

    private mutating func take() -> Token {
        defer { index = min(index + 1, tokens.count - 1) }
        return current
    }

    private mutating func statement() throws(ConfigError) -> Statement {
        let start = current
        guard start.kind == .word else { throw unexpected("a statement") }
        switch start.text {
        case "include":
            _ = take()
            let path = take()
            guard path.kind == .string || path.kind == .word else { throw ConfigError(path.location, "include needs a file name in quotes") }
            return .include(path: path.text, location: start.location)
        case "cluster", "system", "group":
            _ = take()
            let name = try name(for: start.text)
            let attributes = try attributeBlock()
            switch start.text {
            case "cluster": return .cluster(name: name, attributes: attributes, location: start.location)
            case "system": return .system(SystemDefinition(name: name, attributes: attributes, location: start.location))
            default: return .group(name: name, attributes: attributes, location: start.location)
            }
        case "type" where following.kind == .word:
            _ = take()
            let name = try name(for: "type")
            return .typeDefinition(try typeBody(name: name, location: start.location))
        case "requires" where following.text == "group":
            return try groupDependency()
        default:
            _ = take()
            if current.kind == .word, current.text == "requires" {
                _ = take()
                let child = try name(for: "requires")
                return .resourceDependency(ResourceDependency(parent: start.text, child: child, location: start.location))
            }
            let name = try name(for: "resource of type \(start.text)")
            let attributes = try attributeBlock()
            return .resource(Resource(type: start.text, name: name, attributes: attributes, location: start.location))
        }
    }

    private mutating func groupDependency() throws(ConfigError) -> Statement {
        let start = take()
        _ = take()
        let child = try name(for: "requires group")
        func keyword<T: RawRepresentable>(_ type: T.Type, _ what: String) throws(ConfigError) -> T where T.RawValue == String {
            let token = current
            guard token.kind == .word, let value = T(rawValue: token.text) else {
                throw ConfigError(token.location, "requires group \(child): expected \(what), found \(describe(token))")
            }
            index += 1
            return value
        }
        let category = try keyword(GroupDependency.Category.self, "online or offline")
        let locality = try keyword(GroupDependency.Locality.self, "local, global or remote")
        let strength = try keyword(GroupDependency.Strength.self, "soft, firm or hard")
        return .groupDependency(GroupDependency(
            child: child, category: category, locality: locality, strength: strength, location: start.location))
    }

    private mutating func name(for what: String) throws(ConfigError) -> String {
        let token = current
        guard token.kind == .word || token.kind == .string, !token.text.isEmpty else {
            throw ConfigError(token.location, "\(what): expected a name, found \(describe(token))")
        }
        index += 1
        return token.text
    }

    /// `( Attr = value  Attr @sys = value ... )`
    private mutating func attributeBlock() throws(ConfigError) -> [Attribute] {
        try expect("(")
        var attributes: [Attribute] = []
        while !isSymbol(")") {
            let name = current
            guard name.kind == .word else { throw unexpected("an attribute name or ')'") }
            index += 1
            var system: String?
            if isSymbol("@") {
                index += 1
                system = try self.name(for: "localized attribute \(name.text)")
            }
            let value: AttributeValue
            do throws(ConfigError) {
                try expect("=")
                value = try self.value()
            } catch where AttributeDeclaration.looksSecret(name.text) {
                // Never print a secret back, even a mistyped one.
                let text = current.kind == .end ? "" : current.text
                throw ConfigError(error.location, text.isEmpty ? error.reason
                                  : error.reason.replacingOccurrences(of: text, with: "<redacted>"))
            }
            attributes.append(Attribute(name: name.text, system: system, value: value, location: name.location))
            if isSymbol(";") { index += 1 }
        }
        index += 1
        return attributes
    }

    private mutating func value() throws(ConfigError) -> AttributeValue {
        if isSymbol("{") { return try braced() }
        let token = current
        guard token.kind == .word || token.kind == .string else { throw unexpected("a value") }
        index += 1
        return .scalar(token.text)
    }

    /// `{ a, b }` or `{ a = 0, b = 1 }`; commas may be left out. In an
    /// association a key may lack its value (`{ A, B = 2, C }`): it is kept
    /// empty, and SystemList reads it as the previous number + 1.
    private mutating func braced() throws(ConfigError) -> AttributeValue {
        let open = take()
        var entries: [AssociationEntry] = []
        var isAssociation = false
        while !isSymbol("}") {
            if current.kind == .end { throw ConfigError(open.location, "'{' is not closed") }
            let key = current
            guard key.kind == .word || key.kind == .string else { throw unexpected("a list item or '}'") }
            index += 1
            var value = ""
            if isSymbol("=") {
                index += 1
                guard current.kind == .word || current.kind == .string else { throw unexpected("a value after '='") }
                value = take().text
                isAssociation = true
            }
            entries.append(AssociationEntry(key: key.text, value: value))
            if isSymbol(",") { index += 1 }
        }
        index += 1
        return isAssociation ? .association(entries) : .list(entries.map(\.key))
    }

    /// `( [static] [temp] str|int|boolean|keylist|association Name[[]|{}] [= default] ... )`
    private mutating func typeBody(name: String, location: SourceLocation) throws(ConfigError) -> TypeDefinition {
        let open = current
        try expect("(")
        var attributes: [String: AttributeDeclaration] = [:]
        while !isSymbol(")") {
            if current.kind == .end { throw ConfigError(open.location, "type \(name): '(' is not closed") }
            // VCS accepts a ';' after a declaration (`str ResName;`).
            if isSymbol(";") {
                index += 1
                continue
            }
            let start = current
            var isStatic = false, isTemp = false
            while current.kind == .word, current.text == "static" || current.text == "temp" {
                if current.text == "static" { isStatic = true } else { isTemp = true }
                index += 1
            }
            let kindToken = current
            guard kindToken.kind == .word else { throw unexpected("an attribute type (str, i18nstr, int, boolean, keylist, association)") }
            var shape = AttributeDeclaration.Shape.scalar
            let kind: AttributeDeclaration.Kind
            switch kindToken.text {
            case "str", "i18nstr": kind = .string
            case "int": kind = .integer
            case "boolean": kind = .boolean
            case "keylist": (kind, shape) = (.string, .keylist)
            case "association": (kind, shape) = (.string, .association)
            default:
                throw ConfigError(kindToken.location, "type \(name): expected an attribute type (str, i18nstr, int, boolean, keylist, association), found '\(kindToken.text)'")
            }
            index += 1
            var attribute = try self.name(for: "type \(name) attribute")
            if attribute.hasSuffix("[]") {
                attribute.removeLast(2)
                shape = .vector
            } else if isSymbol("{"), following.kind == .symbol("}") {
                index += 2
                shape = .association
            }
            var defaultValue: AttributeValue?
            if isSymbol("=") {
                index += 1
                defaultValue = try value()
            }
            if let first = attributes[attribute] {
                throw ConfigError(start.location, "type \(name): attribute '\(attribute)' is declared twice (first at \(first.location))")
            }
            attributes[attribute] = AttributeDeclaration(
                name: attribute, kind: kind, shape: shape, isStatic: isStatic, isTemp: isTemp,
                defaultValue: defaultValue, location: start.location)
        }
        index += 1
        return TypeDefinition(name: name, attributes: attributes, location: location)
    }

    private func isSymbol(_ symbol: Character) -> Bool { current.kind == .symbol(symbol) }

    private mutating func expect(_ symbol: Character) throws(ConfigError) {
        guard isSymbol(symbol) else { throw unexpected("'\(symbol)'") }
        index += 1
    }

    private func unexpected(_ expected: String) -> ConfigError {
        ConfigError(current.location, "expected \(expected), found \(describe(current))")
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: "the end of the file"
        case .string: "\"\(token.text)\""
        case .symbol, .word: "'\(token.text)'"
        }
    }
}
