import Foundation
import Sodium

/// The scoped result of one dataset.
public struct DatasetOutcome: Sendable {
    /// The field decisions it was scoped with.
    public var decision: DatasetDecision
    /// Counts.
    public var statistics: DatasetStatistics
    /// Hex BLAKE2b-512 (unkeyed, 64-byte output: what `b2sum` prints) of the scoped
    /// output, the plaintext that export encrypts. BLAKE2b rather than SHA-512 because
    /// this digest is on the critical path of every export and BLAKE2b is about twice as
    /// fast; it is also minisign's prehash, so the authority has the tool already.
    public var outputBLAKE2b512: String
    /// File name of the scoped output inside a bundle (`name.jsonl` / `name.csv`).
    public var outputName: String
    /// Input files, relative to the data root.
    public var inputFiles: [String]
}
