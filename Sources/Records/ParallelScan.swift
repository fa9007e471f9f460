import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scans a dataset's files with `jobs` threads and hands the scoped output to `sink` on the
/// calling thread, in file order, byte for byte as one thread would.
///
/// Segments: each file is one segment, or (when larger than `segmentBytes` and its format
/// allows) one per `segmentBytes`, the later ones starting speculatively (`SegmentStart`).
/// Worker threads (at most one per segment) claim segments in order — at most `jobs + 1`
/// ahead of the one being merged — and queue each segment's output: the head's up to
/// `outputCap` bytes, the others' together up to `outputCap` more, then they wait.
///
/// Ordered merge, on the calling thread: the head segment is confirmed first (the first
/// segment of a file always is; a later one iff its `firstStart` equals the previous
/// segment's `stop`, see `SegmentWalk`), then its output goes to `sink` and its counters
/// are summed. An unconfirmed split, or a record too long for a speculative walk, is
/// never guessed around: the rest of that file is read by one thread from the last
/// confirmed boundary, and the file's later segments are discarded. The first error of a
/// confirmed segment is the first error in file order (everything before it was clean), so
/// it is thrown as one thread would throw it, with its true line and column.
///
/// Memory: per worker one read buffer and its output chunk; queued output under
/// 2 × `outputCap` (plus a chunk per segment); the calling thread holds one read buffer
/// when it reads sequentially.
final class ParallelScan<S: SegmentScanner>: @unchecked Sendable {
    // `@unchecked Sendable`: every mutable property below is read and written only while
    // holding `cond`; `scanner` and `segments` are immutable and `Sendable`.

    /// One piece of work: a file and the byte range its records start in.
    struct Segment: Sendable {
        let file: Int
        let start: SegmentStart
        let limit: Int64
        let firstOfFile: Bool
    }

    private enum Prep { case none, busy, ready(S.Prepared), failed(any Error), released }
    private struct Slot {
        var chunks: [[UInt8]] = []
        var queued = 0
        /// The part of `queued` counted in the shared budget (queued before it was the head).
        var queuedAhead = 0
        var firstStart: Int64?
        var finished = false
        var outcome: SegmentOutcome<S.Stats>?
        var error: (any Error)?
    }
    private struct Abandoned: Error {}

    let scanner: S
    let jobs: Int
    let segmentBytes: Int64
    let outputCap: Int
    private let segments: [Segment]
    private let fileCount: Int
    private let cond = NSCondition()
    private var slots: [Slot]
    private var prep: [Prep]
    private var voided: Set<Int> = []
    private var head = 0
    private var next = 0
    private var stopped = false
    private var running = 0
    /// Output bytes queued by segments other than the head (see `emit`).
    private var queuedAhead = 0
    /// Counters of the last `run` (for tests and the benchmark; written by the calling thread only).
    private(set) var mergedSegments = 0
    private(set) var sequentialFallbacks = 0

    /// Plans the segments of `files` (by their current sizes; a size that changes later
    /// moves nothing but the cuts, and the cuts never change the output).
    init(scanner: S, files: [URL], jobs: Int, segmentBytes: Int, outputCap: Int = 1 << 20) {
        self.scanner = scanner
        self.jobs = max(1, jobs)
        self.segmentBytes = Int64(max(segmentBytes, 16))
        self.outputCap = outputCap
        fileCount = files.count
        var segs: [Segment] = []
        for (j, url) in files.enumerated() {
            var st = stat()
            let size = stat(url.path, &st) == 0 ? Int64(st.st_size) : 0
            var cuts: [Int64] = []
            if jobs > 1 && scanner.splittable {
                var c = self.segmentBytes
                while c < size { cuts.append(c); c += self.segmentBytes }
            }
            let starts = [SegmentStart.fileStart] + cuts.map { .speculative($0) }
            for (k, s) in starts.enumerated() {
                segs.append(Segment(file: j, start: s, limit: k + 1 < starts.count ? cuts[k] : .max, firstOfFile: k == 0))
            }
        }
        segments = segs
        slots = Array(repeating: Slot(), count: segs.count)
        prep = Array(repeating: .none, count: files.count)
    }

    /// Runs the scan; returns the summed counters. Throws the first error in file order.
    func run(sink: ([UInt8]) throws -> Void) throws -> S.Stats {
        var total = scanner.emptyStats()
        // One segment (or one job): the plain sequential walk, with no thread to start.
        if jobs == 1 || segments.count <= 1 {
            for j in 0..<fileCount {
                let p = try scanner.prepare(file: j)
                guard let prefix = try scanner.enter(file: j, p) else { continue }
                if !prefix.isEmpty { try sink(prefix) }
                try sequential(p, from: .fileStart, sink: sink, into: &total)
            }
            return total
        }
        let workers = min(jobs, segments.count)
        cond.lock(); running = workers; cond.unlock()
        for _ in 0..<workers {
            let t = Thread { [self] in work() }
            t.stackSize = 8 << 20  // as the main thread: the record writer recurses per nesting level
            t.start()
        }
        defer {
            cond.lock()
            stopped = true
            cond.broadcast()
            while running > 0 { cond.wait() }
            cond.unlock()
        }
        var i = 0
        var prevStop: Int64 = 0
        while i < segments.count {
            let seg = segments[i]
            let p = try prepared(seg.file)
            let endOfFile = segments[(i + 1)...].firstIndex { $0.file != seg.file } ?? segments.count
            if seg.firstOfFile {
                guard let prefix = try scanner.enter(file: seg.file, p) else {
                    finishFile(seg.file, nextHead: endOfFile); i = endOfFile; continue
                }
                if !prefix.isEmpty { try sink(prefix) }
            }
            // Confirm the split before taking any of the segment's output.
            cond.lock()
            while slots[i].firstStart == nil && !slots[i].finished { cond.wait() }
            let confirmed = seg.firstOfFile || slots[i].firstStart == prevStop
            cond.unlock()
            if !confirmed {
                sequentialFallbacks += 1
                finishFile(seg.file, nextHead: endOfFile)
                // (A previous segment without a stop ended at the end of the file.)
                if prevStop != .max { try sequential(p, from: .boundary(prevStop), sink: sink, into: &total) }
                i = endOfFile
                continue
            }
            // Stream its output as it comes.
            var outcome: SegmentOutcome<S.Stats>?
            while outcome == nil {
                cond.lock()
                while slots[i].chunks.isEmpty && !slots[i].finished { cond.wait() }
                let taken = slots[i].chunks
                slots[i].chunks = []
                queuedAhead -= slots[i].queuedAhead
                slots[i].queuedAhead = 0
                slots[i].queued = 0
                let done = slots[i].finished
                let error = slots[i].error
                if done { outcome = slots[i].outcome }
                cond.broadcast()
                cond.unlock()
                for c in taken { try sink(c) }
                if done, outcome == nil { throw error ?? Abandoned() }
            }
            scanner.merge(&total, outcome!.stats)
            mergedSegments += 1
            if let resume = outcome!.tooLongAt {
                sequentialFallbacks += 1
                finishFile(seg.file, nextHead: endOfFile)
                try sequential(p, from: .boundary(resume), sink: sink, into: &total)
                i = endOfFile
                continue
            }
            prevStop = outcome!.walk.stop ?? .max
            i += 1
            if i == endOfFile { finishFile(seg.file, nextHead: i) } else { advance(to: i) }
        }
        return total
    }

    /// Reads the rest of a file on the calling thread, from a confirmed boundary.
    private func sequential(_ p: S.Prepared, from start: SegmentStart, sink: ([UInt8]) throws -> Void,
                            into total: inout S.Stats) throws {
        try withoutActuallyEscaping(sink) { sink in
            let o = try scanner.walk(p, start: start, limit: .max, maxRecordBytes: ByteReader.defaultMaxRecord) { c, _ in try sink(c) }
            scanner.merge(&total, o.stats)
        }
    }

    /// The file's prepared state, preparing it here if no worker has begun to.
    private func prepared(_ j: Int) throws -> S.Prepared {
        cond.lock()
        while true {
            switch prep[j] {
            case .ready(let p): cond.unlock(); return p
            case .failed(let e): cond.unlock(); throw e
            case .busy: cond.wait()
            case .none, .released:
                prep[j] = .busy
                cond.unlock()
                let r = Result { try scanner.prepare(file: j) }
                cond.lock()
                switch r {
                case .success(let p): prep[j] = .ready(p)
                case .failure(let e): prep[j] = .failed(e)
                }
                cond.broadcast()
            }
        }
    }

    /// The merge is done with file `j`: its later segments are void, its descriptor may close.
    private func finishFile(_ j: Int, nextHead: Int) {
        cond.lock()
        voided.insert(j)
        // The discarded segments of the file give their queued output back to the budget.
        for k in segments.indices where segments[k].file == j && slots[k].queuedAhead > 0 {
            queuedAhead -= slots[k].queuedAhead
            slots[k].queuedAhead = 0
            slots[k].chunks = []
        }
        prep[j] = .released
        head = nextHead
        cond.broadcast()
        cond.unlock()
    }

    private func advance(to i: Int) {
        cond.lock(); head = i; cond.broadcast(); cond.unlock()
    }

    /// A worker thread: claims segments in order and walks them.
    private func work() {
        cond.lock()
        defer { running -= 1; cond.broadcast(); cond.unlock() }
        while !stopped && next < segments.count {
            if next > head + jobs { cond.wait(); continue }
            let i = next
            next += 1
            let seg = segments[i]
            if voided.contains(seg.file) { slots[i].finished = true; continue }
            cond.unlock()
            let outcome: Result<SegmentOutcome<S.Stats>, any Error> = Result {
                let p = try prepared(seg.file)
                let speculative = !seg.firstOfFile
                let maxRecord = speculative ? Int(min(segmentBytes, Int64(ByteReader.defaultMaxRecord))) : ByteReader.defaultMaxRecord
                return try scanner.walk(p, start: seg.start, limit: seg.limit, maxRecordBytes: maxRecord) { [self] chunk, first in
                    try emit(i, seg.file, chunk, first)
                }
            }
            cond.lock()
            switch outcome {
            case .success(let o):
                slots[i].outcome = o
                if slots[i].firstStart == nil { slots[i].firstStart = o.walk.firstStart }
            case .failure(let e): slots[i].error = e
            }
            slots[i].finished = true
            cond.broadcast()
        }
    }

    /// Queues a chunk of segment `i`'s output; waits while the queue is full.
    private func emit(_ i: Int, _ file: Int, _ chunk: [UInt8], _ firstStart: Int64?) throws {
        cond.lock()
        defer { cond.unlock() }
        if slots[i].firstStart == nil { slots[i].firstStart = firstStart }
        // The head's queue may hold `outputCap` (the merging thread drains it); all other
        // segments share one budget of `outputCap`, so queued output stays under 2 × cap
        // (plus a chunk each) whatever the number of jobs.
        while !stopped && !voided.contains(file)
                && (i == head ? slots[i].queued >= outputCap : queuedAhead >= outputCap) { cond.wait() }
        if stopped || voided.contains(file) { throw Abandoned() }
        slots[i].chunks.append(chunk)
        slots[i].queued += chunk.count
        if i != head { queuedAhead += chunk.count; slots[i].queuedAhead += chunk.count }
        cond.broadcast()
    }
}
