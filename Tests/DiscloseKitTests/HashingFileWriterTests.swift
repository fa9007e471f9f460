import Foundation
import Sodium
import Testing
@testable import DiscloseKit

/// The bundle file writer: what reaches the disk, written and flushed on its own thread
/// while the SHA-512 runs on another, is exactly what was written, and the SHA-512 it
/// reports is that of the file.
@Suite("Hashing file writer")
struct HashingFileWriterTests {
    @Test("odd pieces over several ring buffers and a short tail: the file and its SHA-512 are exact")
    func fileAndDigestAreExact() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-writer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (n, length) in [0, 1, 4096, (512 << 10) - 1, 512 << 10, 3 << 20 + 123].enumerated() {
            let data = PipelinedDigestTests.bytes(length, seed: UInt64(n) + 11)
            let path = dir + "/f\(n)"
            let writer = try HashingFileWriter(path: path, mode: 0o600)
            try PipelinedDigestTests.feed(data, pieces: [200, 70_001, 1 << 20]) { try writer.write($0) }
            let digest = try writer.finish()
            #expect(writer.bytesWritten == length)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == data, "length \(length)")
            #expect(digest == Hex.encode(SHA512.hash(data)), "length \(length)")
        }
    }

    @Test("an existing file is never opened for writing")
    func neverOverwrites() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-writer-\(UUID().uuidString)").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        #expect(throws: InputError.self) { _ = try HashingFileWriter(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep")
    }
}
