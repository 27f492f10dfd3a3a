import Testing
import VCSConfig

@Suite struct PathsTests {
    @Test(arguments: [
        ("r", ""), ("a", ""), ("main.cf", ""), ("sub/e.cf", "sub"), ("sub/", ""), ("/x", "/"), ("/", "/"),
        ("a//b", "a"), ("/srv/lab/main.cf", "/srv/lab"), ("./r", "."),
    ])
    func folderOfAPathIsWhatIsLeftOfItsLastSlash(_ path: String, _ folder: String) {
        #expect(Paths.folder(of: path) == folder)
    }
}
