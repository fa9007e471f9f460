import Age
import Foundation
import Minisign
import Sodium

/// `verify`: what a receiving authority checks — the provider signature, both BagIt
/// manifests, that no file is missing, added or a link, the approvals against the
/// embedded approver keys and the plan digest; with an identity, decryption (released
/// only after authentication), plaintext digests and the declared fields of every record.
///
/// Every file is opened once, relative to the bundle's directory descriptor and never
/// through a link (`BundleFiles`): the tag files are read whole and the bytes hashed are
/// the bytes parsed; each payload is hashed exactly once, while it is decrypted when an
/// identity is given.
public enum BundleVerifier {
    static let tagFiles = ["bagit.txt", "bag-info.txt", "manifest-sha512.txt", "disclosure.json", "VERIFY.txt", CustodianCertificate.fileName]
    static let topLevel = Set(tagFiles + ["tagmanifest-sha512.txt", "tagmanifest-sha512.txt.minisig", "data"])

    /// Verifies the bundle at `path` signed by `signer`; decrypts with `identities` when
    /// given, extracting plaintext into the new directory `extractTo` when asked — under
    /// its final names only if every check held. Throws (a usage error) when `path` is
    /// not a bundle directory or `extractTo` cannot be created new.
    public static func verify(bundle path: String, signer: PublicKey, identities: [Identity], extractTo: String?) throws -> VerificationReport {
        let directory: DirectoryHandle
        do { directory = try DirectoryHandle(path: path) } catch let e as InputError {
            throw InputError(file: path, message: e.message == "is not a directory" ? "is not a directory (a bundle is a directory)" : e.message,
                             hint: e.message == "is not a directory" ? "a tar bundle must be unpacked first: tar -xf FILE" : "give the bundle directory that disclose export wrote")
        }
        let extraction = try extractTo.map { try ExtractionDirectory(creating: $0) }
        var r = check(BundleFiles(root: directory), signer: signer, identities: identities, extraction: extraction)
        if let extraction {
            if r.ok {
                do { r.extracted = try extraction.placeAll() } catch { r.add("extract", false, "\(error)") }
            } else {
                extraction.discard()
            }
        }
        return r
    }

    private static func check(_ files: BundleFiles, signer: PublicKey, identities: [Identity], extraction: ExtractionDirectory?) -> VerificationReport {
        var r = VerificationReport()

        // 1. The file tree: regular files only, nothing unexpected at the top.
        let (tree, treeProblems) = files.tree()
        var problems = treeProblems
        for f in tree where !f.contains("/") && !topLevel.contains(f) { problems.append("unexpected file \(f)") }
        r.add("file tree", problems.isEmpty, problems.isEmpty ? "\(tree.count) regular files, no links or special files" : problems.joined(separator: "; "))
        let present = Set(tree)

        // 2. Provider signature over the tag manifest.
        guard let tagManifest = read(files, "tagmanifest-sha512.txt", &r), let sigBytes = read(files, "tagmanifest-sha512.txt.minisig", &r) else { return r }
        do {
            let sig = try Signature(fileContents: sigBytes)
            let comment = try signer.verify(sig, message: tagManifest)
            r.add("provider signature", true, "tagmanifest-sha512.txt signed by key \(signer.keyID); trusted comment: \(comment)")
        } catch {
            r.add("provider signature", false, "tagmanifest-sha512.txt: \(error)")
            return r
        }

        // 3. Tag manifest: every tag file listed and intact (hashed from the bytes kept).
        guard let tagEntries = BagIt.parseManifest(String(decoding: tagManifest, as: UTF8.self)) else {
            r.add("tagmanifest-sha512.txt", false, "malformed manifest line"); return r
        }
        var sizes: [String: Int] = [:]
        checkManifest(files, tagEntries, present: present, required: tagFiles, name: "tagmanifest-sha512.txt", tagFiles: true, sizes: &sizes, &r)

        // 4. Payload manifest: every data file listed and intact, none added.
        guard case .success(let manifestBytes) = files.tagFile("manifest-sha512.txt"),
              let entries = BagIt.parseManifest(String(decoding: manifestBytes, as: UTF8.self)) else {
            r.add("manifest-sha512.txt", false, "missing or malformed"); return r
        }
        // With an identity, the encrypted payloads are hashed while they are decrypted
        // (one read, the SHA-512 on its own thread) instead of in a pass of their own.
        var deferred = checkManifest(files, entries, present: present, required: [], name: "manifest-sha512.txt", tagFiles: false,
                                     deferring: { !identities.isEmpty && $0.hasSuffix(".age") }, sizes: &sizes, &r)
        let listed = Set(entries.map(\.path))
        let unlisted = tree.filter { $0.hasPrefix("data/") && !listed.contains($0) }
        r.add("payload completeness", unlisted.isEmpty, unlisted.isEmpty ? "every file under data/ is in the manifest" : "files not in the manifest: \(unlisted.joined(separator: ", "))")
        // The custodian's certificate: the bytes checked against the tag manifest are the bytes parsed.
        var certified: [CustodianCertificate.Entry]? = nil
        if let cert = read(files, CustodianCertificate.fileName, &r) {
            certified = CustodianCertificate.check(cert, tagManifest: tagEntries, manifest: entries, &r)
        }
        if let decl = read(files, "bagit.txt", &r) {
            r.add("bagit.txt", decl == Array(BagIt.declaration.utf8), "BagIt 1.0, UTF-8")
        }

        // 5. disclosure.json and the approvals.
        guard let discBytes = read(files, "disclosure.json", &r) else {
            r.add("disclosure.json", false, "missing or not valid JSON")
            hashDeferred(files, &deferred, sizes: &sizes, &r)
            return r
        }
        let disclosure: DisclosureDocument
        do { disclosure = try DisclosureDocument.read(discBytes, file: "disclosure.json") } catch {
            r.add("disclosure.json", false, "not a disclosure manifest: \(error)")
            hashDeferred(files, &deferred, sizes: &sizes, &r)
            return r
        }
        r.bundleID = disclosure.bundleID
        r.requestID = disclosure.request.id
        // [{recipient, role}] (bundles before the roles were labelled: plain strings).
        r.recipients = disclosure.recipients.map(\.recipient)
        let keyOK = disclosure.provider.signingKeyID == signer.keyID.description
        r.add("signing key", keyOK, keyOK ? "disclosure.json names the signer's key id" : "disclosure.json names a different signing key id")
        checkApprovals(disclosure, &r)
        if disclosure.practice {
            r.practice = true
            r.add("practice", true, "\(Practice.marker) bundle: a rehearsal, not a lawful disclosure")
        }

        // 6. With an identity: decrypt, digests, declared fields.
        if !identities.isEmpty {
            checkPayloads(files, disclosure, identities: identities, extraction: extraction, deferred: &deferred, sizes: &sizes,
                          certified: certified ?? [], &r)
        }
        hashDeferred(files, &deferred, sizes: &sizes, &r)

        // 7. The Payload-Oxum, over the bytes that were hashed.
        if let info = read(files, "bag-info.txt", &r) {
            let total = entries.reduce(0) { $0 + (sizes[$1.path] ?? 0) }
            let oxum = "Payload-Oxum: \(total).\(entries.count)"
            let text = String(decoding: info, as: UTF8.self)
            r.add("bag-info.txt", text.contains(oxum + "\n"), text.contains(oxum + "\n") ? oxum : "Payload-Oxum does not match the payload (\(total) bytes, \(entries.count) files)")
        }
        return r
    }

    /// A tag file's bytes (read once by `files`), or a failed check.
    private static func read(_ files: BundleFiles, _ name: String, _ r: inout VerificationReport) -> [UInt8]? {
        switch files.tagFile(name) {
        case .success(let b): return b
        case .failure(let e):
            r.add(name, false, e.message == "does not exist" || e.message.hasPrefix("is a symbolic link") || e.message == "not a regular file"
                  ? "missing (or not a regular file)" : e.message)
            return nil
        }
    }

    static func safe(_ p: String) -> Bool {
        !p.isEmpty && !p.hasPrefix("/") && !p.contains("\\") && !p.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }

    /// Checks the entries of manifest `name`: safe, unique paths of regular files whose
    /// SHA-512 matches — tag files hashed from the bytes `files` keeps for parsing,
    /// payloads hashed once each. Entries for which `deferring` holds are checked for
    /// everything but the digest and returned (path → expected hex) for `decrypt` or
    /// `hashDeferred`. `sizes` gets the number of bytes hashed per path.
    @discardableResult
    private static func checkManifest(_ files: BundleFiles, _ entries: [(path: String, sha512: String)], present: Set<String>, required: [String],
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
    private static func sha512(_ files: BundleFiles, _ path: String, sizes: inout [String: Int]) -> String? {
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

    private static func reportDigest(_ path: String, _ digest: String?, expected: String, name: String, _ r: inout VerificationReport) {
        guard let digest else { r.add(path, false, "unreadable, a link or not a regular file"); return }
        r.add(path, digest == expected, digest == expected ? "SHA-512 matches \(name)" : "SHA-512 differs from \(name): the file was altered")
    }

    /// Checks the digests of deferred payload entries that no decryption hashed.
    private static func hashDeferred(_ files: BundleFiles, _ deferred: inout [String: String], sizes: inout [String: Int], _ r: inout VerificationReport) {
        for (path, expected) in deferred.sorted(by: { $0.key < $1.key }) {
            reportDigest(path, sha512(files, path, sizes: &sizes), expected: expected, name: "manifest-sha512.txt", &r)
        }
        deferred = [:]
    }

    /// Decrypts the bundle file `file`, passing authenticated plaintext to `write`. When
    /// the file's manifest digest was deferred, the ciphertext is hashed as it is read
    /// (the rest of the file too, if decryption stops early) and the manifest check is
    /// reported here; returns whether it held (true when nothing was deferred).
    private static func decrypt(_ files: BundleFiles, _ file: String, _ decryptor: Decryptor, deferred: inout [String: String],
                                sizes: inout [String: Int], _ r: inout VerificationReport,
                                write: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let fd = try files.open(file)
        defer { close(fd) }
        var st = stat()
        WorkProgress.shared.begin(file, total: fstat(fd, &st) == 0 ? Int64(st.st_size) : 0)
        guard let expected = deferred.removeValue(forKey: file) else {
            try decryptor.decrypt(fileDescriptor: fd, writing: write)
            return true
        }
        let sha = try PipelinedDigest(SHA512(), label: "disclose.verify.sha512")
        var readFailed = false
        var total = 0
        func readHashing(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            guard buffer.count > 0 else { return 0 }
            while true {
                let n = Foundation.read(fd, buffer.baseAddress!, buffer.count)
                if n > 0 { sha.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n])); total += n }
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
        sizes[file] = total
        reportDigest(file, readFailed ? nil : Hex.encode(digest), expected: expected, name: "manifest-sha512.txt", &r)
        if let failure { throw failure }
        return Hex.encode(digest) == expected
    }

    private static func checkApprovals(_ d: DisclosureDocument, _ r: inout VerificationReport) {
        let planSHA = d.plan.sha512
        guard let blake = Hex.decode(d.plan.blake2b512), blake.count == 64 else {
            r.add("approvals", false, "disclosure.json has no plan digest"); return
        }
        let required = d.approvalsRequired.count
        let rule = Policy.ApprovalRule(count: required, roles: d.approvalsRequired.roles)
        var decisions: [ReviewerDecision] = []
        var keys = Set<String>()
        for (i, a) in d.approvals.enumerated() {
            let label = "approval \(i + 1) (\(a.role), key \(a.keyID))"
            guard let key = try? PublicKey(base64: a.publicKey), let sig = try? Signature(fileContents: a.signature) else {
                r.add(label, false, "unreadable key or signature"); continue
            }
            do {
                let comment = try key.verify(sig, prehash: blake)
                guard let approval = Approval.parse(trustedComment: comment, signature: sig) else {
                    r.add(label, false, "unrecognised statement by trusted key \(key.keyID): \(Approval.printable(comment)) (not a Disclose approval; not counted)"); continue
                }
                guard approval.planDigest == planSHA else {
                    r.add(label, false, "signature is valid but does not approve this plan"); continue
                }
                let role = a.role
                decisions.append(ReviewerDecision(keyID: key.keyIDString, name: "approval \(i + 1)", role: role, verdict: approval.verdict,
                                                  time: approval.time, reason: approval.reason))
                guard approval.verdict == .approve else { r.add(label, false, "this reviewer REJECTED the plan"); continue }
                guard keys.insert(key.base64).inserted else { r.add(label, false, "same key counted twice"); continue }
                r.add(label, true, "valid signature over plan \(planSHA.prefix(16))… by key \(key.keyID), \(approval.time)")
            } catch {
                r.add(label, false, "signature does not verify: \(error)")
            }
        }
        if required <= 0 {
            r.warnings.append("approvals: disclosure.json says no approval was required (approvals_required.count is 0): nobody had to review this disclosure before it left")
        }
        // The same rule export applies (one function): a rejection blocks, count and roles.
        let unmet = rule.unmet(by: decisions)
        let approved = Set(decisions.filter { $0.verdict == .approve }.map(\.keyID)).count
        r.add("approvals", unmet.isEmpty, unmet.isEmpty ? "\(approved) valid approval(s) of the plan; required \(rule.count) (\(rule.roles.joined(separator: ", ")))"
                                                      : unmet.joined(separator: "; "))
    }

    /// Reports a failed decryption of `file`: a wrong identity is told apart from a bad file.
    private static func decryptionFailed(_ file: String, _ error: Error, _ r: inout VerificationReport) {
        if case AgeError.noMatch = error {
            r.add(file, false, "not decrypted: none of the given identities is among the \(r.recipients.count) recipient(s) disclosure.json lists",
                  identityNotARecipient: true)
        } else {
            r.add(file, false, error is AgeError ? "cannot decrypt: \(error)" : "\(error)")
        }
    }

    private static func checkPayloads(_ files: BundleFiles, _ d: DisclosureDocument, identities: [Identity], extraction: ExtractionDirectory?,
                                      deferred: inout [String: String], sizes: inout [String: Int], certified: [CustodianCertificate.Entry],
                                      _ r: inout VerificationReport) {
        let decryptor = Decryptor(identities: identities)
        let certifiedPlaintext = Dictionary(certified.map { ($0.file, $0.plaintextBLAKE2b512) }, uniquingKeysWith: { a, _ in a })
        let recordFile = d.recordFile
        guard safe(recordFile) else { r.add("disclosure record", false, "not named in disclosure.json"); return }
        var recordBytes: [UInt8] = []
        do {
            let intact = try decrypt(files, recordFile, decryptor, deferred: &deferred, sizes: &sizes, &r) { b in
                guard recordBytes.count + b.count <= 256 << 20 else { throw AgeError.io("disclosure record larger than 256 MiB") }
                recordBytes.append(contentsOf: b)
            }
            guard intact else { r.add(recordFile, false, "decrypted, but the file is not the one the manifest lists"); return }
        } catch {
            decryptionFailed(recordFile, error, &r); return
        }
        guard let record = try? DisclosureRecord.read(recordBytes, file: recordFile) else {
            r.add(recordFile, false, "decrypted, but not a disclosure record"); return
        }
        let planBytes = Array(record.planDocument.utf8)
        let planOK = PlanDigest.hex(planBytes) == d.plan.sha512 && Hex.encode(BLAKE2b.hash(planBytes)) == d.plan.blake2b512
        r.add(recordFile, planOK, planOK ? "decrypted; the embedded plan is the approved plan" : "the embedded plan does not match the approved plan digest")
        if let c = certifiedPlaintext[recordFile], c != Hex.encode(BLAKE2b.hash(recordBytes)) {
            r.add(CustodianCertificate.fileName, false, "the plaintext BLAKE2b-512 it certifies for \(recordFile) differs from the decrypted record")
        }
        if let extraction {
            do {
                let w = try extraction.writer(for: "record.json")
                try w.write(recordBytes)
                _ = try w.finish()
                if planOK {   // the readable summary, from the authenticated record only
                    let summary = try extraction.writer(for: "summary.html")
                    try summary.write(Array(DisclosureSummary.html(record: record).utf8))
                    _ = try summary.finish()
                }
            } catch { r.add("extract", false, "\(error)") }
        }
        let digests = Dictionary(record.datasets.compactMap { ds in ds.file.map { ($0, ds.plaintextBLAKE2b512) } }, uniquingKeysWith: { a, _ in a })
        for ds in d.datasets {
            guard let file = ds.file, safe(file), file.hasPrefix("data/") else { continue }
            let declared = Set(ds.declaredFields)
            let csv = ds.format == "csv"
            let checker = FieldChecker(declared: declared, csv: csv)
            let name = String((file as NSString).lastPathComponent.dropLast(4))
            var writer: HashingFileWriter? = nil
            do {
                let hash = try PipelinedBLAKE2b512()
                if let extraction { writer = try extraction.writer(for: name) }
                let intact = try decrypt(files, file, decryptor, deferred: &deferred, sizes: &sizes, &r) { b in
                    WorkProgress.shared.advance(b.count)
                    hash.update(b)
                    try checker.feed(b)
                    try writer?.write(b)
                }
                guard intact else {
                    writer?.abandon(); extraction?.drop(name)
                    r.add(file, false, "decrypted, but the file is not the one the manifest lists"); continue
                }
                try checker.finish()
                let digest = Hex.encode(hash.finalize())
                guard digest == digests[file] else {
                    writer?.abandon(); extraction?.drop(name)
                    r.add(file, false, "decrypted, but the plaintext BLAKE2b-512 differs from the disclosure record"); continue
                }
                if let c = certifiedPlaintext[file], c != digest {
                    r.add(CustodianCertificate.fileName, false, "the plaintext BLAKE2b-512 it certifies for \(file) differs from the decrypted file")
                }
                _ = try writer?.finish()
                r.add(file, true, "decrypted and authenticated; plaintext BLAKE2b-512 matches; " + (csv ? "the header holds only declared columns" : "\(checker.records) record(s) hold only declared fields"))
            } catch {
                writer?.abandon(); extraction?.drop(name)
                decryptionFailed(file, error, &r)
            }
        }
    }
}
