import DiscloseKit
/// A fully parsed command line. Parsing is pure (no I/O), so it is tested by tables.
enum Command: Equatable {
    case help(topic: String?)
    case version
    case keygenSigning(out: String, unencrypted: Bool, comment: String?, passphraseFile: String?)
    case keygenRecipient(out: String)
    case keygenPseudonym(out: String)
    case decrypt(identities: [String], output: String?, input: String?)
    case plan(request: String, config: String?, json: Bool, out: String?, sample: Int, sampleOut: String?, html: String? = nil, practice: Bool = false)
    case review(plan: String, html: String?, config: String?)
    case completion(shell: String)
    case manPage
    case approve(plan: String, key: String, reject: Bool, reason: String?, replace: Bool, passphraseFile: String?, config: String?,
                 yes: Bool = false, practice: Bool = false)
    /// `againReason`: `--again --reason TEXT`, exporting a plan that was exported before.
    case export(plan: String, out: String, config: String?, tar: Bool, passphraseFile: String?, practice: Bool = false, againReason: String? = nil)
    case verify(bundle: String, signer: String, identities: [String], extract: String?, json: Bool)
    case lifecycle(LifecycleCommand)   // case, audit verify, status, preserve, report (LifecycleCommands.swift)
    case hi1Import(request: String, out: String?, config: String?, updateOf: String? = nil)   // HI1Commands.swift
    case respond(RespondOptions)                                                 // HI1Commands.swift
    case importDelivery(parts: [String], out: String)                           // HI1Commands.swift
}

/// What `disclose respond` was asked to write.
struct RespondOptions: Equatable {
    /// Which message.
    enum Mode: Equatable {
        /// The answer to a plan: statuses, notifications, the delivery.
        case answer
        /// The receipt of each object of the request.
        case acknowledge
        /// A request for clarification with this text (or the text of this file).
        case clarify(text: String?, textFile: String?)
    }
    /// The plan (or, for acknowledge and clarify, the HI-1 request itself).
    var input: String
    var mode: Mode = .answer
    var bundle: String? = nil
    /// Deliver the bundle's tar in parts of this many bytes.
    var partSize: Int? = nil
    /// Tasks (LDIDs or object ids) a clarification concerns; empty: all.
    var tasks: [String] = []
    var out: String
    var config: String? = nil
    /// For a plan of an updated request JSON: the original HI-1 request and the UPDATE.
    var update: HI1UpdateFiles? = nil
}

/// The two messages an updated request was made from (`import --update-of`).
struct HI1UpdateFiles: Equatable {
    var request: String
    var update: String
}

/// `4194304`, `4096K`, `4M`, `4MiB`: a byte count for --part-size.
func parseByteCount(_ s: String) -> Int? {
    let units: [(String, Int)] = [("MiB", 1 << 20), ("KiB", 1 << 10), ("M", 1 << 20), ("K", 1 << 10), ("", 1)]
    for (suffix, factor) in units where s.hasSuffix(suffix) {
        let digits = s.dropLast(suffix.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count <= 12, let n = Int(digits) else { return nil }
        return n * factor
    }
    return nil
}

/// A command line that cannot be run: exit status 2 with a hint.
struct UsageError: Error, Equatable {
    var message: String
    var hint: String?
}

/// What a subcommand accepts: options that take a value, flags, positionals.
struct CommandSpec {
    var name: String
    var valueOptions: Set<String> = []
    var repeatableOptions: Set<String> = []
    var flags: Set<String> = []
    var positionals: ClosedRange<Int> = 0...0
}

/// Takes `--jobs N` (plan, export, verify, preserve): the threads that scan datasets, 1 to
/// 1024; without it, the CPUs the process may use. Sets the process default, which never
/// changes an output byte (so it is not part of any command's result).
func applyJobs(_ w: ParsedWords) throws {
    guard let text = w.value("--jobs") else { return }
    guard let n = ScanJobs.parse(text) else {
        throw UsageError(message: "--jobs takes a whole number from 1 to 1024, not '\(text)'",
                         hint: "omit --jobs to use every core this process may run on (\(ScanJobs.available) here)")
    }
    ScanJobs.processDefault = n
}

/// The parsed words of one subcommand.
struct ParsedWords {
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []

    func value(_ o: String) -> String? { values[o]?.last }
}

/// Splits `args` according to `spec`. `--opt=value` and `--opt value` both work; `--`
/// ends options; `-` alone is a positional (stdin).
func split(_ args: [String], _ spec: CommandSpec) throws -> ParsedWords {
    var p = ParsedWords()
    var i = 0
    var optionsDone = false
    while i < args.count {
        let a = args[i]
        i += 1
        if optionsDone || !a.hasPrefix("-") || a == "-" { p.positionals.append(a); continue }
        if a == "--" { optionsDone = true; continue }
        var name = a
        var inline: String? = nil
        if let eq = a.firstIndex(of: "="), a.hasPrefix("--") { name = String(a[..<eq]); inline = String(a[a.index(after: eq)...]) }
        if spec.flags.contains(name) {
            guard inline == nil else { throw UsageError(message: "\(name) takes no value", hint: "disclose \(spec.name) --help") }
            p.flags.insert(name)
        } else if spec.valueOptions.contains(name) || spec.repeatableOptions.contains(name) {
            let v: String
            if let inline { v = inline } else {
                guard i < args.count else { throw UsageError(message: "\(name) needs a value", hint: "disclose \(spec.name) --help") }
                v = args[i]; i += 1
            }
            if spec.valueOptions.contains(name), p.values[name] != nil {
                throw UsageError(message: "\(name) given twice", hint: "disclose \(spec.name) --help")
            }
            p.values[name, default: []].append(v)
        } else {
            throw UsageError(message: "unknown option \(name) for '\(spec.name)'", hint: "disclose \(spec.name) --help")
        }
    }
    guard spec.positionals.contains(p.positionals.count) else {
        let want = spec.positionals.lowerBound == spec.positionals.upperBound ? "\(spec.positionals.lowerBound)" : "\(spec.positionals.lowerBound)–\(spec.positionals.upperBound)"
        throw UsageError(message: "'\(spec.name)' takes \(want) argument(s), got \(p.positionals.count)", hint: "disclose \(spec.name) --help")
    }
    return p
}

/// Parses the arguments after the program name.
func parse(_ arguments: [String]) throws -> Command {
    guard let first = arguments.first else { return .help(topic: nil) }
    let rest = Array(arguments.dropFirst())
    if rest.contains("--help") || rest.contains("-h") {
        if first == "keygen", let kind = rest.first, !kind.hasPrefix("-") { return .help(topic: "keygen") }
        return .help(topic: first)
    }
    func required(_ w: ParsedWords, _ o: String, _ cmd: String) throws -> String {
        guard let v = w.value(o) else { throw UsageError(message: "'\(cmd)' needs \(o)", hint: "disclose \(cmd) --help") }
        return v
    }
    switch first {
    case "--help", "-h", "help":
        if rest == ["--man"] { return .manPage }
        return .help(topic: rest.first)
    case "completion":
        guard rest.count == 1, ["bash", "zsh", "fish"].contains(rest[0]) else {
            throw UsageError(message: "completion takes one shell: bash, zsh or fish", hint: "source <(disclose completion bash)")
        }
        return .completion(shell: rest[0])
    case "--version", "version":
        return .version
    case "keygen":
        guard let kind = rest.first else { throw UsageError(message: "keygen needs a kind: signing, recipient or pseudonym", hint: "disclose keygen --help") }
        let more = Array(rest.dropFirst())
        switch kind {
        case "signing":
            let w = try split(more, CommandSpec(name: "keygen signing", valueOptions: ["--out", "--comment", "--passphrase-file"], flags: ["--unencrypted"]))
            if w.flags.contains("--unencrypted"), w.value("--passphrase-file") != nil {
                throw UsageError(message: "--unencrypted and --passphrase-file contradict each other", hint: nil)
            }
            return .keygenSigning(out: try required(w, "--out", "keygen"), unencrypted: w.flags.contains("--unencrypted"),
                                  comment: w.value("--comment"), passphraseFile: w.value("--passphrase-file"))
        case "recipient":
            let w = try split(more, CommandSpec(name: "keygen recipient", valueOptions: ["--out"]))
            return .keygenRecipient(out: try required(w, "--out", "keygen"))
        case "pseudonym":
            let w = try split(more, CommandSpec(name: "keygen pseudonym", valueOptions: ["--out"]))
            return .keygenPseudonym(out: try required(w, "--out", "keygen"))
        default:
            throw UsageError(message: "unknown key kind '\(kind)'", hint: "use: disclose keygen signing|recipient|pseudonym --out PATH")
        }
    case "decrypt":
        let w = try split(rest, CommandSpec(name: "decrypt", valueOptions: ["--output", "-o"], repeatableOptions: ["--identity", "-i"], positionals: 0...1))
        let ids = (w.values["--identity"] ?? []) + (w.values["-i"] ?? [])
        guard !ids.isEmpty else { throw UsageError(message: "decrypt needs at least one --identity FILE", hint: "disclose decrypt --help") }
        if w.value("--output") != nil, w.value("-o") != nil { throw UsageError(message: "--output given twice", hint: nil) }
        let input = w.positionals.first
        return .decrypt(identities: ids, output: w.value("--output") ?? w.value("-o"), input: input == "-" ? nil : input)
    case "plan":
        let w = try split(rest, CommandSpec(name: "plan", valueOptions: ["--config", "--out", "--sample", "--sample-out", "--html", "--jobs"], flags: ["--json", "--practice"], positionals: 1...1))
        try applyJobs(w)
        var sample = 0
        if let s = w.value("--sample") {
            guard let n = Int(s), n >= 0, n <= 1000 else { throw UsageError(message: "--sample takes a number from 0 to 1000", hint: nil) }
            sample = n
        }
        if w.value("--sample-out") != nil, sample == 0 { throw UsageError(message: "--sample-out goes with --sample N (N > 0)", hint: nil) }
        return .plan(request: w.positionals[0], config: w.value("--config"), json: w.flags.contains("--json"), out: w.value("--out"),
                     sample: sample, sampleOut: w.value("--sample-out"), html: w.value("--html"), practice: w.flags.contains("--practice"))
    case "review":
        let w = try split(rest, CommandSpec(name: "review", valueOptions: ["--html", "--config"], positionals: 1...1))
        return .review(plan: w.positionals[0], html: w.value("--html"), config: w.value("--config"))
    case "approve":
        let w = try split(rest, CommandSpec(name: "approve", valueOptions: ["--key", "--reason", "--passphrase-file", "--config"], flags: ["--reject", "--replace", "--yes", "--practice"], positionals: 1...1))
        let reject = w.flags.contains("--reject")
        if reject, w.value("--reason") == nil { throw UsageError(message: "--reject needs --reason TEXT (the reviewer's grounds are recorded)", hint: nil) }
        if !reject, w.value("--reason") != nil { throw UsageError(message: "--reason goes with --reject", hint: nil) }
        return .approve(plan: w.positionals[0], key: try required(w, "--key", "approve"), reject: reject, reason: w.value("--reason"),
                        replace: w.flags.contains("--replace"), passphraseFile: w.value("--passphrase-file"), config: w.value("--config"),
                        yes: w.flags.contains("--yes"), practice: w.flags.contains("--practice"))
    case "export":
        let w = try split(rest, CommandSpec(name: "export", valueOptions: ["--out", "--config", "--passphrase-file", "--reason", "--jobs"],
                                            flags: ["--tar", "--practice", "--again"], positionals: 1...1))
        try applyJobs(w)
        let again = w.flags.contains("--again")
        if again, w.value("--reason") == nil { throw UsageError(message: "--again needs --reason TEXT (why the plan is exported a second time is logged)", hint: nil) }
        if !again, w.value("--reason") != nil { throw UsageError(message: "--reason goes with --again", hint: nil) }
        if again, w.flags.contains("--practice") { throw UsageError(message: "--again does not apply to --practice (practice exports are not logged)", hint: nil) }
        return .export(plan: w.positionals[0], out: try required(w, "--out", "export"), config: w.value("--config"),
                       tar: w.flags.contains("--tar"), passphraseFile: w.value("--passphrase-file"),
                       practice: w.flags.contains("--practice"), againReason: again ? w.value("--reason") : nil)
    case "verify":
        let w = try split(rest, CommandSpec(name: "verify", valueOptions: ["--signer", "--extract", "--jobs"], repeatableOptions: ["--identity"], flags: ["--json"], positionals: 1...1))
        try applyJobs(w)
        let ids = w.values["--identity"] ?? []
        if w.value("--extract") != nil, ids.isEmpty { throw UsageError(message: "--extract needs --identity FILE to decrypt with", hint: nil) }
        return .verify(bundle: w.positionals[0], signer: try required(w, "--signer", "verify"), identities: ids,
                       extract: w.value("--extract"), json: w.flags.contains("--json"))
    case "import":
        let w = try split(rest, CommandSpec(name: "import", valueOptions: ["--out", "--config", "--update-of"], positionals: 1...1))
        return .hi1Import(request: w.positionals[0], out: w.value("--out"), config: w.value("--config"), updateOf: w.value("--update-of"))
    case "respond":
        let w = try split(rest, CommandSpec(name: "respond", valueOptions: ["--bundle", "--out", "--config", "--part-size", "--text", "--text-file",
                                                                            "--hi1-request", "--hi1-update"],
                                            repeatableOptions: ["--task"], flags: ["--acknowledge", "--clarify"], positionals: 1...1))
        var o = RespondOptions(input: w.positionals[0], bundle: w.value("--bundle"), tasks: w.values["--task"] ?? [],
                               out: try required(w, "--out", "respond"), config: w.value("--config"))
        let ack = w.flags.contains("--acknowledge"), clarify = w.flags.contains("--clarify")
        let text = w.value("--text"), textFile = w.value("--text-file")
        if ack && clarify { throw UsageError(message: "--acknowledge and --clarify are different messages; give one", hint: nil) }
        if (ack || clarify), o.bundle != nil || w.value("--part-size") != nil {
            throw UsageError(message: "--bundle and --part-size go with the answer to a plan, not with --acknowledge or --clarify", hint: nil)
        }
        if !clarify, text != nil || textFile != nil || !o.tasks.isEmpty {
            throw UsageError(message: "--text, --text-file and --task go with --clarify", hint: "disclose respond --help")
        }
        switch (w.value("--hi1-request"), w.value("--hi1-update")) {
        case (nil, nil): break
        case let (r?, u?):
            guard !ack, !clarify else { throw UsageError(message: "--hi1-request/--hi1-update go with the answer to a plan", hint: nil) }
            o.update = HI1UpdateFiles(request: r, update: u)
        default: throw UsageError(message: "--hi1-request and --hi1-update go together (the original request and its UPDATE)", hint: nil)
        }
        if ack { o.mode = .acknowledge }
        if clarify {
            guard (text == nil) != (textFile == nil) else {
                throw UsageError(message: "--clarify needs the question: --text TEXT or --text-file FILE (one of them)", hint: nil)
            }
            o.mode = .clarify(text: text, textFile: textFile)
        }
        if let p = w.value("--part-size") {
            guard o.bundle != nil else { throw UsageError(message: "--part-size needs --bundle DIR (the bundle to deliver in parts)", hint: nil) }
            guard let n = parseByteCount(p) else { throw UsageError(message: "--part-size takes a byte count such as 4194304 or 4M", hint: nil) }
            o.partSize = n
        }
        return .respond(o)
    case "import-delivery":
        let w = try split(rest, CommandSpec(name: "import-delivery", valueOptions: ["--out"], positionals: 1...100_000))
        return .importDelivery(parts: w.positionals, out: try required(w, "--out", "import-delivery"))
    case _ where LifecycleCommand.names.contains(first):
        return .lifecycle(try LifecycleCommand.parse(first, rest))
    default:
        throw UsageError(message: "unknown command '\(first)'", hint: "disclose --help lists the commands")
    }
}
