import Foundation

/// Colour for verdicts and check results, on a terminal only: never when the output is
/// not a TTY, when `NO_COLOR` is set (https://no-color.org) or when `TERM` is `dumb`.
public struct TerminalStyle: Sendable {
    /// True when escape sequences may be written.
    public var colour: Bool

    /// A style with or without colour.
    public init(colour: Bool) { self.colour = colour }

    /// No escape sequences at all (files, pipes, tests).
    public static let plain = TerminalStyle(colour: false)

    /// The style for file descriptor `fd` (1 stdout, 2 stderr) under the current environment.
    public static func detect(fd: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TerminalStyle(colour: isatty(fd) == 1 && !noColour && environment["TERM"] != "dumb")
    }

    /// `text` with every control character (C0 but tab and line feed, DEL, C1) replaced
    /// by U+FFFD: values from requests, plans, data maps or records can never move the
    /// cursor, recolour or hide lines on the reviewer's terminal.
    public static func printable(_ text: String, keepNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0, keepNewlines) }) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars { out.append(isControl(u, keepNewlines) ? "\u{FFFD}" : u) }
        return String(out)
    }

    private static func isControl(_ u: Unicode.Scalar, _ keepNewlines: Bool) -> Bool {
        if keepNewlines, u == "\n" || u == "\r" || u == "\t" { return false }
        return u.value < 0x20 || (0x7F...0x9F).contains(u.value)
    }

    private func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    /// Something good (a passed check, nothing leaves that should not).
    public func good(_ s: String) -> String { paint(s, "32") }
    /// A failure or refusal.
    public func bad(_ s: String) -> String { paint(s, "1;31") }
    /// A warning.
    public func warn(_ s: String) -> String { paint(s, "33") }
    /// Emphasis (headings, the verdict word).
    public func strong(_ s: String) -> String { paint(s, "1") }

    /// A check report (`[ok  ]`, `[FAIL]`, `VERIFIED`, `NOT VERIFIED`) with its results
    /// coloured; unchanged without colour.
    public func checks(_ text: String) -> String {
        guard colour else { return text }
        return text.replacingOccurrences(of: "[ok  ]", with: "[" + good("ok") + "  ]")
            .replacingOccurrences(of: "[FAIL]", with: "[" + bad("FAIL") + "]")
            .replacingOccurrences(of: "NOT VERIFIED:", with: bad("NOT VERIFIED") + ":")
            .replacingOccurrences(of: "\nVERIFIED:", with: "\n" + good("VERIFIED") + ":")
    }

    /// The verdict word in its colour: DISCLOSE (data leaves) bold yellow, NO DATA bold
    /// green, REFUSED bold red.
    public func verdict(_ v: CaseOutcome.Verdict) -> String {
        switch v {
        case .disclose: return paint("DISCLOSE", "1;33")
        case .noData: return paint("NO DATA FOUND", "1;32")
        case .refused: return paint("REFUSED", "1;31")
        }
    }
}

/// Fills text into lines of at most `width` columns (words longer than a line stay whole).
enum TextWrap {
    /// Fills `items` joined by ", ", breaking lines only between items (names stay whole).
    static func items(_ prefix: String, _ items: [String], width: Int, first: String, rest: String) -> [String] {
        var out: [String] = []
        var line = first + prefix
        for (i, item) in items.enumerated() {
            let piece = item + (i < items.count - 1 ? "," : "")
            if line != first + prefix, line.count + 1 + piece.count > width { out.append(line); line = rest + piece; continue }
            line += (line == first + prefix && prefix.isEmpty ? "" : " ") + piece
        }
        out.append(line)
        return out
    }

    static func lines(_ text: String, width: Int, first: String, rest: String) -> [String] {
        var out: [String] = []
        var line = first
        var empty = true
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !empty, line.count + 1 + word.count > width {
                out.append(line); line = rest; empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        out.append(line)
        return out
    }
}
