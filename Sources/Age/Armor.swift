import Foundation

/// The PEM-style ASCII armor of age files: padded standard base64 in 64-column lines
/// between `-----BEGIN AGE ENCRYPTED FILE-----` and `-----END AGE ENCRYPTED FILE-----`.
enum Armor {
    static let begin = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)
    static let end = Array("-----END AGE ENCRYPTED FILE-----".utf8)
    static let columns = 64
    static let bytesPerLine = 48
    /// Whitespace allowed around the armor, as in age (Go caps it at 1024 bytes).
    static let maxWhitespace = 1024

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let decodeTable: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    static func isWhitespace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C
    }

    /// Encodes `input` (1…48 bytes) as one padded base64 line (without LF) at `out`;
    /// returns the characters written.
    static func encodeLine(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer, table: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0, o = 0
        let n = input.count
        while i + 3 <= n {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.storeBytes(of: table[Int(v >> 18)], toByteOffset: o, as: UInt8.self)
            out.storeBytes(of: table[Int(v >> 12 & 63)], toByteOffset: o + 1, as: UInt8.self)
            out.storeBytes(of: table[Int(v >> 6 & 63)], toByteOffset: o + 2, as: UInt8.self)
            out.storeBytes(of: table[Int(v & 63)], toByteOffset: o + 3, as: UInt8.self)
            i += 3; o += 4
        }
        if n - i == 1 {
            let v = UInt32(input[i]) << 16
            out.storeBytes(of: table[Int(v >> 18)], toByteOffset: o, as: UInt8.self)
            out.storeBytes(of: table[Int(v >> 12 & 63)], toByteOffset: o + 1, as: UInt8.self)
            out.storeBytes(of: UInt8(ascii: "="), toByteOffset: o + 2, as: UInt8.self)
            out.storeBytes(of: UInt8(ascii: "="), toByteOffset: o + 3, as: UInt8.self)
            o += 4
        } else if n - i == 2 {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out.storeBytes(of: table[Int(v >> 18)], toByteOffset: o, as: UInt8.self)
            out.storeBytes(of: table[Int(v >> 12 & 63)], toByteOffset: o + 1, as: UInt8.self)
            out.storeBytes(of: table[Int(v >> 6 & 63)], toByteOffset: o + 2, as: UInt8.self)
            out.storeBytes(of: UInt8(ascii: "="), toByteOffset: o + 3, as: UInt8.self)
            o += 4
        }
        return o
    }

    /// Strictly decodes one line of canonical padded base64 into `out` (room for 48
    /// bytes); nil when the length is not a multiple of 4, a byte is outside the
    /// alphabet, padding is misplaced, or unused bits are not zero.
    static func decodeLine(_ line: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer, table: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = line.count
        guard n > 0, n % 4 == 0 else { return nil }
        var o = 0
        var i = 0
        while i < n {
            let a = table[Int(line[i])], b = table[Int(line[i + 1])]
            guard a < 64, b < 64 else { return nil }
            let last = i + 4 == n
            if last && line[i + 3] == UInt8(ascii: "=") {
                if line[i + 2] == UInt8(ascii: "=") {
                    guard b & 0x0F == 0 else { return nil }
                    out.storeBytes(of: a << 2 | b >> 4, toByteOffset: o, as: UInt8.self)
                    return o + 1
                }
                let c = table[Int(line[i + 2])]
                guard c < 64, c & 0x03 == 0 else { return nil }
                out.storeBytes(of: a << 2 | b >> 4, toByteOffset: o, as: UInt8.self)
                out.storeBytes(of: b << 4 | c >> 2, toByteOffset: o + 1, as: UInt8.self)
                return o + 2
            }
            let c = table[Int(line[i + 2])], d = table[Int(line[i + 3])]
            guard c < 64, d < 64 else { return nil }
            out.storeBytes(of: a << 2 | b >> 4, toByteOffset: o, as: UInt8.self)
            out.storeBytes(of: b << 4 | c >> 2, toByteOffset: o + 1, as: UInt8.self)
            out.storeBytes(of: c << 6 | d, toByteOffset: o + 2, as: UInt8.self)
            o += 3; i += 4
        }
        return o
    }
}

/// Streams binary age bytes out as armor: BEGIN line, 64-column padded base64 lines
/// (the last one 1…64 columns, never an empty line before END), END line, all LF.
final class ArmorWriter {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private let ledger: BufferLedger
    private static let linesPerFlush = 1024
    private let outCapacity = ArmorWriter.linesPerFlush * (Armor.columns + 1) + Armor.begin.count + Armor.end.count + 2
    private let out: UnsafeMutableRawPointer
    private var outCount = 0
    private let carry: UnsafeMutableRawPointer
    private var carryCount = 0

    init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void, ledger: BufferLedger) {
        self.sink = sink
        self.ledger = ledger
        out = ledger.allocate(outCapacity)
        carry = ledger.allocate(Armor.bytesPerLine)
        Armor.begin.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        out.storeBytes(of: 0x0A, toByteOffset: Armor.begin.count, as: UInt8.self)
        outCount = Armor.begin.count + 1
    }

    deinit {
        ledger.release(out, count: outCapacity)
        ledger.release(carry, count: Armor.bytesPerLine)
    }

    private func emitLine(_ bytes: UnsafeRawBufferPointer, table: UnsafeBufferPointer<UInt8>) throws {
        if outCount + Armor.columns + 1 > outCapacity { try flush() }
        outCount += Armor.encodeLine(bytes, into: out + outCount, table: table)
        out.storeBytes(of: 0x0A, toByteOffset: outCount, as: UInt8.self)
        outCount += 1
    }

    private func flush() throws {
        if outCount > 0 { try sink(UnsafeRawBufferPointer(start: out, count: outCount)) }
        outCount = 0
    }

    /// Encodes more binary bytes.
    func write(_ input: UnsafeRawBufferPointer) throws {
        guard input.count > 0 else { return }
        try Armor.alphabet.withUnsafeBufferPointer { table in
            var i = 0
            if carryCount > 0 {
                let take = min(Armor.bytesPerLine - carryCount, input.count)
                (carry + carryCount).copyMemory(from: input.baseAddress!, byteCount: take)
                carryCount += take; i = take
                // A full carry is emitted only when more input follows, so finish() always has a last line.
                guard carryCount == Armor.bytesPerLine, i < input.count else { return }
                try emitLine(UnsafeRawBufferPointer(start: carry, count: Armor.bytesPerLine), table: table)
                carryCount = 0
            }
            while input.count - i > Armor.bytesPerLine {
                try emitLine(UnsafeRawBufferPointer(rebasing: input[i..<(i + Armor.bytesPerLine)]), table: table)
                i += Armor.bytesPerLine
            }
            if i < input.count {
                carry.copyMemory(from: input.baseAddress! + i, byteCount: input.count - i)
                carryCount = input.count - i
            }
        }
    }

    /// Writes the last data line and the END line, and flushes.
    func finish() throws {
        try Armor.alphabet.withUnsafeBufferPointer { table in
            if carryCount > 0 { try emitLine(UnsafeRawBufferPointer(start: carry, count: carryCount), table: table) }
            carryCount = 0
        }
        if outCount + Armor.end.count + 1 > outCapacity { try flush() }
        Armor.end.withUnsafeBytes { (out + outCount).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        outCount += Armor.end.count
        out.storeBytes(of: 0x0A, toByteOffset: outCount, as: UInt8.self)
        outCount += 1
        try flush()
    }
}

/// Decodes armor as a byte source, strictly (current age spec): whitespace-only lines
/// (≤ 1024 bytes) before BEGIN and only whitespace after END; LF or CRLF line ends;
/// exact labels; every data line but the last exactly 64 columns decoding to 48 bytes;
/// the last 1…64 columns; no empty lines, no spaces, canonical padded base64.
final class ArmorReader: ByteSource {
    private enum State { case leading, body, expectEnd, done }
    private let source: BufferedSource
    private let ledger: BufferLedger
    private var state = State.leading
    private let pending: UnsafeMutableRawPointer
    private var pendingStart = 0
    private var pendingEnd = 0
    private let table = Armor.decodeTable

    init(_ source: BufferedSource, ledger: BufferLedger) {
        self.source = source
        self.ledger = ledger
        pending = ledger.allocate(Armor.bytesPerLine)
    }

    deinit { ledger.release(pending, count: Armor.bytesPerLine) }

    func read(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        var written = 0
        while written < out.count {
            if pendingEnd > pendingStart {
                let n = min(pendingEnd - pendingStart, out.count - written)
                (out.baseAddress! + written).copyMemory(from: pending + pendingStart, byteCount: n)
                pendingStart += n; written += n
                continue
            }
            if state == .done { break }
            if out.count - written >= Armor.bytesPerLine {
                written += try decodeNextLine(into: out.baseAddress! + written)
            } else {
                pendingStart = 0
                pendingEnd = try decodeNextLine(into: pending)
            }
        }
        return written
    }

    /// The next line without its LF and one optional CR.
    private func nextLine() throws -> BufferedSource.Line? {
        guard var line = try source.readLine() else { return nil }
        guard !line.overlong else { throw AgeError.armorFailure("armor line too long") }
        if line.bytes.last == 0x0D { line.bytes = UnsafeRawBufferPointer(rebasing: line.bytes.dropLast()) }
        return line
    }

    /// Processes one line; returns the decoded bytes written to `out` (0 for non-data lines).
    private func decodeNextLine(into out: UnsafeMutableRawPointer) throws -> Int {
        switch state {
        case .leading:
            var skipped = 0
            while true {
                guard let line = try nextLine() else { throw AgeError.armorFailure("no BEGIN line") }
                if line.bytes.allSatisfy(Armor.isWhitespace) {
                    skipped += line.bytes.count + 1
                    guard skipped <= Armor.maxWhitespace else { throw AgeError.armorFailure("too much whitespace before BEGIN line") }
                    continue
                }
                guard line.bytes.elementsEqual(Armor.begin) else { throw AgeError.armorFailure("invalid first line (expected BEGIN AGE ENCRYPTED FILE)") }
                state = .body
                return 0
            }
        case .body:
            guard let line = try nextLine() else { throw AgeError.armorFailure("missing END line") }
            if line.bytes.elementsEqual(Armor.end) { try finishTrailing(); return 0 }
            guard !line.bytes.isEmpty else { throw AgeError.armorFailure("empty line inside armor") }
            guard line.bytes.count <= Armor.columns else { throw AgeError.armorFailure("armor line longer than 64 columns") }
            guard let n = table.withUnsafeBufferPointer({ Armor.decodeLine(line.bytes, into: out, table: $0) }) else {
                throw AgeError.armorFailure("armor line is not canonical padded base64")
            }
            guard line.terminated else { throw AgeError.armorFailure("missing END line") }
            if line.bytes.count < Armor.columns || n < Armor.bytesPerLine { state = .expectEnd }
            return n
        case .expectEnd:
            guard let line = try nextLine(), line.bytes.elementsEqual(Armor.end) else {
                throw AgeError.armorFailure("short armor line not followed by END line")
            }
            try finishTrailing()
            return 0
        case .done:
            return 0
        }
    }

    /// After END: at most 1024 bytes, all whitespace.
    private func finishTrailing() throws {
        state = .done
        var total = 0
        try withUnsafeTemporaryAllocation(byteCount: 512, alignment: 8) { buf in
            while true {
                let n = try source.read(into: buf)
                if n == 0 { break }
                total += n
                guard UnsafeRawBufferPointer(rebasing: buf[..<n]).allSatisfy(Armor.isWhitespace) else {
                    throw AgeError.armorFailure("data after END line")
                }
                guard total <= Armor.maxWhitespace else { throw AgeError.armorFailure("too much whitespace after END line") }
            }
        }
    }
}
