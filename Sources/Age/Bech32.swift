/// BIP173 Bech32 (checksum constant 1, *not* Bech32m), as age uses it for key strings.
///
/// Differences from BIP173 that age makes: no 90-character limit. Everything else is
/// strict: a string is all-lowercase or all-uppercase, the separator is the last `1`,
/// the checksum is computed over the lowercase form, and the 5→8-bit regrouping
/// rejects more than 4 padding bits or non-zero padding.
enum Bech32 {
    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, c) in charset.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()
    private static let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
    /// The Bech32m constant, recognised only to give a precise error.
    private static let bech32mConstant: UInt32 = 0x2bc8_30a3

    /// Why a string is not valid Bech32.
    enum Failure: Error, Equatable {
        case invalidCharacter, mixedCase, missingSeparator, tooShort, bech32mChecksum, badChecksum, badPadding
    }

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        var chk: UInt32 = 1
        for v in values {
            let top = chk >> 25
            chk = (chk & 0x1ff_ffff) << 5 ^ UInt32(v)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { chk ^= generator[i] }
        }
        return chk
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Encodes `data` under `hrp`. The result is lowercase, or uppercase when `hrp` is
    /// uppercase (age writes identities as `AGE-SECRET-KEY-1…`).
    static func encode(hrp: String, data: [UInt8]) -> String {
        let upper = hrp.utf8.contains { $0 >= 65 && $0 <= 90 }
        let lowHRP = Array(hrp.lowercased().utf8)
        // 8 → 5 bits with zero padding.
        var values: [UInt8] = []
        values.reserveCapacity((data.count * 8 + 4) / 5 + 6)
        var acc: UInt32 = 0, bits = 0
        for b in data {
            acc = (acc << 8 | UInt32(b)) & 0xfff
            bits += 8
            while bits >= 5 { bits -= 5; values.append(UInt8((acc >> UInt32(bits)) & 31)) }
        }
        if bits > 0 { values.append(UInt8((acc << UInt32(5 - bits)) & 31)) }
        let mod = polymod(expand(lowHRP) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        for i in 0..<6 { values.append(UInt8((mod >> UInt32(5 * (5 - i))) & 31)) }
        var out = lowHRP
        out.append(UInt8(ascii: "1"))
        out += values.map { charset[Int($0)] }
        let s = String(decoding: out, as: UTF8.self)
        return upper ? s.uppercased() : s
    }

    /// Decodes `string`, returning the human-readable part exactly as written (so the
    /// caller can insist on a case) and the data bytes.
    static func decode(_ string: String) throws(Failure) -> (hrp: String, data: [UInt8]) {
        let bytes = Array(string.utf8)
        var hasLower = false, hasUpper = false
        for c in bytes {
            guard c >= 33 && c <= 126 else { throw .invalidCharacter }
            if c >= 97 && c <= 122 { hasLower = true }
            if c >= 65 && c <= 90 { hasUpper = true }
        }
        if hasLower && hasUpper { throw .mixedCase }
        let lower = bytes.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
        guard let sep = lower.lastIndex(of: UInt8(ascii: "1")) else { throw .missingSeparator }
        guard sep >= 1, lower.count - sep - 1 >= 6 else { throw .tooShort }
        var values: [UInt8] = []
        values.reserveCapacity(lower.count - sep - 1)
        for c in lower[(sep + 1)...] {
            guard c < 128, reverse[Int(c)] >= 0 else { throw .invalidCharacter }
            values.append(UInt8(reverse[Int(c)]))
        }
        let check = polymod(expand(Array(lower[..<sep])) + values)
        if check == bech32mConstant { throw .bech32mChecksum }
        guard check == 1 else { throw .badChecksum }
        // 5 → 8 bits, strict padding.
        var data: [UInt8] = []
        data.reserveCapacity((values.count - 6) * 5 / 8)
        var acc: UInt32 = 0, bits = 0
        for v in values.dropLast(6) {
            acc = (acc << 5 | UInt32(v)) & 0xfff
            bits += 5
            if bits >= 8 { bits -= 8; data.append(UInt8((acc >> UInt32(bits)) & 0xff)) }
        }
        guard bits <= 4, acc & ((1 << UInt32(bits)) - 1) == 0 else { throw .badPadding }
        return (String(decoding: bytes[..<sep], as: UTF8.self), data)
    }
}

extension Bech32.Failure: CustomStringConvertible {
    var description: String {
        switch self {
        case .invalidCharacter: return "invalid character"
        case .mixedCase: return "mixed upper and lower case"
        case .missingSeparator: return "missing separator '1'"
        case .tooShort: return "too short"
        case .bech32mChecksum: return "Bech32m checksum (age uses Bech32)"
        case .badChecksum: return "invalid checksum"
        case .badPadding: return "invalid padding bits"
        }
    }
}
