import DiscloseTestSupport
import DiscloseKit
import Foundation
import Testing

/// `--jobs N` (#19): the number of scanning threads never changes a plan byte, and a
/// value that is not a whole number from 1 up is bad input (exit 2), never a crash.
@Suite("--jobs")
struct JobsCLITests {
    @Test("plan --jobs 1 and --jobs 4 give the very same plan document", arguments: GoldenPlanTests.requests)
    func sameplan(_ c: GoldenPlanTests.GoldenCase) throws {
        let ws = try Workspace("disclose-jobs")
        let request = Workspace.request(c.caseName, c.request)
        try GoldenPlanTests.seedCaseNonce(ws, request: request)
        let one = try ws.disclose("plan", request, "--json", "--jobs", "1")
        let four = try ws.disclose("plan", request, "--json", "--jobs=4")
        #expect(one.status == c.expectedStatus, "\(one)")
        #expect(four.status == one.status, "\(four)")
        #expect(four.stdout == one.stdout)
        #expect(!one.stdout.isEmpty)
    }

    @Test("--jobs 0, a negative or a non-number is bad input: exit 2 with a clear error",
          arguments: [["plan", "R", "--jobs", "0"], ["plan", "R", "--jobs", "-3"], ["export", "P", "--out", "D", "--jobs", "many"],
                      ["verify", "B", "--signer", "S", "--jobs", "0"], ["preserve", "R", "--out", "D", "--jobs", "1.5"]])
    func badJobs(_ args: [String]) throws {
        let r = try Run.disclose(args)
        #expect(r.status == 2, "\(r)")
        #expect(r.stderr.contains("disclose: error: --jobs takes a whole number from 1 to 1024"), "\(r)")
        #expect(r.stderr.contains("disclose: hint:"), "\(r)")
    }
}
