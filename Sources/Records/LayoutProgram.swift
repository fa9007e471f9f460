import Primitives
import Foundation

/// What the record writer does with each top-level value of the records of one layout
/// (see `RecordLayout`): the decision depends only on the keys, which all such records
/// share, so it is made once per layout instead of once per record and field. The
/// output is byte for byte what the general walk writes.
struct LayoutProgram {
    /// One top-level member.
    struct Step {
        enum Kind { case unmapped, withhold, disclose, transform }
        var kind: Kind
        var action: FieldAction
        /// The node whose action applies (the tree outlives the program).
        unowned(unsafe) var node: FieldActionNode?
        /// The key (with its quotes), as offset and length within the member's segment.
        var keyOffset: Int
        var keyLength: Int
    }

    /// The layout generation the steps were made for (0: none).
    var generation = 0
    /// Per member (plain values: read without reference counting on every record).
    var steps: [Step] = []
    /// Per member: its path when unmapped, and how many records had it since the last fold.
    var paths: [String] = []
    var unmapped: [Int] = []

    /// Adds the unmapped-field counts to `stats` and resets them.
    mutating func foldUnmapped(into stats: inout DatasetStatistics) {
        for i in unmapped.indices where unmapped[i] > 0 {
            stats.unmappedFields[paths[i], default: 0] += unmapped[i]
            unmapped[i] = 0
        }
    }
}

extension JSONRecordWriter {
    /// Writes the record at `start`, which the scanner served from the template `layout`
    /// (flat, scalar values only), with the program for that layout.
    func writeServed(_ start: Int, _ layout: RecordLayout, into out: inout [UInt8], stats: inout DatasetStatistics) {
        if program.generation != layout.generation { makeProgram(start, layout, &stats) }
        out.append(UInt8(ascii: "{"))
        var wrote = false
        var p = start
        for i in 0..<layout.count {
            let segment = p
            p += layout.segmentLength(i)
            let ve = valueEnd(p)
            let s = program.steps[i]
            switch s.kind {
            case .unmapped:
                program.unmapped[i] += 1
            case .withhold:
                count(s.node!, .withhold, &stats)
            case .disclose, .transform:
                let mark = out.count
                if wrote { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: UnsafeBufferPointer(start: base + segment + s.keyOffset, count: s.keyLength))
                out.append(UInt8(ascii: ":"))
                if s.kind == .disclose {
                    out.append(contentsOf: UnsafeBufferPointer(start: base + p, count: ve - p))
                    count(s.node!, .disclose, &stats)
                    wrote = true
                } else if transformScalar(p, ve, s.action, s.node!, out: &out, stats: &stats) {
                    wrote = true
                } else {
                    out.removeSubrange(mark...)
                }
            }
            p = ve
        }
        // With nothing written this closes `{}`, the record with nothing to disclose.
        out.append(UInt8(ascii: "}"))
    }

    /// Decides, from the record at `start`, what to do with each member of `layout`
    /// (the same rules as the general walk applies to a top-level scalar).
    private func makeProgram(_ start: Int, _ layout: RecordLayout, _ stats: inout DatasetStatistics) {
        program.foldUnmapped(into: &stats)
        var steps: [LayoutProgram.Step] = []
        var paths: [String] = []
        var p = start
        for i in 0..<layout.count {
            let segment = p
            let keyStart = UnsafePointer<UInt8>(memchr(base + segment, 0x22, layout.segmentLength(i))!
                .assumingMemoryBound(to: UInt8.self)) - base
            let keyEnd = stringEnd(keyStart)
            let (child, escaped) = self.child(of: root, key: keyStart, keyEnd)
            var step = LayoutProgram.Step(kind: .unmapped, action: .withhold, node: nil, keyOffset: keyStart - segment,
                                          keyLength: keyEnd - keyStart)
            var path = ""
            if let d = child, let action = effectiveAction(d) {
                step.node = d
                step.action = action
                step.kind = action == .withhold ? .withhold : action == .disclose ? .disclose : .transform
            } else {
                path = child?.pathText ?? keyText(keyStart, keyEnd, escaped: escaped)
            }
            steps.append(step)
            paths.append(path)
            p += layout.segmentLength(i)
            p = valueEnd(p)
        }
        program = LayoutProgram(generation: layout.generation, steps: steps, paths: paths,
                                unmapped: [Int](repeating: 0, count: steps.count))
    }
}
