import DiscloseTestSupport
import Foundation
import Testing

/// `disclose keygen` and `disclose decrypt` as the key custodian and an authority use
/// them: files in the stock formats, modes 0600, nothing overwritten, the stock tools
/// accept our keys, and a failed decryption leaves no output behind.
@Suite("Keys and decryption (CLI)")
struct KeysCLITests {
    func mode(_ path: String) -> mode_t {
        var st = stat(); stat(path, &st); return st.st_mode & 0o777
    }

    @Test("keygen signing (passphrase file and unencrypted): 0600 secret key that stock minisign signs with")
    func signingKeys() throws {
        guard try StockTool.require(.minisign) else { return }
        let t = try TempDir("disclose-keygen")
        let unencrypted = try Run.disclose(["keygen", "signing", "--unencrypted", "--out", t("plain"), "--comment", "TEST key"])
        #expect(unencrypted.status == 0, "\(unencrypted)")
        #expect(mode(t("plain.key")) == 0o600)
        try "message".write(toFile: t("m.txt"), atomically: true, encoding: .utf8)
        let sign = try Run.command("minisign", ["-S", "-s", t("plain.key"), "-m", t("m.txt")])
        #expect(sign.status == 0, "\(sign)")
        let verify = try Run.command("minisign", ["-V", "-H", "-p", t("plain.pub"), "-m", t("m.txt")])
        #expect(verify.status == 0, "\(verify)")

        // A protected key with the passphrase from a file (minisign's scrypt: ~1 GiB, ~3 s).
        try "correct horse\n".write(toFile: t("pass"), atomically: true, encoding: .utf8)
        chmod(t("pass"), 0o600)
        let protected = try Run.disclose(["keygen", "signing", "--out", t("prot"), "--passphrase-file", t("pass")])
        #expect(protected.status == 0, "\(protected)")
        #expect(mode(t("prot.key")) == 0o600)
        let sign2 = try Run.command("/bin/sh", ["-c", "printf 'correct horse' | minisign -S -s \(t("prot.key")) -m \(t("m.txt")) -x \(t("m2.minisig"))"])
        #expect(sign2.status == 0, "\(sign2)")
        let verify2 = try Run.command("minisign", ["-V", "-H", "-p", t("prot.pub"), "-m", t("m.txt"), "-x", t("m2.minisig")])
        #expect(verify2.status == 0, "\(verify2)")

        // Never overwritten; the passphrase never printed.
        let again = try Run.disclose(["keygen", "signing", "--unencrypted", "--out", t("plain")])
        #expect(again.status == 2)
        #expect(again.stderr.contains("disclose: error:") && again.stderr.contains("never overwritten"))
        #expect(!(protected.output + again.output).contains("correct horse"))
    }

    @Test("a group-readable passphrase file or secret key is refused with a chmod hint")
    func loosePermissions() throws {
        let t = try TempDir("disclose-keygen")
        try "pw\n".write(toFile: t("pass"), atomically: true, encoding: .utf8)
        chmod(t("pass"), 0o644)
        let r = try Run.disclose(["keygen", "signing", "--out", t("k"), "--passphrase-file", t("pass")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("readable by group or others") && r.stderr.contains("chmod 600"))
        #expect(!Files.exists(t("k.key")) && !Files.exists(t("k.pub")))
        _ = try Run.disclose(["keygen", "recipient", "--out", t("id.age")])
        chmod(t("id.age"), 0o640)
        let d = try Run.disclose(["decrypt", "--identity", t("id.age"), t("id.age.pub")])
        #expect(d.status == 2)
        #expect(d.stderr.contains("chmod 600"))
    }

    @Test("keygen recipient: age-keygen's format, and stock age encrypts to it and decrypts with it")
    func recipientKeys() throws {
        guard try StockTool.require(.age) else { return }
        let t = try TempDir("disclose-keygen")
        let r = try Run.disclose(["keygen", "recipient", "--out", t("id.age")])
        #expect(r.status == 0, "\(r)")
        #expect(mode(t("id.age")) == 0o600)
        let recipient = try String(contentsOfFile: t("id.age.pub"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(recipient.hasPrefix("age1") && recipient.count == 62)
        let derived = try Run.command("age-keygen", ["-y", t("id.age")])
        #expect(derived.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == recipient)
        let p = try Run.disclose(["keygen", "pseudonym", "--out", t("p.secret")])
        #expect(p.status == 0 && mode(t("p.secret")) == 0o600)
        #expect(try String(contentsOfFile: t("p.secret"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines).count == 64)
    }

    @Test("decrypt: stock age's files (binary and armored) to a file or stdout; exit 1 for a wrong key, 2 for garbage; nothing left behind")
    func decrypt() throws {
        guard try StockTool.require(.age) else { return }
        let t = try TempDir("disclose-decrypt")
        _ = try Run.disclose(["keygen", "recipient", "--out", t("id.age")])
        _ = try Run.disclose(["keygen", "recipient", "--out", t("other.age")])
        let recipient = try String(contentsOfFile: t("id.age.pub"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let plain = String(repeating: "lawful disclosure ", count: 10_000)
        try plain.write(toFile: t("plain.txt"), atomically: true, encoding: .utf8)
        _ = try Run.command("age", ["-r", recipient, "-o", t("f.age"), t("plain.txt")])
        _ = try Run.command("age", ["-a", "-r", recipient, "-o", t("f.asc"), t("plain.txt")])

        let toFile = try Run.disclose(["decrypt", "--identity", t("id.age"), "--output", t("out.txt"), t("f.age")])
        #expect(toFile.status == 0, "\(toFile)")
        #expect(try String(contentsOfFile: t("out.txt"), encoding: .utf8) == plain)
        let toStdout = try Run.disclose(["decrypt", "-i", t("id.age"), t("f.asc")])
        #expect(toStdout.status == 0 && toStdout.stdout == plain)

        let wrongKey = try Run.disclose(["decrypt", "--identity", t("other.age"), "--output", t("wrong.txt"), t("f.age")])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("no match"))
        #expect(!Files.exists(t("wrong.txt")))

        var bytes = try Files.bytes(t("f.age"))
        bytes[bytes.count - 5] ^= 0x01                            // a payload byte: authentication fails
        try Files.write(bytes, t("tampered.age"))
        let tampered = try Run.disclose(["decrypt", "--identity", t("id.age"), "--output", t("tampered.txt"), t("tampered.age")])
        #expect(tampered.status == 1)
        #expect(!Files.exists(t("tampered.txt")), "unlike stock age, a failed decrypt leaves no output")
        #expect(Files.names(t.path).filter { $0.hasPrefix(".tampered.txt") }.isEmpty, "no temporary file either")

        try "not an age file\n".write(toFile: t("garbage.age"), atomically: true, encoding: .utf8)
        let garbage = try Run.disclose(["decrypt", "--identity", t("id.age"), t("garbage.age")])
        #expect(garbage.status == 2)
        #expect(garbage.stderr.hasPrefix("disclose: error:") && garbage.stdout.isEmpty)
    }

    @Test("--help on every command, --version, and an unknown command exits 2 with a hint")
    func help() throws {
        for command in ["plan", "approve", "export", "verify", "decrypt", "keygen"] {
            let r = try Run.disclose([command, "--help"])
            #expect(r.status == 0 && r.stdout.contains("Usage: disclose \(command)"), "\(command): \(r)")
        }
        let v = try Run.disclose(["--version"])
        #expect(v.status == 0 && v.stdout.hasPrefix("disclose "))
        let u = try Run.disclose(["frobnicate"])
        #expect(u.status == 2 && u.stderr.contains("disclose: hint:"))
    }
}
