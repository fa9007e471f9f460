import Age
import Foundation
import Minisign
import Sodium

/// The verifier's manifest step: paths safe and unique, files present and regular, each
/// SHA-512 computed once (tag files from the very bytes kept for parsing) and compared
/// with its manifest line; payload digests may be deferred to decryption.
extension BundleVerifier {
    static func safe(_ p: String) -> Bool {
        !p.isEmpty && !p.hasPrefix("/") && !p.contains("\\") && !p.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    /// Checks the entries of manifest `name`: safe, unique paths of regular files whose
    /// SHA-512 matches — tag files hashed from the bytes `files` keeps for parsing,
    /// payloads hashed once each. Entries for which `deferring` holds are checked for
    /// everything but the digest and returned (path → expected hex) for `decrypt` or
    /// `hashDeferred`. `sizes` gets the number of bytes hashed per path.
    @discardableResult
    static func checkManifest(_ files: BundleFiles, _ entries: [(path: String, sha512: String)], present: Set<String>, required: [String],
                                      name: String, tagFiles: Bool, deferring: (String) -> Bool = { _ in false },
                                      sizes: inout [String: Int], _ r: inout VerificationReport) -> [String: String] {
        var seen = Set<String>()
        var deferred: [String: String] = [:]
        for e in entries {
            guard safe(e.path), seen.insert(e.path).inserted else { r.add(name, false, "unsafe or duplicate path '\(e.path)'"); continue }
            guard present.contains(e.path) else { r.add(e.path, false, "listed in \(name) but missing"); continue }
            if deferring(e.path) {
                deferred[e.path] = e.sha512
                continue
            }
            if tagFiles && !e.path.contains("/") {
                switch files.tagFile(e.path) {
                case .success(let bytes):
                    sizes[e.path] = bytes.count
                    reportDigest(e.path, Hex.encode(SHA512.hash(bytes)), expected: e.sha512, name: name, &r)
                case .failure(let error): r.add(e.path, false, error.message)
                }
            } else {
                reportDigest(e.path, sha512(files, e.path, sizes: &sizes), expected: e.sha512, name: name, &r)
            }
        }
        for f in required where !seen.contains(f) { r.add(f, false, "not listed in \(name)") }
        return deferred
    }

    /// The hex SHA-512 of bundle file `path`, read once through one descriptor; nil when
    /// it cannot be opened (a link, a special file) or read.
    static func sha512(_ files: BundleFiles, _ path: String, sizes: inout [String: Int]) -> String? {
        guard let fd = try? files.open(path) else { return nil }
        defer { close(fd) }
        var h = SHA512()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        var st = stat()
        WorkProgress.shared.begin(path, total: fstat(fd, &st) == 0 ? Int64(st.st_size) : 0)
        while true {
            let n = Foundation.read(fd, buffer.baseAddress!, buffer.count)
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            h.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            WorkProgress.shared.advance(n)
            total += n
        }
        sizes[path] = total
        return Hex.encode(h.finalize())
    }

    static func reportDigest(_ path: String, _ digest: String?, expected: String, name: String, _ r: inout VerificationReport) {
        guard let digest else { r.add(path, false, "unreadable, a link or not a regular file"); return }
        r.add(path, digest == expected, digest == expected ? "SHA-512 matches \(name)" : "SHA-512 differs from \(name): the file was altered")
    }

    /// Checks the digests of deferred payload entries that no decryption hashed.
    static func hashDeferred(_ files: BundleFiles, _ deferred: inout [String: String], sizes: inout [String: Int], _ r: inout VerificationReport) {
        for (path, expected) in deferred.sorted(by: { $0.key < $1.key }) {
            reportDigest(path, sha512(files, path, sizes: &sizes), expected: expected, name: "manifest-sha512.txt", &r)
        }
        deferred = [:]
    }

}
