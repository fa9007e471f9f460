import Age
import Foundation
import Minisign
import Sodium

/// The verifier's decryption step (with an identity): the disclosure record, then every
/// payload decrypted, authenticated, hashed and walked against its declared fields, the
/// manifest digest checked from the same read; plaintext goes only to the extraction
/// directory, which releases it once every check held.
extension BundleVerifier {
    /// Decrypts the bundle file `file`, passing authenticated plaintext to `write`. When
    /// the file's manifest digest was deferred, the ciphertext is hashed as it is read
    /// (the rest of the file too, if decryption stops early) and the manifest check is
    /// reported here; returns whether it held (true when nothing was deferred).
    static func decrypt(_ files: BundleFiles, _ file: String, _ decryptor: Decryptor, deferred: inout [String: String],
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

    /// Reports a failed decryption of `file`: a wrong identity is told apart from a bad file.
    static func decryptionFailed(_ file: String, _ error: Error, _ r: inout VerificationReport) {
        if case AgeError.noMatch = error {
            r.add(file, false, "not decrypted: none of the given identities is among the \(r.recipients.count) recipient(s) disclosure.json lists",
                  identityNotARecipient: true)
        } else {
            r.add(file, false, error is AgeError ? "cannot decrypt: \(error)" : "\(error)")
        }
    }

    /// 6. With an identity: the record first (its embedded plan must be the approved
    /// one), then each dataset's payload against the record's digest and the declared fields.
    static func checkPayloads(_ files: BundleFiles, _ d: DisclosureDocument, identities: [Identity], extraction: ExtractionDirectory?,
                              deferred: inout [String: String], sizes: inout [String: Int], certified: [CustodianCertificate.Entry],
                              _ r: inout VerificationReport) {
        let decryptor = Decryptor(identities: identities)
        let certifiedPlaintext = Dictionary(certified.map { ($0.file, $0.plaintextBLAKE2b512) }, uniquingKeysWith: { a, _ in a })
        guard let record = checkRecord(files, d, decryptor, extraction: extraction, deferred: &deferred, sizes: &sizes,
                                       certifiedPlaintext: certifiedPlaintext, &r) else { return }
        let digests = Dictionary(record.datasets.compactMap { ds in ds.file.map { ($0, ds.plaintextBLAKE2b512) } }, uniquingKeysWith: { a, _ in a })
        for ds in d.datasets {
            guard let file = ds.file, safe(file), file.hasPrefix("data/") else { continue }
            checkDataset(files, ds, file: file, decryptor, extraction: extraction, expected: digests[file], deferred: &deferred, sizes: &sizes,
                         certifiedPlaintext: certifiedPlaintext, &r)
        }
    }

    /// The disclosure record: decrypted whole (at most 256 MiB), read into its model, its
    /// plan compared with the approved plan's digests; extracted with `summary.html`.
    static func checkRecord(_ files: BundleFiles, _ d: DisclosureDocument, _ decryptor: Decryptor, extraction: ExtractionDirectory?,
                            deferred: inout [String: String], sizes: inout [String: Int], certifiedPlaintext: [String: String],
                            _ r: inout VerificationReport) -> DisclosureRecord? {
        let recordFile = d.recordFile
        guard safe(recordFile) else { r.add("disclosure record", false, "not named in disclosure.json"); return nil }
        var recordBytes: [UInt8] = []
        do {
            let intact = try decrypt(files, recordFile, decryptor, deferred: &deferred, sizes: &sizes, &r) { b in
                guard recordBytes.count + b.count <= DisclosureRecord.maxBytes else { throw AgeError.io("disclosure record larger than 256 MiB") }
                recordBytes.append(contentsOf: b)
            }
            guard intact else { r.add(recordFile, false, "decrypted, but the file is not the one the manifest lists"); return nil }
        } catch {
            decryptionFailed(recordFile, error, &r); return nil
        }
        guard let record = try? DisclosureRecord.read(recordBytes, file: recordFile) else {
            r.add(recordFile, false, "decrypted, but not a disclosure record"); return nil
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
        return record
    }

    /// One dataset's payload: decrypted and authenticated, its plaintext hashed and every
    /// record walked against the fields disclosure.json declares; extracted only if it held.
    static func checkDataset(_ files: BundleFiles, _ ds: DisclosureDocument.Dataset, file: String, _ decryptor: Decryptor,
                             extraction: ExtractionDirectory?, expected: String?, deferred: inout [String: String], sizes: inout [String: Int],
                             certifiedPlaintext: [String: String], _ r: inout VerificationReport) {
        let csv = ds.format == "csv"
        let checker = FieldChecker(declared: Set(ds.declaredFields), csv: csv)
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
                r.add(file, false, "decrypted, but the file is not the one the manifest lists"); return
            }
            try checker.finish()
            let digest = Hex.encode(hash.finalize())
            guard digest == expected else {
                writer?.abandon(); extraction?.drop(name)
                r.add(file, false, "decrypted, but the plaintext BLAKE2b-512 differs from the disclosure record"); return
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
