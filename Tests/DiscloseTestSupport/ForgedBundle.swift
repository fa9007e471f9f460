import Foundation
import Testing

/// Bundle A of the tamper fixture forged as an attacker who controls the storage would
/// (issue 13.1): one login record altered (same length, so sizes and the Payload-Oxum
/// stay), the disclosure record's plaintext digest changed to match, both re-encrypted to
/// the authority's public recipient with stock `age`. The genuine tag files, tag manifest
/// and provider signature stay in `bundle`; the forged `manifest-sha512.txt` that lists
/// the forged payloads is in `forged/` (served on a second open, or swapped in by a race).
package struct ForgedBundle {
    package let bundle: String
    package let forged: String
    package let identity: String
    package let signer: String

    package init(_ fx: TamperFixture, in dir: TempDir) throws {
        bundle = dir("bundle")
        forged = dir("forged")
        identity = fx.workspace.key("DEMO-authority-fr.age")
        signer = fx.workspace.key("DEMO-provider.pub")
        try FileManager.default.copyItem(atPath: fx.bundleA, toPath: bundle)
        try FileManager.default.createDirectory(atPath: forged, withIntermediateDirectories: true)
        // The bundle's recipients: the authority and the provider's escrow (same stanzas, same sizes).
        let recipients = try [identity + ".pub", fx.workspace.key("DEMO-escrow.age.pub")].flatMap { p in
            ["-r", try String(contentsOfFile: p, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)]
        }

        func decrypt(_ file: String) throws -> String {
            let r = try Run.command("age", ["-d", "-i", identity, bundle + "/" + file])
            try #require(r.status == 0, "\(r)")
            return r.stdout
        }
        func encrypt(_ text: String, _ file: String) throws {
            try Files.write(Array(text.utf8), dir("plain"))
            try FileManager.default.removeItem(atPath: bundle + "/" + file)
            let r = try Run.command("age", recipients + ["-o", bundle + "/" + file, dir("plain")])
            try #require(r.status == 0, "\(r)")
        }
        func b2(_ text: String) throws -> String {
            try Files.write(Array(text.utf8), dir("plain"))
            let r = try Run.command("b2sum", [dir("plain")])
            try #require(r.status == 0, "\(r)")
            return String(r.stdout.prefix(128))
        }

        let logins = try decrypt("data/logins.jsonl.age")
        let genuineIP = try #require(logins.range(of: "198.51.100.23"), "the fixture's logins hold the subject's address")
        let forgedLogins = logins.replacingCharacters(in: genuineIP, with: "198.51.100.99")
        var record = try decrypt("data/record.json.age")
        let oldDigest = try b2(logins), newDigest = try b2(forgedLogins)
        // Only the record's own digest member: the approved plan embedded in it stays as signed.
        let member = "\"plaintext_blake2b512\": \""
        try #require(record.contains(member + oldDigest))
        record = record.replacingOccurrences(of: member + oldDigest, with: member + newDigest)
        try encrypt(forgedLogins, "data/logins.jsonl.age")
        try encrypt(record, "data/record.json.age")

        // manifest-sha512.txt listing the forged payloads, in the genuine order.
        let genuine = try String(contentsOfFile: bundle + "/manifest-sha512.txt", encoding: .utf8)
        let paths = genuine.split(separator: "\n").map { String($0.split(separator: " ", omittingEmptySubsequences: true).last!) }
        let s = try Run.command("sha512sum", paths, in: bundle)
        try #require(s.status == 0, "\(s)")
        try #require(s.stdout != genuine)
        try s.stdout.write(toFile: forged + "/manifest-sha512.txt", atomically: true, encoding: .utf8)
    }

    /// The forgery is complete: with the forged manifest in place and the payloads as
    /// forged, only the tag manifest (the signed part) tells them apart.
    package func verifyArguments(identity useIdentity: Bool, extract: String? = nil) -> [String] {
        ["verify", bundle, "--signer", signer] + (useIdentity ? ["--identity", identity] : []) + (extract.map { ["--extract", $0] } ?? [])
    }
}
