import Foundation
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
    }

    /// Loads and cross-checks the plan, its HI-1 request and the bundle. Refuses a plan
    /// whose request is not an HI-1 message or has changed, a bundle made from another
    /// plan, and a missing bundle when some task was disclosed.
    public static func load(planPath: String, bundlePath: String?, config: ProviderConfig) throws -> Loaded {
        let planBytes = try FileBytes.read(path: planPath, limit: DocumentJSON.maxBytes)
        let plan = try DocumentJSON.parse(planBytes, file: planPath)
        guard plan["format"]?.string == PlanDocument.format, let reference = plan["inputs"]?["request_file"]?.string,
              let requestDigest = plan["inputs"]?["request_sha512"]?.string else {
            throw InputError(file: planPath, message: "not a Disclose plan document (\(PlanDocument.format))")
        }
        if plan["practice"]?.bool == true {
            throw Refusal("respond refused: \(planPath) is a PRACTICE plan; an authority is never answered from a rehearsal",
                          hint: "make a real plan with: disclose plan REQUEST --out PLAN")
        }
        let requestPath = CaseFiles.requestPath(reference: reference, config: config)
        let bytes = try FileBytes.read(path: requestPath, limit: RequestLoader.maxBytes)
        guard RequestLoader.isXML(bytes) else {
            throw InputError(file: requestPath, message: "the plan's request is not an HI-1 message; an HI-1 answer needs one", hint: "plan the HI-1 XML file itself")
        }
        guard Hex.encode(SHA512.hash(bytes)) == requestDigest else {
            throw InputError(file: requestPath, message: "the request file changed since the plan was made (SHA-512 differs)")
        }
        let policy = try Policy.load(path: config.policyPath)
        guard let provider = policy.hi1Receiver else {
            throw InputError(file: config.policyPath, message: "the policy has no hi1_receiver: the answer needs this provider's HI-1 endpoint")
        }
        let request = try HI1Reader.read(bytes, file: requestPath)
        let outcomes = HI1Answer.outcomes(try HI1Mapping.taskScopes(request, file: requestPath), plan: plan)
        var bundle: HI1BundleReference?
        if let bundlePath {
            let disclosurePath = bundlePath + "/disclosure.json"
            let disclosure = try DocumentJSON.load(path: disclosurePath)
            guard disclosure["plan"]?["sha512"]?.string == PlanDigest.hex(planBytes) else {
                throw InputError(file: disclosurePath, message: "this bundle was not exported from \(planPath) (plan SHA-512 differs)")
            }
            guard let id = disclosure["bundle_id"]?.string else { throw InputError(file: disclosurePath, field: "bundle_id", message: "missing") }
            bundle = HI1BundleReference(bundleID: id, tagManifest: try FileBytes.read(path: bundlePath + "/tagmanifest-sha512.txt", limit: 1 << 20))
        } else if outcomes.contains(where: { $0.status == .disclosed }) {
            throw InputError(file: planPath, message: "the plan discloses records; the answer must point to the exported bundle",
                             hint: "give --bundle DIR (the directory disclose export wrote)")
        }
        return Loaded(request: request, outcomes: outcomes, bundle: bundle, provider: provider)
    }
}
