import Primitives
import Foundation

/// How far long work has come: the dataset (or file) being read, bytes done of its total,
/// for the progress line that `plan`, `export`, `verify` and `preserve` show on a terminal.
/// Readers add what they read, once per buffer refill (a lock per few MiB: nothing on the
/// per-record hot path). Off unless a front end starts watching it.
public final class WorkProgress: @unchecked Sendable {
    /// The one meter of this process.
    public static let shared = WorkProgress()

    /// A moment's reading of the meter.
    public struct Reading: Sendable {
        /// What is being read (a dataset name, a file).
        public var label: String
        /// Bytes read of it so far, and its total (0 when unknown).
        public var done, total: Int64
        /// Seconds since it began.
        public var seconds: Double
    }

    private let lock = NSLock()
    private var watching = false
    private var label = ""
    private var done: Int64 = 0
    private var total: Int64 = 0
    private var began = Date()
    private var onBegin: ((Reading) -> Void)?

    /// Starts counting; `onBegin` sees each new label as it begins.
    public func watch(onBegin: @escaping (Reading) -> Void) {
        lock.lock(); watching = true; self.onBegin = onBegin; lock.unlock()
    }

    /// Stops counting.
    public func stopWatching() { lock.lock(); watching = false; onBegin = nil; lock.unlock() }

    /// A new piece of work begins: `label`, `total` bytes (0 when unknown).
    public func begin(_ label: String, total: Int64) {
        lock.lock()
        guard watching else { lock.unlock(); return }
        self.label = label; self.total = total; done = 0; began = Date()
        let r = readingLocked(), callback = onBegin
        lock.unlock()
        callback?(r)
    }

    /// `bytes` more were read.
    public func advance(_ bytes: Int) {
        lock.lock(); if watching { done += Int64(bytes) }; lock.unlock()
    }

    /// The current reading, or nil when not watching or nothing began.
    public var reading: Reading? {
        lock.lock(); defer { lock.unlock() }
        return watching && !label.isEmpty ? readingLocked() : nil
    }

    private func readingLocked() -> Reading {
        Reading(label: label, done: done, total: total, seconds: Date().timeIntervalSince(began))
    }

    /// The sum of the sizes of `urls` (for a dataset's total).
    public static func size(of urls: [URL]) -> Int64 {
        urls.reduce(0) { sum, u in
            var st = stat()
            return sum + (stat(u.path, &st) == 0 ? Int64(st.st_size) : 0)
        }
    }

    /// `logins: 1.2 GB of 3.4 GB (35 %), 412 MB/s, 6 s left` — plain text, no escapes.
    public static func line(_ r: Reading) -> String {
        var s = "\(r.label): \(bytes(r.done))"
        if r.total > 0 { s += " of \(bytes(r.total)) (\(min(100, r.done * 100 / max(r.total, 1))) %)" }
        if r.seconds > 0.2, r.done > 0 {
            let rate = Double(r.done) / r.seconds
            s += ", \(bytes(Int64(rate)))/s"
            if r.total > r.done { s += ", \(Int((Double(r.total - r.done) / rate).rounded(.up))) s left" }
        }
        return s
    }

    static func bytes(_ n: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var v = Double(n), i = 0
        while v >= 1000, i < units.count - 1 { v /= 1000; i += 1 }
        return i == 0 ? "\(n) B" : String(format: v < 10 ? "%.1f" : "%.0f", v) + " " + units[i]
    }
}
