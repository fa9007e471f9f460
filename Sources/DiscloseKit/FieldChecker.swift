import Foundation

/// Checks, record by record, that decrypted output holds only the fields the manifest
/// declares as disclosed (or transformed).
final class FieldChecker {
    let declared: Set<String>
    let csv: Bool
    var pending: [UInt8] = []
    var records = 0
    var sawHeader = false

    init(declared: Set<String>, csv: Bool) { self.declared = declared; self.csv = csv }

    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        pending.append(contentsOf: bytes)
        if csv {
            guard !sawHeader, let nl = pending.firstIndex(of: 0x0A) else { if sawHeader { pending.removeAll(keepingCapacity: true) }; return }
            try header(Array(pending[..<nl]))
            pending.removeAll(keepingCapacity: true)
            return
        }
        var start = 0
        while let nl = pending[start...].firstIndex(of: 0x0A) {
            try line(Array(pending[start..<nl]))
            start = nl + 1
        }
        pending.removeFirst(start)
        if pending.count > 64 << 20 { throw InputError(file: "payload", message: "a record longer than 64 MiB") }
    }

    func finish() throws {
        if csv { if !sawHeader, !pending.isEmpty { try header(pending) }; return }
        if !pending.isEmpty { throw InputError(file: "payload", message: "the last record is not terminated") }
    }

    private func header(_ line: [UInt8]) throws {
        sawHeader = true
        var l = line
        if l.last == 0x0D { l.removeLast() }
        let columns = String(decoding: l, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false).map {
            $0.hasPrefix("\"") && $0.hasSuffix("\"") && $0.count >= 2 ? String($0.dropFirst().dropLast()) : String($0)
        }
        let extra = columns.filter { !declared.contains($0) }
        guard extra.isEmpty else { throw InputError(file: "payload", message: "undeclared column(s): \(extra.joined(separator: ", "))") }
    }

    private func line(_ l: [UInt8]) throws {
        records += 1
        for p in try JSONLeafPaths.collect(l) {
            let ok = declared.contains(p) || declared.contains { d in p.hasPrefix(d + ".") || p.hasPrefix(d + "[]") }
            guard ok else { throw InputError(file: "payload", line: records, field: p, message: "record holds a field the manifest does not declare") }
        }
    }
}
