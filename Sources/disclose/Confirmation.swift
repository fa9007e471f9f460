import Foundation

/// Asks the person at the terminal to confirm: only when standard input is a TTY (a
/// script, or `--yes`, is never prompted). Anything but `y`/`yes` declines.
enum Confirmation {
    /// True when there is someone to ask.
    static var interactive: Bool { isatty(0) == 1 }

    static func ask(_ question: String) -> Bool {
        Output.print(question + " [y/N] ")
        guard let line = readLine(strippingNewline: true) else { return false }
        let answer = line.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }
}
