import DiscloseKit
import Foundation

/// `disclose verify` (the checks live in DiscloseKit's BundleVerifier).
enum VerifyCommand {
    static func run(bundle: String, signer: String, identities: [String], extract: String?, json: Bool) throws -> Int32 {
        throw UsageError(message: "verify is not available yet", hint: nil)
    }
}
