import Foundation

/// One finished subprocess: exit status and captured output.
package struct Run: Sendable, CustomStringConvertible {
    /// The command line, for failure messages.
    package var command: [String]
    /// Exit status, or the signal number when `signalled`.
    package var status: Int32
    /// True when the process was ended by a signal.
    package var signalled: Bool
    /// Standard output as text (`<not UTF-8>` when it is not UTF-8; see `stdoutBytes`).
    package var stdout: String
    /// Standard error as text.
    package var stderr: String
    /// Standard output as bytes (binary output such as age files).
    package var stdoutBytes: [UInt8] = []

    /// Standard output and standard error together.
    package var output: String { stdout + stderr }

    package var description: String {
        "$ \(command.joined(separator: " "))\n→ \(signalled ? "signal" : "exit") \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }

    /// Runs `executable` (a path, or a program name looked up on PATH) with `arguments`
    /// in `directory`, standard input `input` (from /dev/null when nil), and waits for it.
    package static func command(_ executable: String, _ arguments: [String], in directory: String? = nil,
                                environment: [String: String] = [:], input: [UInt8]? = nil) throws -> Run {
        let started = try start(executable, arguments, in: directory, environment: environment, input: input)
        return started.wait()
    }

    /// The `disclose` binary under test with `arguments`.
    package static func disclose(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Run {
        try command(Binary.disclose, arguments, in: directory, environment: environment)
    }

    /// Starts a process without waiting (see `Started.wait`).
    package static func start(_ executable: String, _ arguments: [String], in directory: String? = nil,
                              environment: [String: String] = [:], input: [UInt8]? = nil) throws -> Started {
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
        if let input {
            guard FileManager.default.createFile(atPath: base + ".in", contents: Data(input)) else { throw POSIXError(.EIO) }
            p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: base + ".in"))
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch {
            try? out.close(); try? err.close()
            for f in [".out", ".err", ".in"] { try? FileManager.default.removeItem(atPath: base + f) }
            throw error
        }
        try? out.close(); try? err.close()
        return Started(process: p, base: base, command: [executable] + arguments)
    }

    /// A running subprocess.
    package final class Started: @unchecked Sendable {
        package let process: Process
        package let base: String
        package let command: [String]
        package init(process: Process, base: String, command: [String]) { self.process = process; self.base = base; self.command = command }

        package var pid: Int32 { process.processIdentifier }

        /// Waits for the end and collects the output.
        package func wait() -> Run {
            process.waitUntilExit()
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: base + ".out"))).map { [UInt8]($0) } ?? []
            let out = String(validating: bytes, as: UTF8.self) ?? "<not UTF-8>"
            let err = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "<not UTF-8>"
            for f in [".out", ".err", ".in"] { try? FileManager.default.removeItem(atPath: base + f) }
            return Run(command: command, status: process.terminationStatus,
                       signalled: process.terminationReason == .uncaughtSignal, stdout: out, stderr: err, stdoutBytes: bytes)
        }
    }
}
