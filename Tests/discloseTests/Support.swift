import Foundation
import Testing

// Helpers for the end-to-end tests: run the real `disclose` binary (and the stock
// referees) as subprocesses, each test in its own copy of Examples/ and Keys/.

/// One finished subprocess: exit status and captured output.
struct Run: Sendable, CustomStringConvertible {
    /// The command line, for failure messages.
    var command: [String]
    /// Exit status, or the signal number when `signalled`.
    var status: Int32
    /// True when the process was ended by a signal.
    var signalled: Bool
    var stdout: String
    var stderr: String

    /// Standard output and standard error together.
    var output: String { stdout + stderr }

    var description: String {
        "$ \(command.joined(separator: " "))\n→ \(signalled ? "signal" : "exit") \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }

    /// Runs `executable` (a path, or a program name looked up on PATH) with `arguments`
    /// in `directory`, standard input from /dev/null, and waits for it.
    static func command(_ executable: String, _ arguments: [String], in directory: String? = nil,
                        environment: [String: String] = [:]) throws -> Run {
        let started = try start(executable, arguments, in: directory, environment: environment)
        return started.wait()
    }

    /// The `disclose` binary under test with `arguments`.
    static func disclose(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Run {
        try command(Binary.disclose, arguments, in: directory, environment: environment)
    }

    /// Starts a process without waiting (see `Started.wait`).
    static func start(_ executable: String, _ arguments: [String], in directory: String? = nil,
                      environment: [String: String] = [:]) throws -> Started {
        let p = Process()
        if executable.contains("/") {
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = arguments
        } else {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [executable] + arguments
        }
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        // Output goes to files, not pipes: no deadlock however much a command prints.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("disclose-run-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: base + ".out", contents: nil),
              FileManager.default.createFile(atPath: base + ".err", contents: nil) else { throw POSIXError(.EIO) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch {
            try? out.close(); try? err.close()
            try? FileManager.default.removeItem(atPath: base + ".out"); try? FileManager.default.removeItem(atPath: base + ".err")
            throw error
        }
        try? out.close(); try? err.close()
        return Started(process: p, base: base, command: [executable] + arguments)
    }

    /// A running subprocess.
    final class Started: @unchecked Sendable {
        let process: Process
        let base: String
        let command: [String]
        init(process: Process, base: String, command: [String]) { self.process = process; self.base = base; self.command = command }

        var pid: Int32 { process.processIdentifier }

        /// Waits for the end and collects the output.
        func wait() -> Run {
            process.waitUntilExit()
            let out = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "<not UTF-8>"
            let err = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "<not UTF-8>"
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
            return Run(command: command, status: process.terminationStatus,
                       signalled: process.terminationReason == .uncaughtSignal, stdout: out, stderr: err)
        }
    }
}

/// Where things are: the package root and the `disclose` binary built with the tests.
enum Binary {
    /// The package root (the directory holding Package.swift), found from this file.
    static let packageRoot: String = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir.path }
            dir = dir.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// The `disclose` executable: `$DISCLOSE_BIN`, else next to the running test bundle
    /// (whatever the scratch path: .build, .build-e2e, …), else `<root>/.build/debug/disclose`.
    static let disclose: String = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["DISCLOSE_BIN"], !env.isEmpty { return env }
        var dirs: [URL] = []
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            dirs.append(bundle.bundleURL.deletingLastPathComponent())
        }
        var exe = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        #if os(Linux)
        if let self_ = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") { exe = URL(fileURLWithPath: self_) }
        #endif
        var d = exe.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 { dirs.append(d); d = d.deletingLastPathComponent() }   // e.g. X.xctest/Contents/MacOS → debug
        for dir in dirs {
            let candidate = dir.appendingPathComponent("disclose").path
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return packageRoot + "/.build/debug/disclose"
    }()
}

/// The stock programs the bundle must satisfy ("the referees").
enum StockTool: String, CaseIterable, Sendable {
    case minisign, age, sha512sum, b2sum, tar, python3
    /// Headless Chromium (Debian `chromium`): renders the HTML sheets and the chart.
    case chromium
    /// The Python `bagit` package (BagIt validation).
    case bagit

    /// Which are installed; probed once. `DISCLOSE_TEST_HIDE_TOOLS=age,bagit` pretends
    /// some are missing (to check the skip / CI-failure path).
    static let available: [StockTool: Bool] = {
        let hidden = Set((ProcessInfo.processInfo.environment["DISCLOSE_TEST_HIDE_TOOLS"] ?? "").split(separator: ",").map(String.init))
        var m: [StockTool: Bool] = [:]
        for t in allCases {
            if hidden.contains(t.rawValue) { m[t] = false; continue }
            let probe: Run?
            switch t {
            case .bagit: probe = try? Run.command("python3", ["-c", "import bagit"])
            default: probe = try? Run.command("/bin/sh", ["-c", "command -v \(t.rawValue)"])
            }
            m[t] = probe.map { $0.status == 0 && !$0.signalled } ?? false
        }
        return m
    }()

    /// True when every tool is installed. When one is missing the test cannot be made:
    /// with `CI=true` that is a failure (an issue is recorded, returns false); otherwise
    /// the test is skipped (cancelled). Use: `guard try StockTool.require(.age) else { return }`.
    static func require(_ tools: StockTool..., sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let missing = tools.filter { available[$0] != true }
        guard !missing.isEmpty else { return true }
        let names = missing.map { $0 == .bagit ? "python3 bagit package" : $0.rawValue }.joined(separator: ", ")
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("stock tool(s) missing: \(names); CI=true, so this is a failure (install them with scripts/deps.sh)",
                         sourceLocation: sourceLocation)
            return false
        }
        #if compiler(>=6.3)
        try Test.cancel("skipped: stock tool(s) missing: \(names) (install them with scripts/deps.sh)", sourceLocation: sourceLocation)
        #else
        print("skipped: stock tool(s) missing: \(names)")
        return false
        #endif
    }
}

/// A temporary directory removed on deinit (kept when DISCLOSE_KEEP_TEMP=1).
final class TempDir: @unchecked Sendable {
    let path: String

    init(_ label: String = "disclose-test") throws {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        // Resolve /tmp symlinks so paths printed by the tool match ours.
        path = URL(fileURLWithPath: p).resolvingSymlinksInPath().path
    }

    func callAsFunction(_ relative: String) -> String { path + "/" + relative }

    deinit {
        if ProcessInfo.processInfo.environment["DISCLOSE_KEEP_TEMP"] == "1" { print("kept \(path)"); return }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A private copy of the repository's Examples/ and Keys/ (and scripts/), so that audit
/// logs, plans and bundles never touch the repository. Commands run in `examples`, where
/// `disclose.json` is, exactly as in the README.
final class Workspace: @unchecked Sendable {
    let temp: TempDir
    var root: String { temp.path }
    /// The copy of Examples/ (holds disclose.json; the working directory of commands).
    var examples: String { root + "/Examples" }
    /// The copy of Keys/.
    var keys: String { root + "/Keys" }
    /// A scratch directory for plans, bundles and extractions.
    var out: String { root + "/out" }

    init(_ label: String = "disclose-e2e") throws {
        temp = try TempDir(label)
        let fm = FileManager.default
        for dir in ["Examples", "Keys", "scripts"] {
            try fm.copyItem(atPath: Binary.packageRoot + "/" + dir, toPath: temp.path + "/" + dir)
        }
        // A fresh audit log: whatever a local demo run left in Examples/state is not ours.
        try? fm.removeItem(atPath: examples + "/state")
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        // git does not keep modes; disclose refuses secrets readable by others.
        for name in try fm.contentsOfDirectory(atPath: keys)
        where name.hasSuffix(".key") || name.hasSuffix(".age") || name == "DEMO-pseudonym.secret" {
            guard chmod(keys + "/" + name, 0o600) == 0 else { throw POSIXError(.EPERM) }
        }
    }

    /// `keys/NAME`.
    func key(_ name: String) -> String { keys + "/" + name }
    /// `examples/RELATIVE`.
    func example(_ relative: String) -> String { examples + "/" + relative }
    /// `out/RELATIVE`.
    func output(_ relative: String) -> String { out + "/" + relative }

    /// Runs `disclose` in the Examples copy (so ./disclose.json is the configuration).
    @discardableResult
    func disclose(_ arguments: String..., environment: [String: String] = [:]) throws -> Run {
        try Run.disclose(arguments, in: examples, environment: environment)
    }

    /// The request file of an example case, relative to the Examples copy.
    static func request(_ caseName: String, _ file: String = "request.json") -> String { "cases/\(caseName)/\(file)" }
    static let case1 = "01-eu-epoc-paris"

    /// plan --out, then approvals by the given reviewer keys; returns the plan path.
    func approvedPlan(case caseName: String = Workspace.case1, name: String = "plan.json",
                      reviewers: [String] = ["DEMO-reviewer-legal.key", "DEMO-reviewer-privacy.key"]) throws -> String {
        let plan = output(name)
        let p = try disclose("plan", Workspace.request(caseName), "--out", plan)
        try #require(p.status == 0, "plan failed:\n\(p)")
        for r in reviewers {
            let a = try disclose("approve", plan, "--key", key(r))
            try #require(a.status == 0, "approve failed:\n\(a)")
        }
        return plan
    }

    /// plan, two approvals, export: returns the bundle path. `again`: the reason for
    /// exporting a plan that was exported before (`--again --reason`).
    func exportedBundle(name: String = "bundle", plan: String? = nil, again: String? = nil) throws -> String {
        let planPath = try plan ?? approvedPlan()
        let bundle = output(name)
        let e = try again.map { try disclose("export", planPath, "--out", bundle, "--again", "--reason", $0) }
            ?? disclose("export", planPath, "--out", bundle)
        try #require(e.status == 0, "export failed:\n\(e)")
        return bundle
    }

    /// The audit log entries' event names, in order — without the provider's signed heads
    /// (`head_signed`, written with every export; AuditSigningTests checks them).
    func auditEvents() throws -> [String] {
        let path = example("state/audit.jsonl")
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return o?["event"] as? String ?? "?"
        }.filter { $0 != "head_signed" }
    }
}

/// Small file utilities.
enum Files {
    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
    static func append(_ text: String, _ path: String) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? h.close() }
        try h.seekToEnd()
        try h.write(contentsOf: Data(text.utf8))
    }
    /// True when something (file, directory, dangling link) is at `path`.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }
    /// Every regular file under `dir`, relative, sorted.
    static func tree(_ dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
        }
        return out.sorted()
    }
    /// Names in `dir` (including hidden ones).
    static func names(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }
    /// Parses `text` as a JSON object.
    static func jsonObject(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
