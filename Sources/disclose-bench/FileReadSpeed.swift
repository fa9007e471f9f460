import Foundation

/// How fast this machine reads a file that is in the page cache, with the same
/// `read(2)` into a 4 MiB buffer that the engine uses: the ceiling of any scan of it,
/// and a yardstick for comparing figures taken on different machines.
enum FileReadSpeed {
    /// Bytes per second reading `path` to the end: the best of `runs` passes.
    static func bytesPerSecond(path: String, runs: Int = 3) -> Double {
        let chunk = 4 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 4096)
        defer { buffer.deallocate() }
        var best = 0.0
        for _ in 0..<runs {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return 0 }
            defer { close(fd) }
            var total = 0
            let start = DispatchTime.now().uptimeNanoseconds
            while true {
                let n = read(fd, buffer, chunk)
                if n <= 0 { break }
                total += n
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = max(best, Double(total) / seconds)
        }
        return best
    }
}
