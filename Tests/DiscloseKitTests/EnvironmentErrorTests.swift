import Foundation
import Primitives
import Testing
@testable import DiscloseKit

/// Failures of the machine (disk full, I/O error) are `EnvironmentError`s naming the file
/// and the OS reason with a machine-side hint; failures about the input stay `InputError`s.
@Suite("Environment errors")
struct EnvironmentErrorTests {
    @Test("errno values of the machine are environment errors; those of the input are not")
    func classification() {
        let machine: [(Int32, EnvironmentError.Kind)] = [(ENOSPC, .noSpace), (EDQUOT, .quota), (EFBIG, .fileTooLarge), (EIO, .ioError),
                                                        (ENOMEM, .outOfMemory), (EMFILE, .tooManyOpenFiles), (ENFILE, .tooManyOpenFiles),
                                                        (EROFS, .readOnlyVolume)]
        for (code, kind) in machine {
            #expect(EnvironmentError(errno: code, file: "f", operation: "write failed")?.kind == kind)
        }
        for code in [ENOENT, EACCES, EEXIST, ENOTDIR, EISDIR] {
            #expect(EnvironmentError(errno: code, file: "f", operation: "cannot create") == nil)
            #expect(EnvironmentError.failure(errno: code, file: "f", operation: "cannot create") is InputError)
        }
        let e = EnvironmentError(errno: ENOSPC, file: "out/plan.json", operation: "write failed")!
        #expect(e.description == "out/plan.json: write failed: No space left on device")
        #expect(e.hint.contains("free space on the volume of out/plan.json"))
    }

    @Test("an atomic write to a full file system: EnvironmentError, nothing at the path, no temporary file (root: tmpfs)")
    func fullFileSystem() throws {
        guard getuid() == 0 else { return }
        let dir = NSTemporaryDirectory() + "disclose-full-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=16k", "tmpfs", dir]
        try mount.run(); mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "tmpfs mount")
        defer {
            let u = Process(); u.executableURL = URL(fileURLWithPath: "/bin/umount"); u.arguments = [dir]
            try? u.run(); u.waitUntilExit()
        }
        let path = dir + "/plan.json"
        do {
            try AtomicFile.write([UInt8](repeating: 0x41, count: 64 << 10), to: path)
            Issue.record("a 64 KiB write into a 16 KiB tmpfs succeeded")
        } catch let e as EnvironmentError {
            #expect(e.kind == .noSpace)
            #expect(e.file == path)
            #expect(e.description.contains("No space left on device"))
            #expect(e.hint.hasPrefix("free space on the volume of \(path)"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty, "no partial file, no temporary file")
    }
}
