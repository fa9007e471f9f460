import DiscloseTestSupport
import Foundation
import Testing

/// Renders HTML in headless Chromium (the Debian `chromium` package), as a reader's
/// browser would, to a PNG the tests check and a person can look at.
enum Browser {
    /// Renders `html` (a file) to `png` at `width`×`height`; returns the run. The profile
    /// lives in a private temporary directory, so parallel renders do not share state.
    static func screenshot(_ html: String, to png: String, width: Int = 1000, height: Int = 3000) throws -> Run {
        let profile = try TempDir("disclose-chromium")
        return try Run.command("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                            "--user-data-dir=\(profile.path)", "--screenshot=\(png)",
                                            "--window-size=\(width),\(height)", "file://\(html)"])
    }

    /// True when `path` is a PNG of some substance (a blank or failed render is tiny).
    static func isPNG(_ path: String, minimumBytes: Int = 8_000) -> Bool {
        guard let b = try? Files.bytes(path), b.count >= minimumBytes else { return false }
        return Array(b.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    }
}
