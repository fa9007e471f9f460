import CSodium

/// Strict standard-alphabet base64 through libsodium: canonical input only (no stray
/// bytes, no non-zero trailing bits), padded or unpadded as the format requires.
public enum Base64 {
    /// Padded (`=`) form, used by minisign and age armor.
    case padded
    /// Unpadded form, used in age headers.
    case unpadded

    private var variant: Int32 {
        switch self {
        case .padded: return sodium_base64_VARIANT_ORIGINAL
        case .unpadded: return sodium_base64_VARIANT_ORIGINAL_NO_PADDING
        }
    }

    /// Encodes bytes.
    public func encode<C: ContiguousBytesLike>(_ bytes: C) -> String {
        Library.ensureInitialized()
        return bytes.withBytes { b in
            let len = sodium_base64_encoded_len(b.count, variant)
            var out = [UInt8](repeating: 0, count: len)
            out.withUnsafeMutableBytes { o in
                _ = sodium_bin2base64(o.bindMemory(to: CChar.self).baseAddress!, len,
                                      b.count > 0 ? b.bindMemory(to: UInt8.self).baseAddress! : nil, b.count, variant)
            }
            return String(decoding: out[0..<(len - 1)], as: UTF8.self)
        }
    }

    /// Decodes canonical base64; nil for anything else (padding errors, whitespace,
    /// non-zero trailing bits, bytes outside the alphabet). Empty input decodes to [].
    public func decode<C: ContiguousBytesLike>(_ text: C) -> [UInt8]? { decode(text, ignoringWhitespace: false) }

    /// Decodes bytes; with `ignoringWhitespace`, spaces, tabs and line ends anywhere are
    /// skipped (XML's base64Binary allows them) without copying the text first.
    public func decode<C: ContiguousBytesLike>(_ text: C, ignoringWhitespace: Bool) -> [UInt8]? {
        Library.ensureInitialized()
        return text.withBytes { t -> [UInt8]? in
            if t.count == 0 { return [] }
            var out = [UInt8](repeating: 0, count: t.count * 3 / 4 + 3)
            var binLen = 0
            var end: UnsafePointer<CChar>? = nil
            let rc = out.withUnsafeMutableBytes { o in
                sodium_base642bin(o.bindMemory(to: UInt8.self).baseAddress!, o.count,
                                  t.bindMemory(to: CChar.self).baseAddress!, t.count,
                                  ignoringWhitespace ? " \t\r\n" : nil, &binLen, &end, variant)
            }
            guard rc == 0, let e = end, e == t.bindMemory(to: CChar.self).baseAddress! + t.count else { return nil }
            out.removeSubrange(binLen...)
            return out
        }
    }

    /// Decodes a `String`'s UTF-8 bytes.
    public func decode(_ text: String) -> [UInt8]? { decode(Array(text.utf8)) }
}

/// Byte containers the encoders accept without copying.
public protocol ContiguousBytesLike {
    /// Calls `body` with the bytes.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytesLike where Element == UInt8 {
    /// Calls `body` with the array's bytes.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try withUnsafeBytes(body) }
}

extension ArraySlice: ContiguousBytesLike where Element == UInt8 {
    /// Calls `body` with the slice's bytes.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try withUnsafeBytes(body) }
}

extension UnsafeRawBufferPointer: ContiguousBytesLike {
    /// Calls `body` with the buffer itself.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try body(self) }
}
