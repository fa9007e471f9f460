/// `disclose completion bash|zsh|fish`: completion scripts generated from the usage texts
/// (the commands of the overview, each command's options from its own help), so they
/// never drift from what the parser accepts.
enum ShellCompletion {
    /// Commands with their one-line description, from the overview.
    static var commands: [(name: String, summary: String)] {
        var out: [(String, String)] = []
        var inList = false
        for line in Usage.overview.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Commands:") { inList = true; continue }
            guard inList else { continue }
            guard line.hasPrefix("  ") else { if !out.isEmpty { break }; continue }
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let name = words.first else { continue }
            let summary = line.range(of: "  ", range: line.index(line.startIndex, offsetBy: 2 + name.count)..<line.endIndex)
                .map { line[$0.upperBound...].trimmingCharacters(in: .whitespaces) } ?? ""
            out.append((String(name), summary))
        }
        return out
    }

    /// The options (`--x`) a command's help text names, plus `--help`.
    static func options(_ command: String) -> [String] {
        guard let text = Usage.text(for: command) else { return ["--help"] }
        var seen: [String] = []
        var i = text.startIndex
        while let r = text.range(of: "--", range: i..<text.endIndex) {
            var end = r.upperBound
            while end < text.endIndex, text[end].isLetter || text[end] == "-" { end = text.index(after: end) }
            let word = String(text[r.lowerBound..<end])
            if word.count > 2, !word.hasSuffix("-"), !seen.contains(word) { seen.append(word) }
            i = end
        }
        return seen + (seen.contains("--help") ? [] : ["--help"])
    }

    /// Second words of commands that take one (`keygen signing`, `case receive`, …).
    static let actions: [String: [String]] = [
        "keygen": ["signing", "recipient", "pseudonym"], "case": ["receive", "no-data", "follow-up", "extend", "close"],
        "audit": ["verify"], "completion": ["bash", "zsh", "fish"], "help": [],
    ]

    static func script(for shell: String) -> String? {
        switch shell {
        case "bash": return bash
        case "zsh": return "#compdef disclose\nautoload -U +X bashcompinit && bashcompinit\n" + bash
        case "fish": return fish
        default: return nil
        }
    }

    static var bash: String {
        let names = commands.map(\.name)
        var s = """
        # disclose completion for bash (and zsh through bashcompinit). Load it with:
        #   source <(disclose completion bash)
        _disclose() {
          local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]} opts=""
          if [ "$COMP_CWORD" -eq 1 ]; then COMPREPLY=($(compgen -W "\(names.joined(separator: " ")) --help --version" -- "$cur")); return; fi
          case "$cmd" in

        """
        for name in names {
            let acts = actions[name] ?? []
            s += "    \(name)) opts=\"\(options(name).joined(separator: " "))\""
            if !acts.isEmpty { s += "; if [ \"$COMP_CWORD\" -eq 2 ]; then COMPREPLY=($(compgen -W \"\(acts.joined(separator: " "))\" -- \"$cur\")); return; fi" }
            if name == "help" { s += "; COMPREPLY=($(compgen -W \"\(names.joined(separator: " ")) --man\" -- \"$cur\")); return" }
            s += ";;\n"
        }
        s += """
          esac
          if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
        }
        complete -o filenames -F _disclose disclose

        """
        return s
    }

    static var fish: String {
        var s = "# disclose completion for fish. Load it with: disclose completion fish | source\n"
        s += "complete -c disclose -f\n"
        for c in commands {
            s += "complete -c disclose -n '__fish_use_subcommand' -a \(c.name) -d '\(c.summary.replacingOccurrences(of: "'", with: "\\'"))'\n"
        }
        for c in commands {
            for a in actions[c.name] ?? [] {
                s += "complete -c disclose -n '__fish_seen_subcommand_from \(c.name)' -a \(a)\n"
            }
            for o in options(c.name) {
                s += "complete -c disclose -n '__fish_seen_subcommand_from \(c.name)' -l \(o.dropFirst(2)) -F\n"
            }
        }
        return s
    }
}
