import Primitives
import Foundation

/// Rewrites one validated JSON record for disclosure: per field the action of the
/// longest mapped prefix of its path, fail closed for paths nothing maps.
///
/// Output conventions: one compact JSON object per record (no whitespace between the
/// tokens this writer emits), keys in input order with their original bytes. A
/// disclosed value is copied byte for byte — escapes, number text, key order and inner
/// whitespace preserved — except that an object or array containing line breaks is
/// re-emitted without the whitespace between its tokens (its scalars still byte for
/// byte), so each record stays on one line. An object or array that loses all its
/// members to withholding is omitted with its key; one that was empty in the input is
/// kept (as `{}` / `[]`, counted) when a path below it may release values, so that "none"
/// is told apart from "withheld". The record itself is always written, as `{}` if
/// nothing in it may be disclosed.
///
/// Under a redacted path (`pseudonymize`, `mask`, `ip_prefix`) names are data too:
/// members whose names the data map does not give are withheld, objects are withheld
/// whole, arrays are redacted element by element, and booleans are withheld (see
/// `transformScalar`).
final class JSONRecordWriter {
    let root: FieldActionNode
    let pseudonymizer: Pseudonymizer?
    // Per-record state, read on every token: exempt from dynamic exclusivity checks
    // (the writer is used by one thread and never reenters itself).
    @exclusivity(unchecked) var scratch: [UInt8] = []
    @exclusivity(unchecked) var base: UnsafePointer<UInt8> = UnsafePointer(bitPattern: 1)!
    @exclusivity(unchecked) var limit = 0
    /// What to do with each value of records the scanner served from its template.
    @exclusivity(unchecked) var program = LayoutProgram()

    /// A writer applying `actions`; without a pseudonym key, `pseudonymize` withholds.
    init(actions: [FieldPath: FieldAction], pseudonymizer: Pseudonymizer?) {
        root = FieldActionNode.build(actions)
        self.pseudonymizer = pseudonymizer
        root.markReleases(pseudonymizes: pseudonymizer != nil)
    }

    /// Appends the scoped form of the record `base[start..<end]` plus a newline to `out`.
    /// `layout` is the scanner's `servedLayout` for this record, if any: records of one
    /// layout are written by a per-layout program instead of a walk of the record.
    func write(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, layout: RecordLayout? = nil,
               into out: inout [UInt8], stats: inout DatasetStatistics) {
        self.base = base
        limit = end
        if let layout {
            writeServed(start, layout, into: &out, stats: &stats)
            out.append(0x0A)
            return
        }
        let mark = out.count
        let (_, wrote) = writeObject(start, node: root, decider: nil, path: "", out: &out, stats: &stats)
        if !wrote {
            out.removeSubrange(mark...)
            out.append(UInt8(ascii: "{")); out.append(UInt8(ascii: "}"))
        }
        out.append(0x0A)
    }

    // MARK: - Walking validated JSON

    @inline(__always)
    private func ws(_ p: Int) -> Int {
        var q = p
        while true {
            let c = base[q]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { q += 1 } else { return q }
        }
    }

    /// Offset after the string starting with the quote at `p` (the record was validated,
    /// so its closing quote is there).
    func stringEnd(_ p: Int) -> Int { closingQuote(base, p + 1, limit)! + 1 }

    /// Offset after the value starting at `p`.
    func valueEnd(_ p: Int) -> Int {
        let c = base[p]
        if c == UInt8(ascii: "\"") { return stringEnd(p) }
        if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
            var depth = 0
            var q = p
            while true {
                let b = base[q]
                if b == UInt8(ascii: "\"") { q = stringEnd(q); continue }
                if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
                if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return q + 1 }
                }
                q += 1
            }
        }
        var q = p
        while true {
            let b = base[q]
            if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || b <= 0x20 { return q }
            q += 1
        }
    }

    private func isEmptyContainer(_ p: Int) -> Bool {
        let c = base[ws(p + 1)]
        return c == UInt8(ascii: "}") || c == UInt8(ascii: "]")
    }

    @inline(__always)
    func count(_ node: FieldActionNode, _ action: FieldAction, _ stats: inout DatasetStatistics) {
        let i: Int
        switch action {
        case .disclose: i = 0
        case .pseudonymize: i = 1
        case .mask: i = 2
        case .ipPrefix: i = 3
        case .withhold: i = 4
        }
        node.counts[i] += 1
    }

    /// Moves the per-field counters into `stats`; call once after the dataset's last record.
    func foldCounts(into stats: inout DatasetStatistics) {
        program.foldUnmapped(into: &stats)
        root.foldCounts(into: &stats)
    }

    // MARK: - Structure with mapped paths below

    private func writeValue(_ p: Int, node: FieldActionNode?, decider: FieldActionNode?, path: String,
                            out: inout [UInt8], stats: inout DatasetStatistics) -> (Int, Bool) {
        let c = base[p]
        let isContainer = c == UInt8(ascii: "{") || c == UInt8(ascii: "[")
        if isContainer, let n = node, n.hasDeeperAction {
            if !isEmptyContainer(p) {
                if c == UInt8(ascii: "{") { return writeObject(p, node: n, decider: decider, path: path, out: &out, stats: &stats) }
                return writeArray(p, node: n, decider: decider, path: path, out: &out, stats: &stats)
            }
            // An empty container whose members are mapped (`attachments[]`, `meta.a`) and
            // no action above: kept (and counted) when a path below may release values,
            // so the authority can tell "none" from "withheld"; left out otherwise.
            if decider == nil {
                let isArray = c == UInt8(ascii: "[")
                guard isArray ? n.keepsEmptyArray : n.keepsEmptyObject else { return (valueEnd(p), false) }
                out.append(c)
                out.append(isArray ? UInt8(ascii: "]") : UInt8(ascii: "}"))
                stats.emptyContainers[n.pathText, default: 0] += 1
                return (valueEnd(p), true)
            }
        }
        let end = valueEnd(p)
        guard let d = decider, let action = effectiveAction(d) else {
            stats.unmappedFields[path, default: 0] += 1
            return (end, false)
        }
        switch action {
        case .withhold:
            count(d, .withhold, &stats)
            return (end, false)
        case .disclose:
            if isContainer && containsLineBreak(p, end) {
                writeCompact(p, end, out: &out)
            } else {
                out.append(contentsOf: UnsafeBufferPointer(start: base + p, count: end - p))
            }
            count(d, .disclose, &stats)
            return (end, true)
        case .pseudonymize, .mask, .ipPrefix:
            if isContainer { return transformContainer(p, action, d, out: &out, stats: &stats) }
            return (end, transformScalar(p, end, action, d, out: &out, stats: &stats))
        }
    }

    private func writeObject(_ p: Int, node: FieldActionNode, decider: FieldActionNode?, path: String,
                             out: inout [UInt8], stats: inout DatasetStatistics) -> (Int, Bool) {
        let mark = out.count
        out.append(UInt8(ascii: "{"))
        var wrote = false
        var q = ws(p + 1)
        while base[q] != UInt8(ascii: "}") {
            let ks = q
            let ke = stringEnd(q)
            q = ws(ws(ke) + 1)
            let (child, escaped) = self.child(of: node, key: ks, ke)
            let childDecider = child?.action != nil ? child : decider
            if child == nil, let d = childDecider, isRedaction(d) {
                // A name the data map does not give, under a redacted path: the name is
                // record content, so the member is withheld whole.
                count(d, .withhold, &stats)
                q = ws(valueEnd(q))
                if base[q] == UInt8(ascii: ",") { q = ws(q + 1) }
                continue
            }
            // The path text is needed only to report an unmapped field (rare): no String
            // per field on the way through mapped data.
            let childPath: String
            if let child { childPath = child.pathText } else if childDecider == nil {
                let key = keyText(ks, ke, escaped: escaped)
                childPath = path.isEmpty ? key : path + "." + key
            } else { childPath = "" }
            q = writeMember(q, key: ks..<ke, node: child, decider: childDecider, path: childPath, wrote: &wrote, out: &out, stats: &stats)
        }
        return close(mark, q, wrote, UInt8(ascii: "}"), out: &out)
    }

    /// Writes one member (`"key":value`, or an element when `key` is nil) after a comma
    /// if something came before; rolls it back if nothing of the value may leave.
    /// Returns the offset of the next member or the closing bracket.
    @inline(__always)
    private func writeMember(_ q: Int, key: Range<Int>?, node: FieldActionNode?, decider: FieldActionNode?, path: String,
                             wrote: inout Bool, out: inout [UInt8], stats: inout DatasetStatistics) -> Int {
        let c = base[q]
        if c != UInt8(ascii: "{") && c != UInt8(ascii: "[") && !willWrite(decider, path: path, stats: &stats) {
            // A scalar that is withheld or unmapped: counted, nothing written.
            var next = ws(valueEnd(q))
            if base[next] == UInt8(ascii: ",") { next = ws(next + 1) }
            return next
        }
        let m = out.count
        if wrote { out.append(UInt8(ascii: ",")) }
        if let key {
            out.append(contentsOf: UnsafeBufferPointer(start: base + key.lowerBound, count: key.count))
            out.append(UInt8(ascii: ":"))
        }
        let (ve, w) = writeValue(q, node: node, decider: decider, path: path, out: &out, stats: &stats)
        if w { wrote = true } else { out.removeSubrange(m...) }
        var next = ws(ve)
        if base[next] == UInt8(ascii: ",") { next = ws(next + 1) }
        return next
    }

    /// For a scalar value: false (after counting it as `writeValue` would) when it is
    /// unmapped or withheld, so that its member is skipped without writing anything.
    @inline(__always)
    private func willWrite(_ decider: FieldActionNode?, path: String, stats: inout DatasetStatistics) -> Bool {
        guard let d = decider, let action = effectiveAction(d) else {
            stats.unmappedFields[path, default: 0] += 1
            return false
        }
        if action == .withhold {
            count(d, .withhold, &stats)
            return false
        }
        return true
    }

    /// Whether the action at `d` redacts (`pseudonymize`, `mask`, `ip_prefix`).
    @inline(__always)
    func isRedaction(_ d: FieldActionNode) -> Bool {
        guard let a = effectiveAction(d) else { return false }
        return a != .disclose && a != .withhold
    }

    /// The action mapped at `d`, except that `pseudonymize` withholds without a pseudonym key.
    @inline(__always)
    func effectiveAction(_ d: FieldActionNode) -> FieldAction? {
        guard let action = d.action else { return nil }
        return action == .pseudonymize && pseudonymizer == nil ? .withhold : action
    }

    /// The child of `node` for the key whose quoted form is `base[ks..<ke]`: looked up as
    /// written, or decoded into `scratch` first when it has escapes.
    @inline(__always)
    func child(of node: FieldActionNode, key ks: Int, _ ke: Int) -> (child: FieldActionNode?, escaped: Bool) {
        let escaped = memchr(base + ks + 1, 0x5C, ke - ks - 2) != nil
        if escaped {
            decodeString(base, ks + 1, ke - 1, into: &scratch)
            return (scratch.withUnsafeBufferPointer { node.child(forKey: $0) }, true)
        }
        return (node.child(forKey: UnsafeBufferPointer(start: base + ks + 1, count: ke - ks - 2)), false)
    }

    /// The decoded text of the key `base[ks..<ke]`, after `child(of:key:)` looked it up:
    /// only to name an unmapped field.
    func keyText(_ ks: Int, _ ke: Int, escaped: Bool) -> String {
        escaped ? String(decoding: scratch, as: UTF8.self)
                : String(decoding: UnsafeBufferPointer(start: base + ks + 1, count: ke - ks - 2), as: UTF8.self)
    }

    /// Closes a container opened at `mark`, or removes it when nothing was written in it.
    @inline(__always)
    private func close(_ mark: Int, _ q: Int, _ wrote: Bool, _ bracket: UInt8, out: inout [UInt8]) -> (Int, Bool) {
        guard wrote else {
            out.removeSubrange(mark...)
            return (q + 1, false)
        }
        out.append(bracket)
        return (q + 1, true)
    }

    private func writeArray(_ p: Int, node: FieldActionNode, decider: FieldActionNode?, path: String,
                            out: inout [UInt8], stats: inout DatasetStatistics) -> (Int, Bool) {
        let mark = out.count
        out.append(UInt8(ascii: "["))
        var wrote = false
        var q = ws(p + 1)
        let child = node.each
        let childDecider = child?.action != nil ? child : decider
        let childPath = child?.pathText ?? (childDecider == nil ? path + "[]" : "")
        while base[q] != UInt8(ascii: "]") {
            q = writeMember(q, key: nil, node: child, decider: childDecider, path: childPath, wrote: &wrote, out: &out, stats: &stats)
        }
        return close(mark, q, wrote, UInt8(ascii: "]"), out: &out)
    }

    // MARK: - Transforming actions

    /// Applies a transforming action to the container at `p`: an object is withheld
    /// whole (its member names are record content), an array is redacted element by
    /// element (elements that are withheld are left out; an array left with none is
    /// withheld; an empty one stays `[]`).
    private func transformContainer(_ p: Int, _ action: FieldAction, _ d: FieldActionNode,
                                    out: inout [UInt8], stats: inout DatasetStatistics) -> (Int, Bool) {
        guard base[p] == UInt8(ascii: "[") else {
            count(d, .withhold, &stats)
            return (valueEnd(p), false)
        }
        let mark = out.count
        out.append(UInt8(ascii: "["))
        var q = ws(p + 1)
        if base[q] == UInt8(ascii: "]") {
            out.append(UInt8(ascii: "]"))
            count(d, action, &stats)
            return (q + 1, true)
        }
        var wrote = false
        while base[q] != UInt8(ascii: "]") {
            let m = out.count
            if wrote { out.append(UInt8(ascii: ",")) }
            let c = base[q]
            let ve: Int
            let w: Bool
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                (ve, w) = transformContainer(q, action, d, out: &out, stats: &stats)
            } else {
                ve = valueEnd(q)
                w = transformScalar(q, ve, action, d, out: &out, stats: &stats)
            }
            if w { wrote = true } else { out.removeSubrange(m...) }
            q = ws(ve)
            if base[q] == UInt8(ascii: ",") { q = ws(q + 1) }
        }
        if !wrote {
            out.removeSubrange(mark...)
            return (q + 1, false)
        }
        out.append(UInt8(ascii: "]"))
        return (q + 1, true)
    }

    /// Applies a transforming action to the scalar `base[p..<end]`; false when the value
    /// is withheld instead: a boolean (its masked or pseudonymized form would tell which
    /// it is), or an `ip_prefix` value that is not an IP address in a string. `null`
    /// stays `null`.
    func transformScalar(_ p: Int, _ end: Int, _ action: FieldAction, _ d: FieldActionNode,
                                 out: inout [UInt8], stats: inout DatasetStatistics) -> Bool {
        let c = base[p]
        if c == UInt8(ascii: "n") {
            out.append(contentsOf: UnsafeBufferPointer(start: base + p, count: end - p))
            count(d, action, &stats)
            return true
        }
        if (c == UInt8(ascii: "t") || c == UInt8(ascii: "f")) && action != .ipPrefix {
            count(d, .withhold, &stats)
            return false
        }
        let isString = c == UInt8(ascii: "\"")
        if isString {
            decodeString(base, p + 1, end - 1, into: &scratch)
        } else {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + p, count: end - p))
        }
        switch action {
        case .pseudonymize:
            let pn = scratch.withUnsafeBytes { pseudonymizer!.pseudonymBytes(of: $0) }
            JSONString.append(pn, to: &out)
        case .mask:
            JSONString.append(scratch.withUnsafeBytes { Masking.mask($0) }, to: &out)
        case .ipPrefix:
            guard isString, let ip = scratch.withUnsafeBytes({ IPAddress(bytes: $0) }) else {
                count(d, .withhold, &stats)
                stats.valuesNotIPAddress[d.pathText, default: 0] += 1
                return false
            }
            JSONString.append(ip.prefixText.utf8, to: &out)
        case .disclose, .withhold:
            preconditionFailure("not a transforming action")
        }
        count(d, action, &stats)
        return true
    }

    // MARK: - Compact copies

    private func containsLineBreak(_ p: Int, _ end: Int) -> Bool {
        var q = p
        while q < end {
            if base[q] == 0x0A || base[q] == 0x0D { return true }
            q += 1
        }
        return false
    }

    /// Copies the value `base[p..<end]` without whitespace between tokens.
    private func writeCompact(_ p: Int, _ end: Int, out: inout [UInt8]) {
        var q = p
        while q < end {
            let c = base[q]
            if c == UInt8(ascii: "\"") {
                let e = stringEnd(q)
                out.append(contentsOf: UnsafeBufferPointer(start: base + q, count: e - q))
                q = e
            } else {
                if !(c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) { out.append(c) }
                q += 1
            }
        }
    }
}
