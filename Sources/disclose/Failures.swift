import Age
import DiscloseKit
import Minisign

/// Maps library errors that are not input errors or refusals to messages and statuses.
enum Failures {
    static func report(_ error: Error) -> Int32 {
        switch error {
        case let e as AgeError:
            Diagnostics.error(e.description)
            switch e {
            case .noMatch, .hmacFailure, .payloadFailure: return 1   // wrong key or failed authentication
            default: return 2                                         // malformed input, unsupported, I/O
            }
        case let e as MinisignError:
            Diagnostics.error(e.description)
            switch e {
            case .invalidSignature, .invalidTrustedCommentSignature, .keyIDMismatch, .legacySignature, .wrongPassphrase: return 1
            default: return 2
            }
        default:
            Diagnostics.error("\(error)")
            return 2
        }
    }
}
