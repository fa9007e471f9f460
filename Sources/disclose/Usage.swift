/// Help texts, one per command; `disclose COMMAND --help` prints them.
enum Usage {
    static let version = "disclose 0.1.0"

    static let overview = """
    disclose — answer lawful data requests with exactly what the instrument authorizes

    Usage: disclose COMMAND [OPTIONS]

    Commands:
      plan REQUEST        dry run: policy checks, subject resolution, per-field decisions
      approve PLAN        sign (or reject) a plan as a reviewer
      export PLAN         after approval: scoped, encrypted, signed BagIt bundle
      verify BUNDLE       check a bundle's signature, manifests, approvals (and decrypt)
      decrypt             decrypt an age file; releases nothing unauthenticated
      keygen KIND         create keys: signing (minisign), recipient (age), pseudonym
      help [COMMAND]      this text, or one command's

    Options for every command: --help. Provider configuration: disclose.json in the
    working directory, or --config FILE.
    Exit status: 0 success, 1 refusal or verification failure, 2 usage or input error.
    """

    static func text(for topic: String?) -> String? {
        switch topic {
        case nil: return overview
        case "plan": return """
            Usage: disclose plan REQUEST [--config FILE] [--json] [--out PLAN] [--sample N]

            The dry run. Runs the same decision and scoping code as export, hashes the
            scoped output instead of encrypting it, and reports: policy checks, how each
            subject identifier resolved, per dataset the records scanned / of the subjects /
            in the window, and per field the category, action and reason.

              --config FILE   provider configuration (default: ./disclose.json)
              --json          print the plan document as JSON instead of the report
              --out PLAN      write the plan document reviewers sign (never overwritten)
              --sample N      print N scoped records per dataset (terminal only; 0–1000)

            Exit status: 0 disclose or no data found, 1 refused, 2 bad input.
            """
        case "approve": return """
            Usage: disclose approve PLAN --key KEY [--reject --reason TEXT]
                                         [--passphrase-file FILE] [--config FILE]

            Shows the plan summary and records the reviewer's decision as a minisign
            signature over the plan document (PLAN.<keyid>.minisig beside it). The trusted
            comment carries the decision, the plan digest and the time. The reviewer's role
            comes from the policy's approver list, never from the signer.
            """
        case "export": return """
            Usage: disclose export PLAN --out DIR [--tar] [--config FILE] [--passphrase-file FILE]

            Refuses unless the plan carries the approvals the policy requires and
            recomputing it gives the very same document. Then streams each dataset through
            scoping into age encryption for the authority and writes a signed BagIt bundle
            at DIR (never overwritten; written under a temporary name, renamed at the end).
            """
        case "verify": return """
            Usage: disclose verify BUNDLE --signer PROVIDER.pub [--identity FILE --extract DIR] [--json]

            Checks the provider signature, both manifests, every payload digest and size,
            that no file is missing or added, safe paths, and the approvals. With an
            identity it decrypts after authentication and checks plaintext digests.
            Exit status: 0 all checks hold, 1 a check failed, 2 usage error.
            """
        case "decrypt": return """
            Usage: disclose decrypt --identity FILE [--identity FILE…] [--output FILE] [INPUT]

            Decrypts an age v1 file (binary or armored) with X25519 identities. INPUT
            defaults to standard input ('-'). The output is written only after the whole
            file authenticated (temporary file, then rename): a failed decrypt leaves
            nothing behind. Without --output, plaintext goes to standard output after
            verification.
            Exit status: 0 success, 1 no identity matched or authentication failed,
            2 malformed input or usage error.
            """
        case "keygen": return """
            Usage: disclose keygen signing --out PATH [--unencrypted] [--comment TEXT] [--passphrase-file FILE]
                   disclose keygen recipient --out PATH
                   disclose keygen pseudonym --out PATH

            signing    minisign Ed25519 key pair: PATH.pub and PATH.key (mode 0600). The
                       secret key is passphrase-protected (asked twice on the terminal, or
                       the first line of --passphrase-file) unless --unencrypted.
            recipient  age X25519 identity at PATH (mode 0600, age-keygen format) and its
                       recipient (age1…) at PATH.pub.
            pseudonym  the provider's pseudonymization secret (32 random bytes, hex, 0600).
            Existing files are never overwritten.
            """
        default: return nil
        }
    }
}
