import Foundation
import Testing
@testable import DiscloseKit

/// The read-once layer (issue 13.1): files are opened relative to a directory descriptor,
/// never through a link, only when regular, and read whole within a cap.
@Suite("Directory handle")
struct DirectoryHandleTests {
    static func scratch() throws -> String {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-dirhandle-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: p + "/data", withIntermediateDirectories: true)
        try Data("tag\n".utf8).write(to: URL(fileURLWithPath: p + "/bagit.txt"))
        try Data("payload".utf8).write(to: URL(fileURLWithPath: p + "/data/x.age"))
        return p
    }

    @Test("a symlinked tag file, a symlinked payload, a link as directory component, a FIFO and a directory are refused")
    func refusesLinksAndSpecialFiles() throws {
        let p = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: p) }
        try FileManager.default.createSymbolicLink(atPath: p + "/link.txt", withDestinationPath: p + "/bagit.txt")
        try FileManager.default.createSymbolicLink(atPath: p + "/data/y.age", withDestinationPath: p + "/data/x.age")
        try FileManager.default.createSymbolicLink(atPath: p + "/datalink", withDestinationPath: p + "/data")
        #expect(mkfifo(p + "/fifo", 0o600) == 0)
        let dir = try DirectoryHandle(path: p)
        #expect(try dir.read("bagit.txt", limit: 100) == Array("tag\n".utf8))
        #expect(try dir.read("data/x.age", limit: 100) == Array("payload".utf8))
        for (name, message) in [("link.txt", "symbolic link"), ("data/y.age", "symbolic link"), ("datalink/x.age", "symbolic link"),
                                ("fifo", "not a regular file"), ("data", "not a regular file"), ("../x", "not a plain relative path")] {
            #expect { _ = try dir.read(name, limit: 100) } throws: { ($0 as? InputError)?.message.contains(message) == true }
        }
        #expect(throws: InputError.self) { _ = try DirectoryHandle(path: p + "/datalink") }
        let entries = try dir.entries()
        #expect(entries.first { $0.name == "link.txt" }?.type == S_IFLNK)
        #expect(entries.first { $0.name == "data" }?.type == S_IFDIR)
    }

    @Test("the size cap holds, and FileBytes refuses what is not a regular file")
    func sizeCap() throws {
        let p = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: p) }
        let dir = try DirectoryHandle(path: p)
        #expect { _ = try dir.read("bagit.txt", limit: 3) } throws: { ($0 as? InputError)?.message.contains("larger than the 3-byte limit") == true }
        #expect(throws: InputError.self) { _ = try FileBytes.read(path: p + "/data", limit: 100) }
        #expect(try FileBytes.read(path: p + "/bagit.txt", limit: 4) == Array("tag\n".utf8))
    }
}
