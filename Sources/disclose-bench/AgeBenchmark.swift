import Age
import Foundation
import Sodium

/// `disclose-bench age [--size-mb N] [--runs N]`: throughput of our age encryption and decryption
/// beside the stock `age` tool on the same input, plus BLAKE2b-512 and SHA-512 hashing
/// (the other per-byte costs of a bundle), with peak RSS.
///
/// The plaintext is a 16 MiB random block repeated to the requested size (1 GiB by
/// default), generated in memory. Stock `age` needs a file, so the same bytes are also
/// written under /tmp for the duration of the run and removed afterwards.
enum AgeBenchmark {
    struct Row { var name: String; var bytes: Int; var seconds: Double; var peakRSSKiB: Int? = nil; var cpuSeconds: Double? = nil }

    static func run(_ arguments: [String]) throws {
        var sizeMiB = 1024
        if let i = arguments.firstIndex(of: "--size-mb"), i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 { sizeMiB = n }
        let total = sizeMiB << 20
        let block = Random.bytes(16 << 20)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-bench-age-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let identity = Identity.generate()
        let keyURL = work.appendingPathComponent("key.txt")
        try IdentityFile(identities: [identity]).write(to: keyURL)
        let plainURL = work.appendingPathComponent("plain.bin"), oursURL = work.appendingPathComponent("ours.age")
        try writeFile(plainURL) { sink in try feed(block, total: total, into: sink) }

        // The machine is shared: every measurement is repeated `runs` times, interleaving
        // ours and stock age, and the best run of each is reported.
        var runs = 3
        if let i = arguments.firstIndex(of: "--runs"), i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 { runs = n }
        // Ciphertext for the decrypt runs (untimed).
        try writeFile(oursURL) { sink in
            let e = try Encryptor(recipients: [identity.recipient], sink: sink)
            try feed(block, total: total) { try e.write($0) }
            try e.finish()
        }
        var best: [String: Row] = [:]
        var order: [String] = []
        func record(_ row: Row) {
            if best[row.name] == nil { order.append(row.name) }
            if let old = best[row.name], old.seconds <= row.seconds { return }
            best[row.name] = row
        }
        let age = which("age")
        for _ in 0..<runs {
            // Ours: encrypt from memory, ciphertext discarded.
            var t = Date()
            var c = cpuSeconds()
            let encryptor = try Encryptor(recipients: [identity.recipient]) { _ in }
            try feed(block, total: total) { try encryptor.write($0) }
            try encryptor.finish()
            record(Row(name: "ours encrypt  memory → discard", bytes: total, seconds: -t.timeIntervalSinceNow, cpuSeconds: cpuSeconds() - c))
            // Ours: encrypt from the file, like `age -o /dev/null file`.
            t = Date()
            c = cpuSeconds()
            let fromFile = try Encryptor(recipients: [identity.recipient]) { _ in }
            try readFile(plainURL) { try fromFile.write($0) }
            try fromFile.finish()
            record(Row(name: "ours encrypt  file → discard", bytes: total, seconds: -t.timeIntervalSinceNow, cpuSeconds: cpuSeconds() - c))
            if let age, let r = try runTool(age, ["-r", identity.recipient.description, "-o", "/dev/null", plainURL.path]) {
                record(Row(name: "stock age -e  file → /dev/null", bytes: total, seconds: r.seconds, peakRSSKiB: r.rssKiB, cpuSeconds: r.cpu))
            }
            t = Date()
            c = cpuSeconds()
            let fd = open(oursURL.path, O_RDONLY)
            var decrypted = 0
            try Decryptor(identities: [identity]).decrypt(fileDescriptor: fd) { decrypted += $0.count }
            close(fd)
            record(Row(name: "ours decrypt  file → discard", bytes: total, seconds: -t.timeIntervalSinceNow, cpuSeconds: cpuSeconds() - c))
            guard decrypted == total else { throw AgeError.io("decrypted \(decrypted) of \(total) bytes") }
            if let age, let r = try runTool(age, ["-d", "-i", keyURL.path, "-o", "/dev/null", oursURL.path]) {
                record(Row(name: "stock age -d  file → /dev/null", bytes: total, seconds: r.seconds, peakRSSKiB: r.rssKiB, cpuSeconds: r.cpu))
            }
            t = Date()
            c = cpuSeconds()
            let blake = BLAKE2b(outputLength: 64)
            try feed(block, total: total) { blake.update($0) }
            _ = blake.finalize()
            record(Row(name: "BLAKE2b-512   memory", bytes: total, seconds: -t.timeIntervalSinceNow, cpuSeconds: cpuSeconds() - c))
            t = Date()
            c = cpuSeconds()
            var sha = SHA512()
            try feed(block, total: total) { sha.update($0) }
            _ = sha.finalize()
            record(Row(name: "SHA-512       memory", bytes: total, seconds: -t.timeIntervalSinceNow, cpuSeconds: cpuSeconds() - c))
        }
        if age == nil { print("(stock age not found; skipping the comparison)") }
        let ourRSS = vmHWMKiB()
        let rows = order.compactMap { best[$0] }
        let stock: [Row] = []

        print("age benchmark: \(sizeMiB) MiB, best of \(runs) interleaved runs, \(ProcessInfo.processInfo.activeProcessorCount) cores, chunks sealed/opened \(ProcessInfo.processInfo.activeProcessorCount)-way parallel")
        print(pad("", 34) + pad("MB/s", 10) + pad("CPU s/GiB", 12) + "peak RSS")
        for row in rows + stock {
            let rss = row.peakRSSKiB.map { "\($0 / 1024) MiB" } ?? ""
            let cpu = row.cpuSeconds.map { String(format: "%.2f", $0 / (Double(row.bytes) / Double(1 << 30))) } ?? ""
            print(pad(row.name, 34) + pad(String(format: "%.0f", Double(row.bytes) / 1e6 / row.seconds), 10) + pad(cpu, 12) + rss)
        }
        print("ours (whole bench process, incl. the 16 MiB source block): peak RSS \(ourRSS / 1024) MiB")
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    /// Calls `body` with the repeated block until `total` bytes were produced (4 MiB pieces).
    static func feed(_ block: [UInt8], total: Int, into body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try block.withUnsafeBytes { b in
            var done = 0, offset = 0
            while done < total {
                let n = min(4 << 20, total - done, b.count - offset)
                try body(UnsafeRawBufferPointer(rebasing: b[offset..<(offset + n)]))
                done += n
                offset = (offset + n) % b.count
            }
        }
    }

    static func writeFile(_ url: URL, _ body: (@escaping (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw AgeError.io("cannot create \(url.path)") }
        defer { close(fd) }
        try body { bytes in
            var off = 0
            while off < bytes.count {
                let n = write(fd, bytes.baseAddress! + off, bytes.count - off)
                guard n > 0 else { throw AgeError.io("write \(url.path) failed") }
                off += n
            }
        }
    }

    static func readFile(_ url: URL, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw AgeError.io("cannot open \(url.path)") }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress!, buffer.count)
            if n <= 0 { break }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        }
    }

    /// User + system CPU time of this process (all threads), seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Peak resident set size of this process (VmHWM), KiB.
    static func vmHWMKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Runs a tool, timing it; peak RSS from /usr/bin/time -v when present, else from
    /// getrusage(RUSAGE_CHILDREN) (a maximum over all children so far).
    static func runTool(_ path: String, _ args: [String]) throws -> (seconds: Double, rssKiB: Int?, cpu: Double?)? {
        let timeTool = FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? "/usr/bin/time" : nil
        let process = Process()
        process.executableURL = URL(fileURLWithPath: timeTool ?? path)
        process.arguments = timeTool != nil ? ["-v", path] + args : args
        let err = Pipe()
        process.standardError = err
        let start = Date()
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = -start.timeIntervalSinceNow
        guard process.terminationStatus == 0 else {
            print("\(path) \(args.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self))")
            return nil
        }
        var rss: Int?
        var cpu: Double?
        for line in String(decoding: errData, as: UTF8.self).split(separator: "\n") {
            let value = line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if line.contains("Maximum resident set size") { rss = Int(value) }
            if line.contains("User time (seconds)") || line.contains("System time (seconds)") { cpu = (cpu ?? 0) + (Double(value) ?? 0) }
        }
        if rss == nil {
            var usage = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &usage)
            rss = usage.ru_maxrss
        }
        return (seconds, rss, cpu)
    }
}
