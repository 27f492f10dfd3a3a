import Foundation

/// The attributes VCS defines for main.cf's cluster, system and group
/// blocks (data: Resources/vcs-attributes.txt, with its provenance), and
/// the did-you-mean that catches a typo in one.
enum BlockAttributes {
    enum Block: String { case cluster, system, group }

    static let known: [Block: Set<String>] = {
        var known: [Block: Set<String>] = [:]
        for line in Resources.text("vcs-attributes.txt").split(separator: "\n") where !line.hasPrefix("#") {
            let words = line.split(separator: " ", maxSplits: 2)
            guard words.count >= 2, let block = Block(rawValue: String(words[0])) else { continue }
            known[block, default: []].insert(String(words[1]))
        }
        return known
    }()

    /// The known name `name` is a slip of, if it is one: the same but for
    /// case, or one or two letters off (one for short names).
    static func suggestion(for name: String, among names: Set<String>) -> String? {
        guard !names.contains(name) else { return nil }
        let lower = name.lowercased()
        if let same = names.first(where: { $0.lowercased() == lower }) { return same }
        let allowed = name.count <= 5 ? 1 : 2
        return names.map { ($0, editDistance(lower, $0.lowercased())) }
            .filter { $0.1 <= allowed }
            .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// Edits (insert, delete, substitute, swap two neighbours) from a to b.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1) }
            }
        }
        return rows[a.count][b.count]
    }
}

/// Files shipped with VCSConfig (Sources/VCSConfig/Resources).
enum Resources {
    static func text(_ path: String) -> String {
        guard let folder = Bundle.module.url(forResource: "Resources", withExtension: nil),
              let text = try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8) else {
            preconditionFailure("haywire's resource \(path) is missing from its bundle")
        }
        return text
    }
}

/// The did-you-mean of every message that names an unknown name.
public enum Spelling {
    /// The known name `name` is a slip of: the same but for case, or one
    /// or two letters off.
    public static func suggestion(for name: String, among names: Set<String>) -> String? {
        BlockAttributes.suggestion(for: name, among: names)
    }
}
