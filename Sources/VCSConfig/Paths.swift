/// Path arithmetic on strings, relative paths kept relative. Foundation's
/// `NSString.deletingLastPathComponent` traps on a one-letter name (`r`,
/// `a`) in Swift 6.3.1 on Linux, so it is not used.
public enum Paths {
    /// The folder part of `path`: `""` for a bare name, `/` for a file at
    /// the root; trailing slashes are ignored, as a shell would.
    public static func folder(of path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        var folder = path[..<slash]
        while folder.count > 1, folder.hasSuffix("/") { folder = folder.dropLast() }
        return String(folder)
    }
}
