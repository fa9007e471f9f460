/// `disclose help --man`: the manual page (roff, section 1), generated from the same
/// usage texts as `--help`, so the two never disagree. `disclose help --man | man -l -`.
enum ManPage {
    static var text: String {
        var s = ".TH DISCLOSE 1 \"\" \"\(roff(Usage.version))\" \"User Commands\"\n"
        s += ".SH NAME\ndisclose \\- answer lawful data requests with exactly what the instrument authorizes\n"
        s += ".SH SYNOPSIS\n.B disclose\n.I COMMAND\n[\\fIOPTIONS\\fR]\n"
        s += ".SH DESCRIPTION\n.nf\n" + roff(Usage.overview) + "\n.fi\n.SH COMMANDS\n"
        for c in ShellCompletion.commands {
            guard let text = Usage.text(for: c.name) else { continue }
            s += ".SS \(roff(c.name))\n.nf\n" + roff(text) + "\n.fi\n"
        }
        s += ".SH EXIT STATUS\n0 success, 1 refusal or verification failure, 2 usage or input error.\n"
        s += ".SH ENVIRONMENT\n.TP\n.B NO_COLOR\nwhen set, no colour is ever written; colour and progress lines appear on a terminal only.\n"
        s += ".SH SEE ALSO\n.BR minisign (1),\n.BR age (1),\n.BR sha512sum (1),\n.BR b2sum (1)\n"
        return s
    }

    /// Escapes text for roff: backslashes, a leading dot or apostrophe on a line, and
    /// non-ASCII characters as `\[uXXXX]` (so plain troff reads it without preconv).
    static func roff(_ text: String) -> String {
        var ascii = ""
        for u in text.unicodeScalars {
            if u == "\\" { ascii += "\\e" }
            else if u.value > 127 {
                let hex = String(u.value, radix: 16, uppercase: true)
                ascii += "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
            }
            else { ascii.unicodeScalars.append(u) }
        }
        return ascii.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line)
        }.joined(separator: "\n")
    }
}
