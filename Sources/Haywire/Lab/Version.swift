/// haywire's version, printed by `haywire --version` and recorded in every
/// run record, JUnit file and HTML report.
public enum HaywireVersion {
    public static let current = "0.10.0"
}
