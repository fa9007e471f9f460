import Foundation

/// How many threads scan datasets: `--jobs N`, by default the CPUs this process may run on.
/// The value never changes an output byte (see `ParallelScan`), so it is not recorded in plans.
public enum ScanJobs {
    /// The CPUs the process may use: its affinity mask on Linux (`Cpus_allowed` in
    /// /proc/self/status, the mask sched_getaffinity(2) returns — a container or `taskset`
    /// may allow fewer than the machine has), else the active processor count.
    public static var available: Int {
        #if os(Linux)
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) {
            let n = line.dropFirst("Cpus_allowed:".count).reduce(0) { sum, c in
                sum + (c.hexDigitValue.map { $0.nonzeroBitCount } ?? 0)
            }
            if n > 0 { return n }
        }
        #endif
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    private static let box = JobsBox()

    /// The process-wide default for new `DatasetScope`s (the CLI sets it from `--jobs`).
    public static var processDefault: Int {
        get { box.get() }
        set { box.set(max(1, newValue)) }
    }

    /// Parses a `--jobs` value: a whole number from 1 to 1024; nil otherwise.
    public static func parse(_ text: String) -> Int? {
        guard let n = Int(text), (1...1024).contains(n) else { return nil }
        return n
    }
}

/// The locked process-wide jobs value. `@unchecked Sendable`: `value` is only read or
/// written while holding `lock`.
private final class JobsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?
    func get() -> Int {
        lock.lock(); defer { lock.unlock() }
        if value == nil { value = ScanJobs.available }
        return value!
    }
    func set(_ n: Int) { lock.lock(); value = n; lock.unlock() }
}
