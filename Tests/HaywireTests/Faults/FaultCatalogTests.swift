import Testing
@testable import Haywire

@Suite struct FaultCatalogTests {
    /// Every kind a suite may name is listed once, and every kind either
    /// backend makes is among them.
    @Test func theCatalogListsEveryKindOnce() {
        let listed = FaultCatalog.entries.map(\.kind)
        #expect(listed == FaultKind.builtIn)
        #expect(Set(SimulatedInjector.standard.kinds).isSubset(of: Set(listed)))
        #expect(Set(LabInjector.standard.kinds).isSubset(of: Set(listed)))
        #expect(FaultCatalog.entries.allSatisfy { $0.form.hasPrefix($0.kind.rawValue + ":") })
    }
}
