import Testing
@testable import DiscloseKit

/// `PathName` splits every path a user may type the POSIX way, without Foundation's
/// path methods (one of which traps on a one-character relative path).
@Suite struct PathNameTests {
    @Test(arguments: [
        ("p", ".", "p"), ("./p", ".", "p"), ("p/", ".", "p"), ("/p", "/", "p"), ("../p", "..", "p"),
        ("a//b//", "a", "b"), ("/a/b", "/a", "b"), ("//p", "/", "p"), ("/", "/", ""), ("", ".", ""),
        ("p\u{FFFD}", ".", "p\u{FFFD}"), ("a/.", "a", "."),
    ])
    func splits(path: String, directory: String, name: String) {
        #expect(PathName.split(path) == (directory, name))
    }

    @Test func joinsWithoutDoublingTheRootSlash() {
        #expect(PathName.join("/", "p") == "/p")
        #expect(PathName.join(".", "p") == "./p")
        #expect(PathName.sibling(of: "p", named: ".p.tmp") == "./.p.tmp")
        #expect(PathName.sibling(of: "/p", named: "q") == "/q")
    }

    @Test func veryLongPathsSplitWithoutTrapping() {
        let long = String(repeating: "d/", count: 3000) + "p"
        #expect(PathName.split(long).name == "p")
        #expect(PathName.split(long).directory.utf8.count == 5999)
    }

    @Test func aPathThatNamesNoFileIsAnInputErrorForWriters() throws {
        for bad in ["", "p/", "/", "a/..", "."] {
            #expect(throws: InputError.self) { try AtomicFile.fileName(bad) }
        }
        #expect(try AtomicFile.fileName("p") == (".", "p"))
    }
}
