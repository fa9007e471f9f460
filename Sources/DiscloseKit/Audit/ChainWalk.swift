import Sodium

/// One pass over the audit log's lines that checks the hash chain as it goes: sequence
/// numbers in order, each `prev` the SHA-512 of the line before. Shared by
/// `AuditLog.verify()` and `AuditCheck`, which checks the signed heads in the same pass,
/// so the log is read once and the bytes hashed are the bytes checked.
struct ChainWalk {
    /// The log, for messages.
    let file: String
    /// Hex SHA-512 of the last intact line (the genesis hash before the first).
    private(set) var prev = AuditLog.genesis
    /// Intact entries so far.
    private(set) var entries = 0
    /// Lines seen so far.
    private(set) var lineNumber = 0
    /// The first problem: line number and what is wrong.
    private(set) var problem: (line: Int, message: String)?

    /// Takes the next line; returns its parsed entry when it is intact and chains, nil
    /// once the chain is broken (at this line or before).
    mutating func step(_ line: [UInt8]) -> DocumentJSON.Node? {
        lineNumber += 1
        guard problem == nil else { return nil }
        guard let entry = try? DocumentJSON.parse(line, file: file), case .object = entry.value else {
            problem = (lineNumber, "entry is not valid JSON"); return nil
        }
        guard case .number(let s)? = entry[.sequence]?.value, let seq = Int(s) else {
            problem = (lineNumber, "entry has no sequence number"); return nil
        }
        let expected = entries + 1
        guard seq == expected else {
            problem = (lineNumber, seq > expected ? "entry \(expected) is missing or moved (entry \(seq) stands in its place)"
                                                  : "entry \(seq) is out of order or repeated (expected entry \(expected))")
            return nil
        }
        guard case .string(let p)? = entry[.prev]?.value, p == prev else {
            problem = (lineNumber, "entry \(seq) does not chain to entry \(seq - 1): it or its predecessor was modified"); return nil
        }
        prev = Hex.encode(SHA512.hash(line))
        entries = seq
        return entry
    }

    /// The outcome so far.
    var verification: AuditLog.Verification {
        AuditLog.Verification(entries: entries, head: AuditLog.Head(sequence: entries, hash: prev), problem: problem)
    }
}
