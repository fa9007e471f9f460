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

    /// The checks, in their order: a later step trusts only what an earlier one held
    /// (nothing is parsed from disclosure.json before the signature and tag manifest are
    /// checked; nothing decrypted is released before everything held).
    private static func check(_ files: BundleFiles, signer: PublicKey, identities: [Identity], extraction: ExtractionDirectory?) -> VerificationReport {
        var r = VerificationReport()
        let tree = checkTree(files, &r)
        let present = Set(tree)
        guard let tagManifest = checkSignature(files, signer: signer, &r) else { return r }
        guard let tagEntries = BagIt.parseManifest(String(decoding: tagManifest, as: UTF8.self)) else {
            r.add("tagmanifest-sha512.txt", false, "malformed manifest line"); return r
        }
        var sizes: [String: Int] = [:]
        checkManifest(files, tagEntries, present: present, required: tagFiles, name: "tagmanifest-sha512.txt", tagFiles: true, sizes: &sizes, &r)
        guard case .success(let manifestBytes) = files.tagFile("manifest-sha512.txt"),
              let entries = BagIt.parseManifest(String(decoding: manifestBytes, as: UTF8.self)) else {
            r.add("manifest-sha512.txt", false, "missing or malformed"); return r
        }
        var deferred = checkPayloadManifest(files, entries, tree: tree, hashingWhileDecrypting: !identities.isEmpty, sizes: &sizes, &r)
        let certified = checkCertificateAndDeclaration(files, tagEntries: tagEntries, entries: entries, &r)
        guard let disclosure = readDisclosure(files, &r) else {
            hashDeferred(files, &deferred, sizes: &sizes, &r)
            return r
        }
        checkDisclosure(disclosure, signer: signer, &r)
        if !identities.isEmpty {
            checkPayloads(files, disclosure, identities: identities, extraction: extraction, deferred: &deferred, sizes: &sizes,
                          certified: certified ?? [], &r)
        }
        hashDeferred(files, &deferred, sizes: &sizes, &r)
        checkPayloadOxum(files, entries, sizes: sizes, &r)
        return r
    }

    /// 1. The file tree: regular files only, nothing unexpected at the top. Returns the tree.
    private static func checkTree(_ files: BundleFiles, _ r: inout VerificationReport) -> [String] {
        let (tree, treeProblems) = files.tree()
        var problems = treeProblems
        for f in tree where !f.contains("/") && !topLevel.contains(f) { problems.append("unexpected file \(f)") }
        r.add("file tree", problems.isEmpty, problems.isEmpty ? "\(tree.count) regular files, no links or special files" : problems.joined(separator: "; "))
        return tree
    }

    /// 2. The provider's signature over the tag manifest; returns the manifest's bytes
    /// (the bytes checked are the bytes parsed), nil when it does not hold.
    private static func checkSignature(_ files: BundleFiles, signer: PublicKey, _ r: inout VerificationReport) -> [UInt8]? {
        guard let tagManifest = read(files, "tagmanifest-sha512.txt", &r), let sigBytes = read(files, "tagmanifest-sha512.txt.minisig", &r) else { return nil }
        do {
            let sig = try Signature(fileContents: sigBytes)
            let comment = try signer.verify(sig, message: tagManifest)
            r.add("provider signature", true, "tagmanifest-sha512.txt signed by key \(signer.keyID); trusted comment: \(comment)")
            return tagManifest
        } catch {
            r.add("provider signature", false, "tagmanifest-sha512.txt: \(error)")
            return nil
        }
    }

    /// 4. The payload manifest: every data file listed and intact, none added. With an
    /// identity the encrypted payloads are hashed while they are decrypted (one read, the
    /// SHA-512 on its own thread): those entries are returned, deferred.
    private static func checkPayloadManifest(_ files: BundleFiles, _ entries: [(path: String, sha512: String)], tree: [String], hashingWhileDecrypting: Bool,
                                             sizes: inout [String: Int], _ r: inout VerificationReport) -> [String: String] {
        let deferred = checkManifest(files, entries, present: Set(tree), required: [], name: "manifest-sha512.txt", tagFiles: false,
                                     deferring: { hashingWhileDecrypting && $0.hasSuffix(".age") }, sizes: &sizes, &r)
        let listed = Set(entries.map(\.path))
        let unlisted = tree.filter { $0.hasPrefix("data/") && !listed.contains($0) }
        r.add("payload completeness", unlisted.isEmpty, unlisted.isEmpty ? "every file under data/ is in the manifest" : "files not in the manifest: \(unlisted.joined(separator: ", "))")
        return deferred
    }

    /// The custodian's certificate (the bytes checked against the tag manifest are the
    /// bytes parsed; returns what it certifies) and the BagIt declaration.
    private static func checkCertificateAndDeclaration(_ files: BundleFiles, tagEntries: [(path: String, sha512: String)],
                                                       entries: [(path: String, sha512: String)], _ r: inout VerificationReport) -> [CustodianCertificate.Entry]? {
        var certified: [CustodianCertificate.Entry]? = nil
        if let cert = read(files, CustodianCertificate.fileName, &r) {
            certified = CustodianCertificate.check(cert, tagManifest: tagEntries, manifest: entries, &r)
        }
        if let decl = read(files, "bagit.txt", &r) {
            r.add("bagit.txt", decl == Array(BagIt.declaration.utf8), "BagIt 1.0, UTF-8")
        }
        return certified
    }

    /// 5. disclosure.json read into its model; nil (and a failed check) when it cannot be.
    private static func readDisclosure(_ files: BundleFiles, _ r: inout VerificationReport) -> DisclosureDocument? {
        guard let bytes = read(files, "disclosure.json", &r) else {
            r.add("disclosure.json", false, "missing or not valid JSON")
            return nil
        }
        do { return try DisclosureDocument.read(bytes, file: "disclosure.json") } catch {
            r.add("disclosure.json", false, "not a disclosure manifest: \(error)")
            return nil
        }
    }

    /// What disclosure.json says: the bundle and request ids, the recipients, the signing
    /// key (must be the signer's), the approvals (the rule export applies), the practice mark.
    private static func checkDisclosure(_ disclosure: DisclosureDocument, signer: PublicKey, _ r: inout VerificationReport) {
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
    }

    /// 7. The Payload-Oxum, over the bytes that were hashed.
    private static func checkPayloadOxum(_ files: BundleFiles, _ entries: [(path: String, sha512: String)], sizes: [String: Int], _ r: inout VerificationReport) {
        guard let info = read(files, "bag-info.txt", &r) else { return }
        let total = entries.reduce(0) { $0 + (sizes[$1.path] ?? 0) }
        let oxum = "Payload-Oxum: \(total).\(entries.count)"
        let text = String(decoding: info, as: UTF8.self)
        r.add("bag-info.txt", text.contains(oxum + "\n"), text.contains(oxum + "\n") ? oxum : "Payload-Oxum does not match the payload (\(total) bytes, \(entries.count) files)")
    }

    /// A tag file's bytes (read once by `files`), or a failed check.
    static func read(_ files: BundleFiles, _ name: String, _ r: inout VerificationReport) -> [UInt8]? {
        switch files.tagFile(name) {
        case .success(let b): return b
        case .failure(let e):
            r.add(name, false, e.message == "does not exist" || e.message.hasPrefix("is a symbolic link") || e.message == "not a regular file"
                  ? "missing (or not a regular file)" : e.message)
            return nil
        }
    }

}
