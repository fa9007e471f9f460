import DiscloseTestSupport
import Testing
@testable import disclose

/// The pure argument parser, by tables: argument vectors → commands, bad vectors → UsageError.
@Suite("Argument parser")
struct CommandParserTests {
    struct Good: Sendable, CustomTestStringConvertible {
        var args: [String]
        var command: Command
        var testDescription: String { args.isEmpty ? "<none>" : args.joined(separator: " ") }
    }

    static let good: [Good] = [
        Good(args: [], command: .help(topic: nil)),
        Good(args: ["--help"], command: .help(topic: nil)),
        Good(args: ["-h"], command: .help(topic: nil)),
        Good(args: ["help", "export"], command: .help(topic: "export")),
        Good(args: ["plan", "--help"], command: .help(topic: "plan")),
        Good(args: ["verify", "x", "-h"], command: .help(topic: "verify")),
        Good(args: ["keygen", "signing", "--help"], command: .help(topic: "keygen")),
        Good(args: ["--version"], command: .version),
        Good(args: ["version"], command: .version),
        Good(args: ["help", "--man"], command: .manPage),
        Good(args: ["completion", "fish"], command: .completion(shell: "fish")),
        Good(args: ["plan", "r.json"], command: .plan(request: "r.json", config: nil, json: false, out: nil, sample: 0, sampleOut: nil, html: nil)),
        Good(args: ["plan", "r.json", "--json", "--out", "p.json", "--config", "c.json", "--sample", "5"],
             command: .plan(request: "r.json", config: "c.json", json: true, out: "p.json", sample: 5, sampleOut: nil, html: nil)),
        Good(args: ["plan", "--out=p.json", "r.json"], command: .plan(request: "r.json", config: nil, json: false, out: "p.json", sample: 0, sampleOut: nil, html: nil)),
        Good(args: ["plan", "--", "--weird.json"], command: .plan(request: "--weird.json", config: nil, json: false, out: nil, sample: 0, sampleOut: nil, html: nil)),
        Good(args: ["plan", "r.json", "--sample", "1000"], command: .plan(request: "r.json", config: nil, json: false, out: nil, sample: 1000, sampleOut: nil, html: nil)),
        Good(args: ["approve", "p.json", "--key", "k.key"],
             command: .approve(plan: "p.json", key: "k.key", reject: false, reason: nil, replace: false, passphraseFile: nil, config: nil)),
        Good(args: ["approve", "p.json", "--key", "k.key", "--replace"],
             command: .approve(plan: "p.json", key: "k.key", reject: false, reason: nil, replace: true, passphraseFile: nil, config: nil)),
        Good(args: ["approve", "p.json", "--key", "k.key", "--yes"],
             command: .approve(plan: "p.json", key: "k.key", reject: false, reason: nil, replace: false, passphraseFile: nil, config: nil, yes: true)),
        Good(args: ["approve", "p.json", "--key", "k.key", "--reject", "--reason", "too broad", "--passphrase-file", "pw", "--config", "c.json"],
             command: .approve(plan: "p.json", key: "k.key", reject: true, reason: "too broad", replace: false, passphraseFile: "pw", config: "c.json")),
        Good(args: ["export", "p.json", "--out", "b"], command: .export(plan: "p.json", out: "b", config: nil, tar: false, passphraseFile: nil)),
        Good(args: ["export", "--tar", "p.json", "--out=b", "--config", "c.json", "--passphrase-file", "pw"],
             command: .export(plan: "p.json", out: "b", config: "c.json", tar: true, passphraseFile: "pw")),
        Good(args: ["verify", "b", "--signer", "p.pub"], command: .verify(bundle: "b", signer: "p.pub", identities: [], extract: nil, json: false)),
        Good(args: ["verify", "b", "--signer", "p.pub", "--identity", "a.age", "--identity", "b.age", "--extract", "x", "--json"],
             command: .verify(bundle: "b", signer: "p.pub", identities: ["a.age", "b.age"], extract: "x", json: true)),
        Good(args: ["decrypt", "-i", "id.age", "f.age"], command: .decrypt(identities: ["id.age"], output: nil, input: "f.age")),
        Good(args: ["decrypt", "--identity", "a", "-i", "b", "-o", "out", "-"], command: .decrypt(identities: ["a", "b"], output: "out", input: nil)),
        Good(args: ["decrypt", "--identity", "a", "--output", "out"], command: .decrypt(identities: ["a"], output: "out", input: nil)),
        Good(args: ["keygen", "signing", "--out", "k"], command: .keygenSigning(out: "k", unencrypted: false, comment: nil, passphraseFile: nil)),
        Good(args: ["keygen", "signing", "--out", "k", "--unencrypted", "--comment", "legal 2026"],
             command: .keygenSigning(out: "k", unencrypted: true, comment: "legal 2026", passphraseFile: nil)),
        Good(args: ["keygen", "signing", "--out", "k", "--passphrase-file", "pw"],
             command: .keygenSigning(out: "k", unencrypted: false, comment: nil, passphraseFile: "pw")),
        Good(args: ["keygen", "recipient", "--out", "r.age"], command: .keygenRecipient(out: "r.age")),
        Good(args: ["keygen", "pseudonym", "--out", "p.secret"], command: .keygenPseudonym(out: "p.secret")),
    ]

    struct Bad: Sendable, CustomTestStringConvertible {
        var args: [String]
        /// A part of the message that says what is wrong.
        var message: String
        var testDescription: String { args.joined(separator: " ") }
    }

    static let bad: [Bad] = [
        // unknown command / kind
        Bad(args: ["frobnicate"], message: "unknown command 'frobnicate'"),
        Bad(args: ["keygen"], message: "keygen needs a kind"),
        Bad(args: ["keygen", "rsa", "--out", "k"], message: "unknown key kind 'rsa'"),
        // unknown option
        Bad(args: ["plan", "r.json", "--force"], message: "unknown option --force for 'plan'"),
        Bad(args: ["export", "p.json", "--out", "b", "-x"], message: "unknown option -x for 'export'"),
        Bad(args: ["verify", "b", "--signer", "p.pub", "--tar"], message: "unknown option --tar for 'verify'"),
        // missing value
        Bad(args: ["plan", "r.json", "--out"], message: "--out needs a value"),
        Bad(args: ["approve", "p.json", "--key"], message: "--key needs a value"),
        Bad(args: ["decrypt", "-i"], message: "-i needs a value"),
        // a flag given a value
        Bad(args: ["plan", "r.json", "--json=yes"], message: "--json takes no value"),
        // missing required option
        Bad(args: ["export", "p.json"], message: "'export' needs --out"),
        Bad(args: ["approve", "p.json"], message: "'approve' needs --key"),
        Bad(args: ["verify", "b"], message: "'verify' needs --signer"),
        Bad(args: ["keygen", "signing"], message: "needs --out"),
        Bad(args: ["decrypt", "f.age"], message: "decrypt needs at least one --identity"),
        // positionals
        Bad(args: ["plan"], message: "'plan' takes 1 argument(s), got 0"),
        Bad(args: ["plan", "a.json", "b.json"], message: "'plan' takes 1 argument(s), got 2"),
        Bad(args: ["export", "p.json", "q.json", "--out", "b"], message: "takes 1 argument(s), got 2"),
        Bad(args: ["keygen", "recipient", "--out", "r", "extra"], message: "takes 0 argument(s), got 1"),
        Bad(args: ["decrypt", "-i", "id", "a.age", "b.age"], message: "'decrypt' takes 0–1 argument(s), got 2"),
        // contradictions
        Bad(args: ["approve", "p.json", "--key", "k", "--reject"], message: "--reject needs --reason"),
        Bad(args: ["approve", "p.json", "--key", "k", "--reason", "why"], message: "--reason goes with --reject"),
        Bad(args: ["verify", "b", "--signer", "p.pub", "--extract", "x"], message: "--extract needs --identity"),
        Bad(args: ["keygen", "signing", "--out", "k", "--unencrypted", "--passphrase-file", "pw"], message: "contradict"),
        Bad(args: ["plan", "r.json", "--sample", "1001"], message: "--sample takes a number from 0 to 1000"),
        Bad(args: ["plan", "r.json", "--sample", "-1"], message: "--sample takes a number"),
        // duplicate single-value option
        Bad(args: ["plan", "r.json", "--out", "a", "--out", "b"], message: "--out given twice"),
        Bad(args: ["export", "p.json", "--out", "a", "--out=b"], message: "--out given twice"),
        Bad(args: ["verify", "b", "--signer", "p.pub", "--signer", "q.pub"], message: "--signer given twice"),
        Bad(args: ["decrypt", "-i", "id", "-o", "a", "--output", "b"], message: "--output given twice"),
    ]

    @Test("valid command lines parse to the expected command", arguments: good)
    func parsesValidCommandLines(_ g: Good) throws {
        #expect(try parse(g.args) == g.command)
    }

    @Test("invalid command lines throw a UsageError that says what is wrong", arguments: bad)
    func rejectsInvalidCommandLines(_ b: Bad) {
        do {
            let c = try parse(b.args)
            Issue.record("parsed to \(c); expected a UsageError containing '\(b.message)'")
        } catch let e as UsageError {
            #expect(e.message.contains(b.message), "message: \(e.message)")
        } catch {
            Issue.record("threw \(error), not a UsageError")
        }
    }

    @Test("every command named in the overview has its own --help text")
    func everyCommandHasHelp() {
        for c in ["plan", "approve", "export", "verify", "decrypt", "keygen"] {
            #expect(Usage.text(for: c) != nil, "disclose \(c) --help")
        }
    }
}
