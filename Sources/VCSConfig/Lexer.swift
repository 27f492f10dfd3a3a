/// One token of main.cf / types.cf.
struct Token: Equatable {
    enum Kind: Equatable {
        /// A bare word: a name, a keyword, a number or an unquoted value.
        case word
        /// A double-quoted string, unescaped.
        case string
        case symbol(Character)
        case end
    }

    let kind: Kind
    let text: String
    let location: SourceLocation
}

/// Splits a configuration into tokens. Accepts `//` and `/* */` comments
/// (hacf writes `//` ones), and a line whose first character is `#`, as
/// hand-edited copies in notes and field bugs have.
struct Lexer {
    private static let symbols: Set<Character> = ["{", "}", "(", ")", "=", ",", "@", ";"]

    private let scalars: [Character]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1

    init(text: String, file: String) {
        self.scalars = Array(text)
        self.file = file
    }

    mutating func tokens() throws(ConfigError) -> [Token] {
        var result: [Token] = []
        while true {
            let token = try next()
            result.append(token)
            if token.kind == .end { return result }
        }
    }

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func next() throws(ConfigError) -> Token {
        try skipSpaceAndComments()
        let start = here
        guard let character = peek() else { return Token(kind: .end, text: "", location: start) }
        if Self.symbols.contains(character) {
            advance()
            return Token(kind: .symbol(character), text: String(character), location: start)
        }
        if character == "\"" { return try quoted(from: start) }
        var text = ""
        while let c = peek(), !c.isWhitespace, !Self.symbols.contains(c), c != "\"" {
            if c == "/", peek(1) == "/" || peek(1) == "*" { break }
            text.append(c)
            advance()
        }
        return Token(kind: .word, text: text, location: start)
    }

    private mutating func quoted(from start: SourceLocation) throws(ConfigError) -> Token {
        advance()
        var text = ""
        while let c = peek() {
            switch c {
            case "\"":
                advance()
                return Token(kind: .string, text: text, location: start)
            case "\\":
                advance()
                guard let escaped = peek() else { break }
                text.append(escaped)
                advance()
            case "\n":
                throw ConfigError(start, "string is not closed before the end of the line")
            default:
                text.append(c)
                advance()
            }
        }
        throw ConfigError(start, "string is not closed before the end of the file")
    }

    /// Only blanks stand before the current character on its line.
    private var startsLine: Bool {
        var at = index - 1
        while at >= 0, scalars[at] != "\n" {
            guard scalars[at] == " " || scalars[at] == "\t" else { return false }
            at -= 1
        }
        return true
    }

    private mutating func skipSpaceAndComments() throws(ConfigError) {
        while let c = peek() {
            if c.isWhitespace {
                advance()
            } else if (c == "/" && peek(1) == "/") || (c == "#" && startsLine) {
                while let d = peek(), d != "\n" { advance() }
            } else if c == "/", peek(1) == "*" {
                let start = here
                advance()
                advance()
                while peek() != nil, !(peek() == "*" && peek(1) == "/") { advance() }
                guard peek() != nil else { throw ConfigError(start, "comment is not closed before the end of the file") }
                advance()
                advance()
            } else {
                return
            }
        }
    }
}
