import Foundation

/// Seeded random datasets for the parallel-scan differential tests and fuzzing: records
/// of a few accounts with times, addresses, peers and notes, laid out with the awkward
/// things a cut may land on.
enum RandomData {
    static let accounts = ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"]

    static func time(_ g: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<10, using: &g) {
        case 0: return "not a time"
        default:
            let day = Int.random(in: 10...30, using: &g)
            return "2023-11-\(day)T12:\(Int.random(in: 10...59, using: &g)):00Z"
        }
    }

    static func note(_ g: inout SeededGenerator) -> String {
        let n = Int.random(in: 0..<100, using: &g) < 3 ? Int.random(in: 4_100...9_000, using: &g) : Int.random(in: 0...60, using: &g)
        return String((0..<n).map { _ in "abcdefgh ijk,é\u{1F600}".randomElement(using: &g)! })
    }

    static func jsonRecord(_ g: inout SeededGenerator, multiline: Bool) -> String {
        let sep = multiline ? ",\n  " : ","
        let email = ["kate@example.org", "KATE@Example.org", "\u{212A}ate@example.org", "bob@example.org",
                     "eve\(Int.random(in: 0...9, using: &g))@example.org"].randomElement(using: &g)!
        var fields = [
            #""account":"\#(accounts.randomElement(using: &g)!)""#,
            #""ts":"\#(time(&g))""#,
            #""ip":"198.51.100.\#(Int.random(in: 0...255, using: &g))""#,
            #""peer":"p\#(Int.random(in: 0...99, using: &g))""#,
            #""email":"\#(email)""#,
            #""note":"\#(note(&g))""#,
        ]
        if Bool.random(using: &g) { fields.append(#""tags":["x","y\#(Int.random(in: 0...9, using: &g))"]"#) }
        if Int.random(in: 0..<10, using: &g) == 0 { fields.append(#""extra":{"k":1}"#) }
        return "{" + fields.joined(separator: sep) + "}"
    }

    static func damage(_ record: String, _ g: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<4, using: &g) {
        case 0: return String(record.dropLast())
        case 1: return record.replacingOccurrences(of: ",", with: " ")
        case 2: return record + " trailing"
        default: return #"{"account":"A1","ts":}"#
        }
    }

    static func jsonLines(_ g: inout SeededGenerator, damaged: Bool) -> String {
        let n = Int.random(in: 0..<10, using: &g) == 0 ? 0 : Int.random(in: 50...900, using: &g)
        var out = Int.random(in: 0..<4, using: &g) == 0 ? "\u{FEFF}" : ""
        let bad = damaged && n > 0 && Bool.random(using: &g) ? Int.random(in: 0..<n, using: &g) : -1
        for i in 0..<n {
            // A record spread over lines is an error in JSON Lines: only damaged sets have one.
            let multiline = damaged && Int.random(in: 0..<200, using: &g) == 0
            var r = jsonRecord(&g, multiline: multiline)
            if i == bad { r = damage(r, &g) }
            out += r
            switch Int.random(in: 0..<12, using: &g) {
            case 0: out += "\r\n"
            case 1: out += "\n\n   \n"
            case 2: out += "  \t\n"
            default: out += "\n"
            }
        }
        if Int.random(in: 0..<5, using: &g) == 0, out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    static func jsonArray(_ g: inout SeededGenerator, damaged: Bool) -> String {
        let n = Int.random(in: 0...300, using: &g)
        var records = (0..<n).map { _ in jsonRecord(&g, multiline: Bool.random(using: &g)) }
        if damaged, n > 0 { let i = Int.random(in: 0..<n, using: &g); records[i] = damage(records[i], &g) }
        return "[\n" + records.joined(separator: ",\n") + "\n]\n"
    }

    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// A CSV file; some rows are laid out so that a quoted line break falls on the byte
    /// before a `segment` cut, on it or just after it.
    static func csv(_ g: inout SeededGenerator, damaged: Bool, segment: Int) -> [UInt8] {
        if Int.random(in: 0..<12, using: &g) == 0 { return [] }
        var out: [UInt8] = Int.random(in: 0..<4, using: &g) == 0 ? [0xEF, 0xBB, 0xBF] : []
        out += Array("account,ts,ip,peer,note\r\n".utf8)
        let n = Int.random(in: 30...900, using: &g)
        let bad = damaged && Bool.random(using: &g) ? Int.random(in: 0..<n, using: &g) : -1
        for i in 0..<n {
            let account = accounts.randomElement(using: &g)!
            let head = "\(account),\(time(&g)),198.51.100.\(Int.random(in: 0...255, using: &g)),p\(Int.random(in: 0...99, using: &g)),"
            var row: String
            let toCut = segment - (out.count + head.utf8.count + 1) % segment
            if toCut < 300, Int.random(in: 0..<2, using: &g) == 0 {
                // A quoted note whose line break lands at cut - 1 + d.
                let d = Int.random(in: -1...1, using: &g)
                let pad = max(0, toCut - 1 + d)
                row = head + "\"" + String(repeating: "q", count: pad) + "\nafter, \"\"quoted\"\"\""
            } else {
                var note = self.note(&g)
                if Int.random(in: 0..<5, using: &g) == 0 { note += "\nsecond line" }
                if Int.random(in: 0..<9, using: &g) == 0 { note += "\r\nthird \"line\"" }
                row = head + csvField(note)
            }
            if i == bad {
                switch Int.random(in: 0..<4, using: &g) {
                case 0: row += ",extra"
                case 1: row = head + "un\"quoted"
                case 2: row = head + "\"unterminated"
                default: row += "\r"
                }
            }
            out += Array(row.utf8)
            switch Int.random(in: 0..<10, using: &g) {
            case 0: out += Array("\n".utf8)
            case 1: out += Array("\r\n\r\n\n".utf8)
            default: out += Array("\r\n".utf8)
            }
        }
        return out
    }
}
