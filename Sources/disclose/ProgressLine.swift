import DiscloseKit
import Foundation

/// The progress line on standard error: on a terminal only (nothing at all otherwise),
/// redrawn in place with a carriage return and spaces — no escape sequences — and
/// cleared when the work ends, so the report that follows starts on a clean line.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true
    private var width = 0
    private let finished = DispatchSemaphore(value: 0)
    private let wake = DispatchSemaphore(value: 0)

    /// Starts the line when standard error is a terminal; nil otherwise.
    static func start() -> ProgressLine? {
        guard isatty(2) == 1 else { return nil }
        let line = ProgressLine()
        WorkProgress.shared.watch { [weak line] r in line?.draw(r) }
        Thread.detachNewThread { line.tick() }
        return line
    }

    private func tick() {
        while true {
            _ = wake.wait(timeout: .now() + 0.25)
            lock.lock(); let go = running; lock.unlock()
            guard go else { break }
            if let r = WorkProgress.shared.reading { draw(r) }
        }
        finished.signal()
    }

    private func draw(_ r: WorkProgress.Reading) {
        lock.lock(); defer { lock.unlock() }
        guard running else { return }
        var text = "disclose: " + WorkProgress.line(r)
        if text.count > 99 { text = String(text.prefix(99)) }
        let pad = max(0, width - text.count)
        width = text.count
        Diagnostics.write("\r" + text + String(repeating: " ", count: pad))
    }

    /// Ends the line and clears it (again: nothing).
    func stop() {
        WorkProgress.shared.stopWatching()
        lock.lock(); let was = running; running = false; let w = width; lock.unlock()
        guard was else { return }
        wake.signal()
        finished.wait()
        if w > 0 { Diagnostics.write("\r" + String(repeating: " ", count: w) + "\r") }
    }
}
