import DiscloseKit

/// Help texts, one per command; `disclose COMMAND --help` prints them.
enum Usage {
    static let version = ToolVersion.agent

    static let overview = """
    disclose — answer lawful data requests with exactly what the instrument authorizes

    Usage: disclose COMMAND [OPTIONS]

    Commands:
      plan REQUEST        dry run: policy checks, subject resolution, per-field decisions
      review PLAN         read a saved plan back: the report, or the HTML reviewer's sheet
      approve PLAN        sign (or reject) a plan as a reviewer
      export PLAN         after approval: scoped, encrypted, signed BagIt bundle
      verify BUNDLE       check a bundle's signature, manifests, approvals (and decrypt)
      decrypt             decrypt an age file; releases nothing unauthenticated
      keygen KIND         create keys: signing (minisign), recipient (age), pseudonym
      case ACTION ID      receive, no-data, follow-up, extend, close, void, notified
      preserve REQUEST    seal a preservation request's records to the provider's escrow
      status              open cases, most urgent first, with their deadlines
      audit verify        check the audit log's chain, signed heads (and bundles' recorded heads)
      audit checkpoint    sign the audit log's current head with the provider key
      report              transparency report over the audit log (table, JSON, CSV, SVG)
      import REQUEST.xml  translate an ETSI TS 103 120 (HI-1) request into request JSON
      respond PLAN        write the HI-1 answer: each task's status, refusals, the delivery
      import-delivery     reassemble a bundle delivered in HI-1 parts, checking every part
      completion SHELL    shell completion: source <(disclose completion bash|zsh), or fish
      help [COMMAND]      this text, or one command's; help --man: the manual page

    Options for every command: --help. Provider configuration: disclose.json in the
    working directory, or --config FILE.
    Exit status: 0 success, 1 refusal or verification failure, 2 usage or input error.
    """

    static func text(for topic: String?) -> String? {
        switch topic {
        case nil: return overview
        case "plan": return """
            Usage: disclose plan REQUEST [--config FILE] [--json] [--out PLAN] [--html FILE] [--sample N [--sample-out FILE]]
                                 [--practice] [--jobs N]

            The dry run. Runs the same decision and scoping code as export, hashes the
            scoped output instead of encrypting it, and reports: the verdict, policy checks,
            how each subject identifier resolved, per dataset the records scanned / of the
            subjects / in the window, and the fields grouped by action with the reason.
            Times are shown in the authority's time zone (policy time_zone) beside UTC.

              --config FILE   provider configuration (default: ./disclose.json)
              --json          print the plan document as JSON instead of the report
              --out PLAN      write the plan document reviewers sign (never overwritten, mode 0600)
              --html FILE     write the reviewer's sheet: one self-contained HTML page
                              (mode 0600, never overwritten) to read, print or file
              --sample N      N scoped records per dataset (0–1000) on the terminal (refused
                              when standard output is not one: personal data), or with
                              --html on the sheet
              --sample-out FILE  write the sampled records to FILE instead (new file, mode 0600)
              --practice      a rehearsal: the plan is marked PRACTICE ("practice": true),
                              nothing is written to the audit log; only approve --practice
                              and export --practice accept it
              --jobs N        scan with N threads (default: the cores this process may
                              use); the plan and every output byte are the same for any N

            Exit status: 0 disclose or no data found, 1 refused, 2 bad input.
            """
        case "review": return """
            Usage: disclose review PLAN [--html FILE] [--config FILE]

            Reads a saved plan document back for people: the same report as plan, or with
            --html the reviewer's sheet (mode 0600, never overwritten). With the provider's
            disclose.json at hand (or --config) and the very data map and policy the plan
            was made from, it adds dataset descriptions, the authority's name and time
            zone, recipients, and the approvals found beside the plan (PLAN.*.minisig).
            """
        case "completion": return """
            Usage: disclose completion bash|zsh|fish

            Prints a completion script for the shell, generated from these help texts:
              bash:  source <(disclose completion bash)
              zsh:   source <(disclose completion zsh)
              fish:  disclose completion fish | source
            """
        case "help": return """
            Usage: disclose help [COMMAND]
                   disclose help --man

            Prints the overview or one command's usage; --man prints the manual page
            (roff) made from the same texts: disclose help --man | man -l -
            """
        case "approve": return """
            Usage: disclose approve PLAN --key KEY [--reject --reason TEXT] [--replace] [--yes]
                                         [--passphrase-file FILE] [--config FILE] [--practice]

            Shows what is signed — request, window, subjects, categories, per dataset the
            fields disclosed, redacted and withheld, recipients, the plan digest — and, on
            a terminal, asks for confirmation (--yes: do not ask; without a terminal it
            never asks). Then records the reviewer's decision as a minisign signature over
            the plan document (PLAN.<keyid>.minisig beside it) and in the audit log. The
            trusted comment carries the decision, the plan digest and the time. The
            reviewer's role comes from the policy's approver list, never from the signer.
            Refused (exit 1): a key that is not among the policy's approvers, approving a
            plan whose verdict is refused, and a second decision by the same key on the
            same plan unless --replace is given (the audit log then records that the
            earlier decision was replaced).
            --practice approves a practice plan (and only one) without writing the audit log.
            """
        case "export": return """
            Usage: disclose export PLAN --out DIR [--tar] [--config FILE] [--passphrase-file FILE]
                                        [--practice | --again --reason TEXT] [--jobs N]

            Refuses unless the plan carries the approvals the policy requires and
            recomputing it gives the very same document. Then streams each dataset through
            scoping into age encryption for the authority and writes a signed BagIt bundle
            at DIR (never overwritten; written under a temporary name, renamed at the end),
            with the custodian's certificate (certificate.txt, FRE 902(11)/(13)/(14)).

              --practice            export a practice plan (and only one): the bundle is
                                    marked PRACTICE, encrypted to the policy's escrow
                                    recipients only (never the authority), and nothing
                                    is written to the audit log
              --again --reason TEXT export a plan that was already exported; without it a
                                    second export is refused and names the first bundle
              --jobs N              scan with N threads (default: the cores this process
                                    may use); the bundle's payload is the same for any N
            """
        case "import": return """
            Usage: disclose import REQUEST.xml [--out REQUEST.json] [--config FILE]
                   disclose import UPDATE.xml --update-of REQUEST.xml [--out UPDATED.json] [--config FILE]

            Reads an ETSI TS 103 120 (HI-1) request message — strictly: UTF-8, no DTD or
            entities, schema structure checked — and shows the request Disclose makes of
            it: authority (from the policy's hi1_sender), instrument (hi1_legal_types),
            subjects, window and categories folded from the LDTasks. 'disclose plan'
            accepts the XML file itself; import only shows (or writes) the translation.

              --out FILE      write the request JSON there (never overwritten) and print
                              a summary of the tasks and documents
              --update-of REQUEST.xml
                              read UPDATE.xml as the authority's UPDATE of that request
                              (authorisation or tasks): show what changes; --out writes
                              the updated request, to plan and approve again
              --config FILE   provider configuration (default: ./disclose.json)
            """
        case "respond": return """
            Usage: disclose respond PLAN --out ANSWER.xml [--bundle DIR [--part-size N]] [--config FILE]
                                    [--hi1-request REQUEST.xml --hi1-update UPDATE.xml]
                   disclose respond PLAN|REQUEST.xml --acknowledge --out ACK.xml [--config FILE]
                   disclose respond PLAN|REQUEST.xml --clarify (--text TEXT | --text-file FILE)
                                    [--task LDID]... --out QUESTION.xml [--config FILE]

            Writes an HI-1 (ETSI TS 103 120) message to the authority that sent the request.
            The answer to PLAN: per LDTask an UPDATE with its LDTaskStatus (Disclosed,
            DisclosureNotAvailable, Rejected); per refusal or no-data a NotificationObject
            with its reason (e-Evidence Form 3 family, policy hi1_refusal_reasons; a
            reviewer's rejection counts, with the reviewer's --reason as details); per
            disclosed task a DELIVER naming the bundle with its tag manifest's SHA-512.

              --bundle DIR      the bundle 'disclose export' wrote from PLAN (required when
                                records were disclosed)
              --part-size N     deliver the tar of the bundle in parts of N bytes (4M, 512K;
                                at most 6000000): ANSWER.part-0001.xml, … one message each
              --hi1-request REQUEST.xml --hi1-update UPDATE.xml
                                PLAN is of the request 'import UPDATE.xml --update-of
                                REQUEST.xml' wrote: answer the updated request's tasks
              --acknowledge     the receipt of each object of the request, nothing else
              --clarify         ask the authority about tasks it cannot execute as written
                                (--task: those tasks only; default all)
              --out FILE        where to write (never overwritten)
              --config FILE     provider configuration (default: ./disclose.json)
            """
        case "import-delivery": return """
            Usage: disclose import-delivery PART.xml... --out BUNDLE.tar

            Reassembles a bundle delivered in parts ('respond --part-size'): checks each
            part's SHA-512, that every part 1…N is there once, in its place (each part names
            the digest of the one before), and the whole's SHA-512, then writes the tar
            (never overwritten; nothing is written on failure). Unpack it and run
            'disclose verify': the signature, not the parts, authenticates the data.
            Exit status: 0 reassembled, 1 a part missing, duplicated, reordered, altered
            or from another delivery (named), 2 bad input.
            """
        case "verify": return """
            Usage: disclose verify BUNDLE --signer PROVIDER.pub [--identity FILE --extract DIR] [--json]
                                  [--jobs N]

            Checks the provider signature, both manifests, every payload digest and size,
            that no file is missing or added, safe paths, and the approvals. With an
            identity it decrypts after authentication and checks plaintext digests.
            --extract DIR creates DIR (mode 0700; refused if it exists) and names the
            plaintext files in it only after every check held. --jobs N is accepted for
            symmetry with plan and export; decryption is sequential by nature.
            Exit status: 0 all checks hold, 1 a check failed, 2 usage error (no such
            bundle directory, --extract path exists, identity not among the recipients).
            """
        case "decrypt": return """
            Usage: disclose decrypt --identity FILE [--identity FILE…] [--output FILE] [INPUT]

            Decrypts an age v1 file (binary or armored) with X25519 identities. INPUT
            defaults to standard input ('-'). The output is written only after the whole
            file authenticated (temporary file, then linked into place): a failed decrypt
            leaves nothing behind. An existing --output file is never replaced (exit 2). Without --output, plaintext goes to standard output after
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
        case "case": return """
            Usage: disclose case receive REQUEST [--acknowledge ACK.xml] [--config FILE]
                   disclose case no-data REQUEST_ID [--reason TEXT] [--config FILE]
                   disclose case follow-up REQUEST_ID --reference TEXT [--config FILE]
                   disclose case extend REQUEST_ID --reference TEXT [--config FILE]
                   disclose case close REQUEST_ID [--reason TEXT] [--config FILE]
                   disclose case void REQUEST_ID --reason TEXT [--config FILE]
                   disclose case notified REQUEST_ID [--reference TEXT] [--config FILE]

            Records a lifecycle event in the audit log (plan, approve, export and preserve
            record theirs themselves):
              receive    the request arrived: its time, authority, instrument, response
                         deadline; for an emergency also when follow-up process is due
              no-data    the authority was answered that no data is held in scope
              follow-up  the legal process following an emergency disclosure arrived
              extend     a preservation was extended (once, before it expires)
              close      the case is closed
              void       the case was opened by mistake (a test run): status and report
                         leave it out and count it apart; never for a case answered with
                         a bundle or that preserved records
              notified   the user was told of the request (refused while an order in the
                         request's "notice" delays or prohibits notice)
            receive --acknowledge ACK.xml also writes the HI-1 acknowledgement of an HI-1
            request (as 'disclose respond REQUEST.xml --acknowledge').
            Each refuses an unknown, closed or voided case. Exit status: 0 recorded, 1 refused, 2 bad input.
            """
        case "preserve": return """
            Usage: disclose preserve REQUEST --out DIR [--config FILE] [--practice] [--jobs N]

            For a preservation request (an instrument with "preservation": true in the
            policy, e.g. US 18 U.S.C. § 2703(f), European Preservation Order): runs the same
            checks and scoping as plan, seals each dataset's scoped records encrypted only
            to the policy's escrow_recipients into DIR (written under a temporary name,
            never overwritten), and records the sealed files' digests and the expiry in
            the audit log. Nothing is disclosed; no approval is needed. With --practice,
            preservation.json is marked PRACTICE and nothing is written to the audit log.
            --jobs N scans with N threads (default: the cores this process may use).
            """
        case "status": return """
            Usage: disclose status [--all] [--json] [--at TIME] [--time-zone ZONE] [--config FILE]

            Open cases from the audit log, most urgent first: state and deadlines — the
            response (policy response_hours; EU e-Evidence 10 days, 8 hours in emergencies),
            the follow-up legal process of emergency disclosures (emergency.follow_up_hours),
            the expiry of preservations. Overdue first. Per case also: the approvals
            of the latest plan by role, rejections, approvals by keys the policy does not
            know (not counted), what is still required, user notice (due by / prohibited
            until, from the request's "notice" and the policy's user_notice) and the next
            command. Voided cases are left out and counted.
              --all       also answered cases with nothing pending (not closed ones)
              --at TIME   evaluate deadlines at TIME instead of now: RFC 3339, or a date
                          YYYY-MM-DD meaning the start of that day in --time-zone ZONE (an
                          IANA name) or else the time_zone of disclose.json; refused without one
            """
        case "audit": return """
            Usage: disclose audit verify [--bundle DIR…] [--signer PROVIDER.pub] [--json]
                                         [--config FILE | --log FILE]
                   disclose audit checkpoint [--config FILE] [--passphrase-file FILE]

            verify walks the audit log's hash chain and names the first modified, missing
            or reordered entry; checks every head the provider signed (head_signed
            entries, written at each export and checkpoint) with the provider's public
            key (--signer, else signing_public_key of the configuration), that the newest
            export is covered by a signed head, and the signed head file beside the log.
            With --bundle (repeatable), also checks that the head the bundle's
            disclosure.json recorded is still in the log with the same hash. A missing
            log is exit 2; an emptied log fails. Exit status: 0 intact, 1 broken, 2 bad
            input. checkpoint signs the current head with the provider's signing key, so
            entries recorded since the last export can no longer be removed unnoticed.
            """
        case "report": return """
            Usage: disclose report --from DATE --to DATE [--time-zone ZONE] [--json | --csv]
                                   [--chart FILE.svg] [--config FILE | --log FILE]

            The transparency report over requests received in the period, per country and per instrument type: requests,
            accounts specified, content disclosed, non-content only, no data found,
            rejected, pending, emergency requests, preservations (counted apart), and the
            median minutes from receipt to disclosure, requests with a non-disclosure
            order and notices given; voided cases are left out and counted apart.
            --chart writes a self-contained SVG chart: stacked bars by country with every
            value and share printed on it, durations in readable units, the provider and
            period in the title, and a panel per half-year when the range spans several.
            A plain date is a calendar day in --time-zone ZONE
            (an IANA name such as Europe/Paris) or else the time_zone of disclose.json
            (refused without one): --from DATE from the start of that day, --to DATE
            through its end. RFC 3339 times (with an offset) are taken as they are; a --to
            time is exclusive.
            """
        default: return nil
        }
    }
}
