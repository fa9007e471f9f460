import DiscloseTestSupport
import Foundation

/// Runs `disclose` on a pseudo-terminal (python3's `pty`), as a person at a terminal
/// would: standard input, output and error are the TTY. When `expect` appears in the
/// output, `answer` is typed. The output is what the terminal showed (stdout and stderr).
enum PseudoTerminal {
    static let script = """
    import os, pty, select, sys
    expect, answer = os.environ.pop("PTY_EXPECT", ""), os.environ.pop("PTY_ANSWER", "")
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.argv[1], sys.argv[1:])
    out, sent = b"", False
    while True:
        r, _, _ = select.select([fd], [], [], 0.1)
        if fd in r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            out += data
        if expect and not sent and expect.encode() in out:
            os.write(fd, answer.encode()); sent = True
    _, status = os.waitpid(pid, 0)
    sys.stdout.buffer.write(out)
    sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128)
    """

    static func disclose(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                         expect: String = "", answer: String = "") throws -> Run {
        var env = ["TERM": "xterm-256color", "NO_COLOR": "", "PTY_EXPECT": expect, "PTY_ANSWER": answer]
        for (k, v) in environment { env[k] = v }
        return try Run.command("python3", ["-c", script, Binary.disclose] + arguments, in: directory, environment: env)
    }
}
