import Foundation
import Testing

/// The folders of Sources/Haywire form one-way layers: each uses only the
/// layers below it. Read from the sources: a folder uses another when its
/// code names something declared at the top level there.
@Suite struct LayerTests {
    /// Lowest first; folders on one rank may not use each other.
    static let ranks: [String: Int] = ["Lab": 0, "Faults": 1, "Clusters": 1, "Suite": 2, "Run": 3, "Reports": 4, "Compare": 5]

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Haywire").standardized

    @Test func everyFolderUsesOnlyTheLayersBelowIt() throws {
        let files = try Self.swiftFiles()
        let folders = Set(files.map(\.folder))
        #expect(folders.subtracting(Self.ranks.keys).isEmpty, "a folder without a layer: \(folders.subtracting(Self.ranks.keys).sorted())")
        var declaredIn: [String: Set<String>] = [:]
        for file in files {
            for name in SwiftSource.topLevelNames(in: file.text) { declaredIn[name, default: []].insert(file.folder) }
        }
        var violations: [String] = []
        for file in files {
            guard let rank = Self.ranks[file.folder] else { continue }
            for name in SwiftSource.identifiers(in: file.text) {
                guard let owners = declaredIn[name], !owners.contains(file.folder) else { continue }
                for owner in owners.sorted() where (Self.ranks[owner] ?? .max) >= rank {
                    violations.append("\(file.folder)/\(file.name) uses \(name) from \(owner)")
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.sorted().joined(separator: "\n"))")
        // The check sees the sources: a layer that uses another is found.
        #expect(declaredIn["HarnessError"] == ["Lab"] && declaredIn["Runner"] == ["Run"])
    }

    /// The scan itself: code inside an interpolation counts, comments and
    /// the rest of a string do not.
    @Test func identifiersAreReadFromCodeOnly() {
        let text = #"""
            let a = Runner() // Judge
            /* Targets */ let b = "Suite \(Planner.make()) Journal"
            let c = """
                Backend \(Probe.x)
                """
            """#
        #expect(SwiftSource.identifiers(in: text).isSuperset(of: ["Runner", "Planner", "make", "Probe"]))
        #expect(SwiftSource.identifiers(in: text).isDisjoint(with: ["Judge", "Targets", "Suite", "Journal", "Backend"]))
        #expect(SwiftSource.topLevelNames(in: "public struct A {\n    struct B {}\n}\nfunc c() {}\nextension D {}\n") == ["A", "c"])
    }

    private struct File {
        let folder: String
        let name: String
        let text: String
    }

    private static func swiftFiles() throws -> [File] {
        let manager = FileManager.default
        return try manager.contentsOfDirectory(atPath: sources.path).sorted().flatMap { folder -> [File] in
            let path = sources.appendingPathComponent(folder).path
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [] }
            return try manager.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".swift") }.sorted().map {
                File(folder: folder, name: $0, text: try String(contentsOfFile: "\(path)/\($0)", encoding: .utf8))
            }
        }
    }
}

/// Just enough of Swift's lexical rules to tell code from comments and strings.
enum SwiftSource {
    /// Names declared at the top level (no indentation) of a file.
    static func topLevelNames(in text: String) -> Set<String> {
        let keywords: Set<String> = ["struct", "enum", "class", "actor", "protocol", "typealias", "func", "let", "var"]
        let modifiers: Set<String> = ["public", "internal", "package", "final", "indirect", "nonisolated", "private", "fileprivate"]
        var names: Set<String> = []
        for line in text.split(separator: "\n") where line.first?.isLetter == true || line.first == "@" {
            let words = line.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" && $0 != "@" }).map(String.init)
            var index = 0
            while index < words.count, words[index].hasPrefix("@") || modifiers.contains(words[index]) { index += 1 }
            // `private` at the top level is still visible to the whole file only.
            if line.hasPrefix("private ") || line.hasPrefix("fileprivate ") { continue }
            if index + 1 < words.count, keywords.contains(words[index]) { names.insert(words[index + 1]) }
        }
        return names
    }

    /// Identifiers in the code of `text`: not in comments, nor in string
    /// literals outside their interpolations.
    static func identifiers(in text: String) -> Set<String> {
        var code = ""
        var chars = Array(text)[...]
        enum Mode { case code, string(multiline: Bool, raw: Bool) }
        var modes: [Mode] = [.code]
        var parens: [Int] = []  // open parentheses of each interpolation
        while let char = chars.first {
            switch modes.last! {
            case .code:
                if chars.starts(with: "//") {
                    chars = chars.drop { $0 != "\n" }
                } else if chars.starts(with: "/*") {
                    if let end = String(chars).range(of: "*/") { chars = chars.dropFirst(String(chars)[..<end.upperBound].count) } else { chars = [] }
                } else if chars.starts(with: "#\"\"\"") || chars.starts(with: "#\"") {
                    let multiline = chars.starts(with: "#\"\"\"")
                    chars = chars.dropFirst(multiline ? 4 : 2)
                    modes.append(.string(multiline: multiline, raw: true))
                } else if chars.starts(with: "\"\"\"") || char == "\"" {
                    let multiline = chars.starts(with: "\"\"\"")
                    chars = chars.dropFirst(multiline ? 3 : 1)
                    modes.append(.string(multiline: multiline, raw: false))
                    code.append(" ")
                } else {
                    if char == "(", !parens.isEmpty { parens[parens.count - 1] += 1 }
                    if char == ")", !parens.isEmpty {
                        parens[parens.count - 1] -= 1
                        if parens.last == 0 {
                            parens.removeLast()
                            modes.removeLast()
                            chars = chars.dropFirst()
                            code.append(" ")
                            continue
                        }
                    }
                    code.append(char)
                    chars = chars.dropFirst()
                }
            case .string(let multiline, let raw):
                let close = multiline ? (raw ? "\"\"\"#" : "\"\"\"") : (raw ? "\"#" : "\"")
                if chars.starts(with: close) {
                    chars = chars.dropFirst(close.count)
                    modes.removeLast()
                } else if !raw, chars.starts(with: "\\(") {
                    chars = chars.dropFirst(2)
                    modes.append(.code)
                    parens.append(1)
                    code.append(" ")
                } else if !raw, char == "\\" {
                    chars = chars.dropFirst(2)
                } else {
                    chars = chars.dropFirst()
                }
            }
        }
        var names: Set<String> = []
        var word = ""
        for char in code + " " {
            if char.isLetter || char.isNumber || char == "_" {
                word.append(char)
            } else {
                if let first = word.first, first.isLetter || first == "_" { names.insert(word) }
                word = ""
            }
        }
        return names
    }
}
