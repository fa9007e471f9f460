import Foundation
import Primitives
import Sodium

/// Request JSON writing, for `disclose import`: the translation of an HI-1 message in our
/// own request format, which `Request.parse` reads back to the same request.
public enum RequestDocument {
    /// The request as a JSON document (members in the order of docs/FORMATS.md).
    public static func json(_ r: Request) -> JSONOutput {
        var members: [(String, JSONOutput)] = [
            ("id", .string(r.id)), ("received", .string(r.received.description)), ("authority", .string(r.authority)),
            ("instrument", .object([
                ("type", .string(r.instrument.type)), ("reference", .string(r.instrument.reference)),
                ("issuer_role", .string(r.instrument.issuerRole)), ("issued", .string(r.instrument.issued.description)),
                ("expires", .optional(r.instrument.expires?.description)),
            ])),
            ("subjects", .array(r.subjects.map { s in
                .object([("type", .string(s.kind.rawValue)), ("value", .string(s.value))] + (s.time.map { [("time", JSONOutput.string($0.description))] } ?? []))
            })),
            ("window", .object([("from", .string(r.window.lowerBound.description)), ("to", .string(r.window.upperBound.description))])),
            ("categories", .array(r.categories.sorted().map { .string($0.rawValue) })),
        ]
        if let fields = r.fields { members.append(("fields", .array(fields.map { .string($0) }))) }
        if r.thirdPartiesUnredacted { members.append(("third_parties_unredacted", true)) }
        if let e = r.emergency {
            members.append(("emergency", .object([("statement", .string(e.statement))] + (e.callbackAttestation.map { [("callback_attestation", JSONOutput.string($0))] } ?? []))))
        }
        return .object(members)
    }
}

/// Loading what `disclose respond` needs: the approved plan, the HI-1 request it was made
/// from (found through the plan, and checked against the plan's digest) and the bundle.
public enum HI1AnswerInputs {
    /// Everything the answer is built from.
    public struct Loaded: Sendable {
        /// The request message.
        public var request: HI1Request
        /// Each task's outcome.
        public var outcomes: [HI1TaskOutcome]
        /// The bundle, when one was given.
        public var bundle: HI1BundleReference?
        /// This provider's endpoint (the policy's `hi1_receiver`).
        public var provider: HI1Request.Endpoint
        /// The bundle directory, when one was given.
        public var bundlePath: String? = nil
    }

    /// A request message to acknowledge or to ask about: `path` is the HI-1 XML itself or
    /// a plan made from one. Refuses a message not addressed to this provider.
    public static func request(path: String, config: ProviderConfig) throws -> (request: HI1Request, provider: HI1Request.Endpoint) {
        let policy = try Policy.load(path: config.policyPath)
        guard let provider = policy.hi1Receiver else {
            throw InputError(file: config.policyPath, message: "the policy has no hi1_receiver: the answer needs this provider's HI-1 endpoint")
        }
        var requestPath = path
        var bytes = try FileBytes.read(path: path, limit: RequestLoader.maxBytes)
        if !RequestLoader.isXML(bytes) {
            guard let plan = try PlanModel.readIfPlan(bytes, file: path) else {
                throw InputError(file: path, message: "neither an HI-1 message nor a Disclose plan document")
            }
            let reference = plan.inputs.requestFile, digest = plan.inputs.requestSHA512
            requestPath = CaseFiles.requestPath(reference: reference, config: config)
            bytes = try FileBytes.read(path: requestPath, limit: RequestLoader.maxBytes)
            guard RequestLoader.isXML(bytes) else {
                throw InputError(file: requestPath, message: "the plan's request is not an HI-1 message; an HI-1 answer needs one")
            }
            guard Hex.encode(SHA512.hash(bytes)) == digest else {
                throw InputError(file: requestPath, message: "the request file changed since the plan was made (SHA-512 differs)")
            }
        }
        let request = try InputError.fromHI1 { try HI1Reader.read(bytes, file: requestPath) }
        guard request.receiver == provider else {
            throw InputError(file: requestPath, field: "/HI1Message/Header/ReceiverIdentifier",
                             message: "the message is addressed to \(request.receiver), not to this provider (\(provider))")
        }
        return (request, provider)
    }

    /// Loads and cross-checks the plan, its HI-1 request and the bundle. Refuses a plan
    /// whose request is not an HI-1 message or has changed, a bundle made from another
    /// plan, and a missing bundle when some task was disclosed.
    /// With `update` (the original HI-1 request and the authority's UPDATE), the plan may be
    /// of the updated request JSON `import --update-of` wrote: its bytes must be exactly
    /// what these two messages make, and the answer goes to the updated request's tasks.
    public static func load(planPath: String, bundlePath: String?, config: ProviderConfig,
                            update: (request: String, update: String)? = nil) throws -> Loaded {
        let planBytes = try FileBytes.read(path: planPath, limit: DocumentJSON.maxBytes)
        guard let plan = try PlanModel.readIfPlan(planBytes, file: planPath) else {
            throw InputError(file: planPath, message: "not a Disclose plan document (\(PlanDocument.format))")
        }
        let reference = plan.inputs.requestFile, requestDigest = plan.inputs.requestSHA512
        if plan.practice {
            throw Refusal("respond refused: \(planPath) is a PRACTICE plan; an authority is never answered from a rehearsal",
                          hint: "make a real plan with:", next: .plan())
        }
        let requestPath = CaseFiles.requestPath(reference: reference, config: config)
        let bytes = try FileBytes.read(path: requestPath, limit: RequestLoader.maxBytes)
        guard Hex.encode(SHA512.hash(bytes)) == requestDigest else {
            throw InputError(file: requestPath, message: "the request file changed since the plan was made (SHA-512 differs)")
        }
        let policy = try Policy.load(path: config.policyPath)
        guard let provider = policy.hi1Receiver else {
            throw InputError(file: config.policyPath, message: "the policy has no hi1_receiver: the answer needs this provider's HI-1 endpoint")
        }
        let request: HI1Request
        if RequestLoader.isXML(bytes) {
            guard update == nil else {
                throw InputError(file: requestPath, message: "the plan's request is an HI-1 message itself; --hi1-request/--hi1-update are for a plan of an updated request JSON")
            }
            request = try InputError.fromHI1 { try HI1Reader.read(bytes, file: requestPath) }
        } else if let update {
            let updated = try HI1UpdateDiff.load(updatePath: update.update, requestPath: update.request, policy: policy)
            guard Array(RequestDocument.json(updated.new).pretty.utf8) == bytes else {
                throw InputError(file: requestPath, message: "the plan's request is not the one 'import \(update.update) --update-of \(update.request)' makes",
                                 hint: "plan the request JSON that import --update-of wrote, unchanged")
            }
            request = updated.merged
        } else {
            throw InputError(file: requestPath, message: "the plan's request is not an HI-1 message; an HI-1 answer needs one",
                             hint: "plan the HI-1 XML file itself (for an updated request: --hi1-request REQUEST.xml --hi1-update UPDATE.xml)")
        }
        let outcomes = HI1Outcomes.outcomes(try HI1Mapping.taskScopes(request, file: requestPath), plan: plan, policy: policy,
                                            rejection: try rejection(planPath: planPath, plan: planBytes, policy: policy))
        var bundle: HI1BundleReference?
        if let bundlePath {
            // Through the bundle's directory, never a link, each file read once.
            let directory = try DirectoryHandle(path: bundlePath)
            let disclosurePath = directory.describe("disclosure.json")
            let disclosure = try DisclosureDocument.read(try directory.read("disclosure.json", limit: DocumentJSON.maxBytes), file: disclosurePath)
            guard disclosure.plan.sha512 == PlanDigest.hex(planBytes) else {
                throw InputError(file: disclosurePath, message: "this bundle was not exported from \(planPath) (plan SHA-512 differs)")
            }
            bundle = HI1BundleReference(bundleID: disclosure.bundleID, tagManifest: try directory.read("tagmanifest-sha512.txt", limit: 1 << 20))
        } else if outcomes.contains(where: { $0.status == .disclosed }) {
            throw InputError(file: planPath, message: "the plan discloses records; the answer must point to the exported bundle",
                             hint: "give --bundle DIR (the directory the export wrote)")
        }
        return Loaded(request: request, outcomes: outcomes, bundle: bundle, provider: provider, bundlePath: bundlePath)
    }

    /// The tasks named by `names` (LDIDs or object identifiers); an unknown name is an error.
    public static func tasks(_ names: [String], in request: HI1Request, file: String) throws -> [HI1Request.Task] {
        try names.map { n in
            guard let t = request.tasks.first(where: { $0.reference == n || $0.objectIdentifier == n }) else {
                throw InputError(file: file, message: "the request has no task '\(n)' (tasks: \(request.tasks.map(\.label).joined(separator: ", ")))")
            }
            return t
        }
    }

    /// The first valid rejection among the reviewers' decisions beside the plan (a veto
    /// binds: the answer is a refusal even if other reviewers approved).
    static func rejection(planPath: String, plan: [UInt8], policy: Policy) throws -> HI1Outcomes.Rejection? {
        let signatures = try Approval.files(forPlan: planPath).map {
            (name: $0, text: String(decoding: try FileBytes.read(path: $0, limit: 16_384), as: UTF8.self))
        }
        let check = ApprovalCheck.check(plan: plan, signatures: signatures, policy: policy, rule: policy.approvals)
        return check.valid.first { $0.approval.verdict == .reject }.map { HI1Outcomes.Rejection(role: $0.approver.role, reason: $0.approval.reason) }
    }
}
