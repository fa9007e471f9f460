import Foundation
import Primitives
import Testing

/// The one write-all loop every writer uses: everything arrives, in order, and a failed
/// write reports its errno.
@Suite struct WriteAllTests {
    @Test func everyByteArrives() throws {
        let path = NSTemporaryDirectory() + "writeall-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        try #require(fd >= 0)
        let payload = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let failure = payload.withUnsafeBytes { WriteAll.write(fd, $0) }
        close(fd)
        #expect(failure == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(payload))
    }

    @Test func aFailedWriteReportsItsErrno() {
        let bytes: [UInt8] = [1, 2, 3]
        #expect(bytes.withUnsafeBytes { WriteAll.write(-1, $0) } == EBADF)
        #expect([UInt8]().withUnsafeBytes { WriteAll.write(-1, $0) } == 0, "nothing to write is not an error")
    }
}
