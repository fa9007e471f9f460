import DiscloseKit
import Primitives
import Testing
@testable import disclose

/// The library names next steps (`NextStep`); the CLI alone spells them as command lines.
@Suite("Next steps rendered by the CLI")
struct NextStepCommandTests {
    @Test("every step renders as the disclose command that performs it, placeholders in capitals")
    func lines() {
        let expected: [(NextStep, String)] = [
            (.plan(), "disclose plan REQUEST --out PLAN"),
            (.plan(practice: true), "disclose plan REQUEST --practice --out PLAN"),
            (.plan(request: "cases/x/request.json", out: "NEW-PLAN"), "disclose plan cases/x/request.json --out NEW-PLAN"),
            (.approve(), "disclose approve PLAN --key KEY"),
            (.export(), "disclose export PLAN --out DIR"),
            (.export(again: true), "disclose export PLAN --out DIR --again --reason TEXT"),
            (.preserve(), "disclose preserve REQUEST --out DIR"),
            (.receive(), "disclose case receive REQUEST"),
            (.close(caseID: "C-1"), "disclose case close C-1 --reason TEXT"),
            (.notified(caseID: "C-1"), "disclose case notified C-1"),
            (.followUp(caseID: "C-1"), "disclose case follow-up C-1 --reference TEXT"),
            (.status(), "disclose status"),
            (.status(all: true), "disclose status --all"),
            (.verifyAuditLog, "disclose audit verify"),
            (.makeRecipientKey(out: "escrow.age"), "disclose keygen recipient --out escrow.age"),
            (.makePseudonymSecret(out: "p.secret"), "disclose keygen pseudonym --out p.secret"),
        ]
        for (step, line) in expected { #expect(NextStepCommand.line(step) == line) }
    }

    @Test("a hint is the library's words then the step's command; either may be absent")
    func hints() {
        #expect(NextStepCommand.hint("make one with:", .plan()) == "make one with: disclose plan REQUEST --out PLAN")
        #expect(NextStepCommand.hint("check the path", nil) == "check the path")
        #expect(NextStepCommand.hint(nil, .verifyAuditLog) == "disclose audit verify")
        #expect(NextStepCommand.hint(nil, nil) == nil)
    }

    @Test("a case's advice renders as before: the step, its note, and an alternative")
    func advice() {
        #expect(NextStepCommand.advice(.step(.close(caseID: "C-1"), note: "after the preservation ends"))
                == "disclose case close C-1 --reason TEXT (after the preservation ends)")
        #expect(NextStepCommand.advice(.either(.plan(out: "NEW-PLAN"), note: "a reviewer rejected this one", or: .close(caseID: "C-1")))
                == "disclose plan REQUEST --out NEW-PLAN (a reviewer rejected this one), or disclose case close C-1 --reason TEXT")
        #expect(NextStepCommand.advice(.nothing("nothing (closed)")) == "nothing (closed)")
    }
}
