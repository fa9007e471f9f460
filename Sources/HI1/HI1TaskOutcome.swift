import Primitives
import Sodium

/// The outcome of one LDTask, as the HI-1 answer reports it.
public struct HI1TaskOutcome: Sendable, Equatable {
    /// ETSI `LDTaskStatus` values Disclose reports.
    public enum Status: String, Sendable {
        /// Records were disclosed in the bundle.
        case disclosed = "Disclosed"
        /// The task is valid but no record of its subjects is in scope.
        case notAvailable = "DisclosureNotAvailable"
        /// The provider refused the task.
        case rejected = "Rejected"
    }
    /// The task's object identifier.
    public var objectIdentifier: String
    /// The task's LDID, when it has one.
    public var reference: String?
    /// The status.
    public var status: Status
    /// Disclose's reason code (docs/HI1.md), nil for `Disclosed`.
    public var code: Int?
    /// Why, in words (no record values).
    public var reason: String?
    /// The Form 3 family of the refusal or impossibility, nil for `Disclosed`.
    public var refusal: HI1RefusalReason? = nil

    /// Builds an outcome; `code`, `reason` and `refusal` are nil for `Disclosed`.
    public init(objectIdentifier: String, reference: String?, status: Status, code: Int? = nil, reason: String? = nil, refusal: HI1RefusalReason? = nil) {
        self.objectIdentifier = objectIdentifier; self.reference = reference; self.status = status
        self.code = code; self.reason = reason; self.refusal = refusal
    }
}
