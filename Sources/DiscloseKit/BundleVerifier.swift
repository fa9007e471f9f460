import Age
import Foundation
import Minisign
import Sodium

/// The outcome of verifying a bundle: every check with its result, so the authority sees
/// exactly what held and what did not.
public struct VerificationReport: Sendable {
    /// One check.
    public struct Check: Sendable {
        /// What was checked (a file or a property).
        public var name: String
        /// Whether it held.
        public var ok: Bool
        /// Details or the reason it failed.
        public var detail: String
    }

    /// All checks, in the order made.
    public var checks: [Check] = []
    /// Bundle id, when readable.
    public var bundleID: String?
    /// Request id, when readable.
    public var requestID: String?
    /// Files extracted (with --extract).
    public var extracted: [String] = []

    /// True when every check held.
    public var ok: Bool { !checks.isEmpty && checks.allSatisfy(\.ok) }

    mutating func add(_ name: String, _ ok: Bool, _ detail: String) { checks.append(Check(name: name, ok: ok, detail: detail)) }

    /// The report as JSON.
    public var json: JSONOutput {
        .object([("ok", .bool(ok)), ("bundle_id", .optional(bundleID)), ("request_id", .optional(requestID)),
                 ("checks", .array(checks.map { .object([("check", .string($0.name)), ("ok", .bool($0.ok)), ("detail", .string($0.detail))]) })),
                 ("extracted", .array(extracted.map { .string($0) }))])
    }

    /// The report as text.
    public var text: String {
        var out = "Bundle \(bundleID ?? "?") for request \(requestID ?? "?")\n"
        for c in checks { out += "  [\(c.ok ? "ok  " : "FAIL")] \(c.name): \(c.detail)\n" }
        out += ok ? "VERIFIED: every check holds.\n" : "NOT VERIFIED: \(checks.filter { !$0.ok }.count) check(s) failed. Do not rely on this bundle; discard anything extracted from it.\n"
        return out
    }
}

/// `verify`: what a receiving authority checks — the provider signature, both BagIt
/// manifests, that no file is missing, added or a link, the approvals against the
/// embedded approver keys and the plan digest; with an identity, decryption (released
/// only after authentication), plaintext digests and the declared fields of every record.
public enum BundleVerifier {
    static let tagFiles = ["bagit.txt", "bag-info.txt", "manifest-sha512.txt", "disclosure.json", "VERIFY.txt"]
    static let topLevel = Set(tagFiles + ["tagmanifest-sha512.txt", "tagmanifest-sha512.txt.minisig", "data"])

    /// Verifies the bundle at `path` signed by `signer`; decrypts with `identities` when
    /// given, writing plaintext into `extractTo` only when asked.
    public static func verify(bundle path: String, signer: PublicKey, identities: [Identity], extractTo: String?) -> VerificationReport {
        var r = VerificationReport()
        let root = (path as NSString).standardizingPath
        var st = stat()
        guard lstat(root, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            r.add("bundle", false, "\(path) is not a directory (a tar must be unpacked first)")
            return r
        }

        // 1. The file tree: regular files only, nothing unexpected at the top.
        var files: [String] = []
        var treeProblems: [String] = []
        walk(root, "", &files, &treeProblems)
        for f in files where !f.contains("/") && !topLevel.contains(f) { treeProblems.append("unexpected file \(f)") }
        r.add("file tree", treeProblems.isEmpty, treeProblems.isEmpty ? "\(files.count) regular files, no links or special files" : treeProblems.joined(separator: "; "))

        // 2. Provider signature over the tag manifest.
        guard let tagManifest = read(root, "tagmanifest-sha512.txt", &r), let sigBytes = read(root, "tagmanifest-sha512.txt.minisig", &r) else { return r }
        do {
            let sig = try Signature(fileContents: sigBytes)
            let comment = try signer.verify(sig, message: tagManifest)
            r.add("provider signature", true, "tagmanifest-sha512.txt signed by key \(signer.keyID); trusted comment: \(comment)")
        } catch {
            r.add("provider signature", false, "tagmanifest-sha512.txt: \(error)")
            return r
        }

        // 3. Tag manifest: every tag file listed and intact.
        guard let tagEntries = BagIt.parseManifest(String(decoding: tagManifest, as: UTF8.self)) else {
            r.add("tagmanifest-sha512.txt", false, "malformed manifest line"); return r
        }
        checkManifest(root, tagEntries, required: tagFiles, name: "tagmanifest-sha512.txt", &r)

        // 4. Payload manifest: every data file listed and intact, none added.
        guard let manifestBytes = read(root, "manifest-sha512.txt", &r),
              let entries = BagIt.parseManifest(String(decoding: manifestBytes, as: UTF8.self)) else {
            r.add("manifest-sha512.txt", false, "missing or malformed"); return r
        }
        // With an identity, the encrypted payloads are hashed while they are decrypted
        // (one read, the SHA-512 on its own thread) instead of in a pass of their own.
        var deferred = checkManifest(root, entries, required: [], name: "manifest-sha512.txt",
                                     deferring: { !identities.isEmpty && $0.hasSuffix(".age") }, &r)
        let listed = Set(entries.map(\.path))
        let dataFiles = files.filter { $0.hasPrefix("data/") }
        let unlisted = dataFiles.filter { !listed.contains($0) }
        r.add("payload completeness", unlisted.isEmpty, unlisted.isEmpty ? "every file under data/ is in the manifest" : "files not in the manifest: \(unlisted.joined(separator: ", "))")
        if let info = read(root, "bag-info.txt", &r) {
            let total = entries.reduce(0) { acc, e in acc + (fileSize(root + "/" + e.path) ?? 0) }
            let oxum = "Payload-Oxum: \(total).\(entries.count)"
            let text = String(decoding: info, as: UTF8.self)
            r.add("bag-info.txt", text.contains(oxum + "\n"), text.contains(oxum + "\n") ? oxum : "Payload-Oxum does not match the payload (\(total) bytes, \(entries.count) files)")
        }
        if let decl = read(root, "bagit.txt", &r) {
            r.add("bagit.txt", decl == Array(BagIt.declaration.utf8), "BagIt 1.0, UTF-8")
        }

        // 5. disclosure.json and the approvals.
        guard let discBytes = read(root, "disclosure.json", &r), let disclosure = try? DocumentJSON.parse(discBytes, file: "disclosure.json", limit: 16 << 20) else {
            r.add("disclosure.json", false, "missing or not valid JSON")
            hashDeferred(root, &deferred, &r)
            return r
        }
        r.bundleID = disclosure["bundle_id"]?.string
        r.requestID = disclosure["request"]?["id"]?.string
        let keyOK = disclosure["provider"]?["signing_key_id"]?.string == signer.keyID.description
        r.add("signing key", keyOK, keyOK ? "disclosure.json names the signer's key id" : "disclosure.json names a different signing key id")
        checkApprovals(disclosure, &r)

        // 6. With an identity: decrypt, digests, declared fields.
        if !identities.isEmpty {
            checkPayloads(root, disclosure, identities: identities, extractTo: extractTo, deferred: &deferred, &r)
        }
        hashDeferred(root, &deferred, &r)
        return r
    }

    private static func walk(_ root: String, _ rel: String, _ files: inout [String], _ problems: inout [String]) {
        let dir = rel.isEmpty ? root : root + "/" + rel
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { problems.append("cannot list \(rel.isEmpty ? "." : rel)"); return }
        for name in names.sorted() {
            let r = rel.isEmpty ? name : rel + "/" + name
            var st = stat()
            guard lstat(root + "/" + r, &st) == 0 else { problems.append("cannot stat \(r)"); continue }
            switch st.st_mode & S_IFMT {
            case S_IFREG: files.append(r)
            case S_IFDIR:
                if r == "data" { walk(root, r, &files, &problems) } else { problems.append("unexpected directory \(r)") }
            case S_IFLNK: problems.append("\(r) is a symbolic link")
            default: problems.append("\(r) is not a regular file")
            }
        }
    }

    private static func read(_ root: String, _ name: String, _ r: inout VerificationReport) -> [UInt8]? {
        var st = stat()
        guard lstat(root + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { r.add(name, false, "missing (or not a regular file)"); return nil }
        guard let b = try? FileBytes.read(path: root + "/" + name, limit: 16 << 20) else { r.add(name, false, "unreadable or larger than 16 MiB"); return nil }
        return b
    }

    private static func fileSize(_ path: String) -> Int? {
        var st = stat()
        return lstat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    static func safe(_ p: String) -> Bool {
        !p.isEmpty && !p.hasPrefix("/") && !p.contains("\\") && !p.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    /// Checks the entries of manifest `name`: safe, unique paths of regular files whose
    /// SHA-512 matches. Entries for which `deferring` holds are checked for everything but
    /// the digest and returned (path → expected hex) for `decrypt` or `hashDeferred`.
    @discardableResult
    private static func checkManifest(_ root: String, _ entries: [(path: String, sha512: String)], required: [String], name: String,
                                      deferring: (String) -> Bool = { _ in false }, _ r: inout VerificationReport) -> [String: String] {
        var seen = Set<String>()
        var deferred: [String: String] = [:]
        for e in entries {
            guard safe(e.path), seen.insert(e.path).inserted else { r.add(name, false, "unsafe or duplicate path '\(e.path)'"); continue }
            var st = stat()
            guard lstat(root + "/" + e.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { r.add(e.path, false, "listed in \(name) but missing"); continue }
            if deferring(e.path) {
                deferred[e.path] = e.sha512
                continue
            }
            reportDigest(e.path, sha512(ofFile: root + "/" + e.path), expected: e.sha512, name: name, &r)
        }
        for f in required where !seen.contains(f) { r.add(f, false, "not listed in \(name)") }
        return deferred
    }

    /// The hex SHA-512 of the file at `path`, nil when it cannot be read.
    private static func sha512(ofFile path: String) -> String? {
        guard let fh = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? fh.close() }
        var h = SHA512()
        WorkProgress.shared.begin((path as NSString).lastPathComponent, total: WorkProgress.size(of: [URL(fileURLWithPath: path)]))
        while let chunk = try? fh.read(upToCount: 1 << 20), !chunk.isEmpty { chunk.withUnsafeBytes { h.update($0) }; WorkProgress.shared.advance(chunk.count) }
        return Hex.encode(h.finalize())
    }

    private static func reportDigest(_ path: String, _ digest: String?, expected: String, name: String, _ r: inout VerificationReport) {
        guard let digest else { r.add(path, false, "unreadable"); return }
        r.add(path, digest == expected, digest == expected ? "SHA-512 matches \(name)" : "SHA-512 differs from \(name): the file was altered")
    }

    /// Checks the digests of deferred payload entries that no decryption hashed.
    private static func hashDeferred(_ root: String, _ deferred: inout [String: String], _ r: inout VerificationReport) {
        for (path, expected) in deferred.sorted(by: { $0.key < $1.key }) {
            reportDigest(path, sha512(ofFile: root + "/" + path), expected: expected, name: "manifest-sha512.txt", &r)
        }
        deferred = [:]
    }

    /// Decrypts the bundle file `file`, passing authenticated plaintext to `write`. When
    /// the file's manifest digest was deferred, the ciphertext is hashed as it is read
    /// (the rest of the file too, if decryption stops early) and the manifest check is
    /// reported here; returns whether it held (true when nothing was deferred).
    private static func decrypt(_ root: String, _ file: String, _ decryptor: Decryptor, deferred: inout [String: String],
                                _ r: inout VerificationReport, write: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let fd = open(root + "/" + file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw InputError(file: file, message: "missing or unreadable") }
        defer { close(fd) }
        WorkProgress.shared.begin(file, total: WorkProgress.size(of: [URL(fileURLWithPath: root + "/" + file)]))
        guard let expected = deferred.removeValue(forKey: file) else {
            try decryptor.decrypt(fileDescriptor: fd, writing: write)
            return true
        }
        let sha = try PipelinedDigest(SHA512(), label: "disclose.verify.sha512")
        var readFailed = false
        func readHashing(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            guard buffer.count > 0 else { return 0 }
            while true {
                let n = Foundation.read(fd, buffer.baseAddress!, buffer.count)
                if n > 0 { sha.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
                if n >= 0 { return n }
                if errno == EINTR { continue }
                readFailed = true
                throw InputError(file: file, message: "read failed: \(String(cString: strerror(errno)))")
            }
        }
        var failure: Error?
        do { try decryptor.decrypt(reading: readHashing, writing: write) } catch { failure = error }
        if failure != nil && !readFailed {
            // Decryption stopped early: the manifest check still covers the whole file.
            let rest = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { rest.deallocate() }
            while (try? readHashing(rest)).map({ $0 > 0 }) == true {}
        }
        let digest = sha.finalize()
        reportDigest(file, readFailed ? nil : Hex.encode(digest), expected: expected, name: "manifest-sha512.txt", &r)
        if let failure { throw failure }
        return Hex.encode(digest) == expected
    }

    private static func checkApprovals(_ d: DocumentJSON.Node, _ r: inout VerificationReport) {
        guard let planSHA = d["plan"]?["sha512"]?.string, let blake = d["plan"]?["blake2b512"]?.string.flatMap(Hex.decode), blake.count == 64 else {
            r.add("approvals", false, "disclosure.json has no plan digest"); return
        }
        let required = d["approvals_required"]?["count"]?.int ?? Int.max
        let roles = d["approvals_required"]?["roles"]?.elements.compactMap(\.string) ?? []
        var approvedRoles: [String] = []
        var keys = Set<String>()
        for (i, a) in (d["approvals"]?.elements ?? []).enumerated() {
            let label = "approval \(i + 1) (\(a["role"]?.string ?? "?"), key \(a["key_id"]?.string ?? "?"))"
            guard let keyText = a["public_key"]?.string, let key = try? PublicKey(base64: keyText),
                  let sigText = a["signature"]?.string, let sig = try? Signature(fileContents: sigText) else {
                r.add(label, false, "unreadable key or signature"); continue
            }
            do {
                let comment = try key.verify(sig, prehash: blake)
                guard let approval = Approval.parse(trustedComment: comment, signature: sig), approval.planDigest == planSHA else {
                    r.add(label, false, "signature is valid but does not approve this plan"); continue
                }
                guard approval.verdict == .approve else { r.add(label, false, "this reviewer REJECTED the plan"); continue }
                guard keys.insert(key.base64).inserted else { r.add(label, false, "same key counted twice"); continue }
                approvedRoles.append(a["role"]?.string ?? "")
                r.add(label, true, "valid signature over plan \(planSHA.prefix(16))… by key \(key.keyID), \(approval.time)")
            } catch {
                r.add(label, false, "signature does not verify: \(error)")
            }
        }
        let missingRoles = roles.filter { !approvedRoles.contains($0) }
        let ok = approvedRoles.count >= required && missingRoles.isEmpty
        r.add("approvals", ok, ok ? "\(approvedRoles.count) valid approval(s) of the plan; required \(required) (\(roles.joined(separator: ", ")))"
                                  : "\(approvedRoles.count) valid approval(s), \(required) required\(missingRoles.isEmpty ? "" : "; missing roles: \(missingRoles.joined(separator: ", "))")")
    }

    private static func checkPayloads(_ root: String, _ d: DocumentJSON.Node, identities: [Identity], extractTo: String?,
                                      deferred: inout [String: String], _ r: inout VerificationReport) {
        let decryptor = Decryptor(identities: identities)
        guard let recordFile = d["record_file"]?.string, safe(recordFile) else { r.add("disclosure record", false, "not named in disclosure.json"); return }
        var recordBytes: [UInt8] = []
        do {
            let intact = try decrypt(root, recordFile, decryptor, deferred: &deferred, &r) { b in
                guard recordBytes.count + b.count <= 256 << 20 else { throw AgeError.io("disclosure record larger than 256 MiB") }
                recordBytes.append(contentsOf: b)
            }
            guard intact else { r.add(recordFile, false, "decrypted, but the file is not the one the manifest lists"); return }
        } catch {
            r.add(recordFile, false, "cannot decrypt: \(error)"); return
        }
        guard let record = try? DocumentJSON.parse(recordBytes, file: recordFile, limit: 256 << 20), let plan = record["plan_document"]?.string else {
            r.add(recordFile, false, "decrypted, but not a disclosure record"); return
        }
        let planBytes = Array(plan.utf8)
        let planOK = PlanDigest.hex(planBytes) == d["plan"]?["sha512"]?.string && Hex.encode(BLAKE2b.hash(planBytes)) == d["plan"]?["blake2b512"]?.string
        r.add(recordFile, planOK, planOK ? "decrypted; the embedded plan is the approved plan" : "the embedded plan does not match the approved plan digest")
        if let out = extractTo {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                try AtomicFile.write(recordBytes, to: out + "/record.json", mode: 0o600, overwrite: false)
                r.extracted.append(out + "/record.json")
                if planOK {   // the readable summary, from the authenticated record only
                    try AtomicFile.write(Array(DisclosureSummary.html(record: record).utf8), to: out + "/summary.html", mode: 0o600, overwrite: false)
                    r.extracted.append(out + "/summary.html")
                }
            } catch { r.add("extract", false, "\(error)") }
        }
        let digests = Dictionary((record["datasets"]?.elements ?? []).compactMap { ds -> (String, String)? in
            guard let f = ds["file"]?.string, let h = ds["plaintext_blake2b512"]?.string else { return nil }
            return (f, h)
        }, uniquingKeysWith: { a, _ in a })
        for ds in d["datasets"]?.elements ?? [] {
            guard let file = ds["file"]?.string, safe(file), file.hasPrefix("data/") else { continue }
            var declared = Set<String>()
            for key in ["disclosed", "pseudonymized", "masked", "ip_prefix"] {
                for f in ds[key]?.elements ?? [] { if let p = f["field"]?.string { declared.insert(p) } }
            }
            let csv = ds["format"]?.string == "csv"
            let checker = FieldChecker(declared: declared, csv: csv)
            let name = String((file as NSString).lastPathComponent.dropLast(4))
            var writer: HashingFileWriter? = nil
            var temp: String? = nil
            do {
                let hash = try PipelinedBLAKE2b512()
                if let out = extractTo {
                    temp = out + "/." + name + ".partial"
                    writer = try HashingFileWriter(path: temp!, mode: 0o600)
                }
                let intact = try decrypt(root, file, decryptor, deferred: &deferred, &r) { b in
                    WorkProgress.shared.advance(b.count)
                    hash.update(b)
                    try checker.feed(b)
                    try writer?.write(b)
                }
                guard intact else {
                    r.add(file, false, "decrypted, but the file is not the one the manifest lists"); if let t = temp { unlink(t) }; continue
                }
                try checker.finish()
                let digest = Hex.encode(hash.finalize())
                guard digest == digests[file] else {
                    r.add(file, false, "decrypted, but the plaintext BLAKE2b-512 differs from the disclosure record"); if let t = temp { unlink(t) }; continue
                }
                if let w = writer, let t = temp, let out = extractTo {
                    _ = try w.finish()
                    guard link(t, out + "/" + name) == 0 else { unlink(t); throw InputError(file: out + "/" + name, message: "exists already; not overwritten") }
                    unlink(t)
                    r.extracted.append(out + "/" + name)
                }
                r.add(file, true, "decrypted and authenticated; plaintext BLAKE2b-512 matches; " + (csv ? "the header holds only declared columns" : "\(checker.records) record(s) hold only declared fields"))
            } catch {
                if let t = temp { unlink(t) }
                r.add(file, false, "\(error)")
            }
        }
    }
}
