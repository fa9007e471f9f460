import Foundation

/// Writing a whole buffer to a file descriptor: the one loop every writer in the package
/// uses, so that short writes and interrupted calls are handled the same way everywhere.
public enum WriteAll {
    /// Writes every byte of `bytes` to `fd`, retrying short writes and `EINTR`. Returns 0
    /// when everything was written, or the `errno` of the write that failed (the caller
    /// names the file and says what to do).
    public static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let base = bytes.baseAddress else { return 0 }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
    }
}
