/// `VERIFY.txt`: the stock-tool steps for the receiving authority, the same for Linux,
/// macOS and Windows PowerShell (minisign and age ship for all three). Nothing is ever
/// written inside the bag: plaintext goes to a folder beside it, so the bag still passes
/// `disclose verify` and BagIt validation after the steps were followed.
enum VerifyInstructions {
    static func text(bundleID: String, requestID: String, provider: String, signingKeyID: String, signingPublicKey: String) -> String {
        let out = "../\(bundleID)-plaintext"
        let win = "..\\\(bundleID)-plaintext"
        return """
        Disclosure bundle \(bundleID)
        Request \(requestID), from \(provider)

        This is a BagIt 1.0 bag. Check it with stock tools before you use anything in it,
        in this order, from inside the bundle directory. If ANY step fails, stop and discard
        everything it produced. Nothing below writes inside the bundle: decrypted files go
        to the folder \(out) beside it.

        Obtain the provider's public key through a separate, trusted channel; its key id
        must be \(signingKeyID).

        ----- Linux (bash; GNU coreutils) -----------------------------------------------
        1. minisign -V -H -m tagmanifest-sha512.txt -P \(signingPublicKey)
        2. sha512sum -c tagmanifest-sha512.txt && sha512sum -c manifest-sha512.txt
        3. mkdir \(out)
           for f in data/*.age; do
             o="\(out)/$(basename "$f" .age)"
             age -d -i YOUR-IDENTITY.txt -o "$o" "$f" || { rm -f "$o"; echo "FAILED: $f"; }
           done
        4. b2sum \(out)/*
        5. # the custodian's certificate must name exactly the manifest's SHA-512s; prints nothing:
           sed -n 's/^SHA-512: //p' certificate.txt | sort | diff - <(cut -c1-128 manifest-sha512.txt | sort)

        ----- macOS (zsh; minisign and age from Homebrew) --------------------------------
        1. minisign -V -H -m tagmanifest-sha512.txt -P \(signingPublicKey)
        2. shasum -a 512 -c tagmanifest-sha512.txt && shasum -a 512 -c manifest-sha512.txt
        3. as on Linux (the same loop works in zsh)
        4. b2sum \(out)/*     (Homebrew coreutils; or: openssl dgst -blake2b512 FILE)
        5. as on Linux (the same line works in zsh)

        ----- Windows (PowerShell; minisign.exe and age.exe on the PATH) ----------------
        1. minisign -V -H -m tagmanifest-sha512.txt -P \(signingPublicKey)
        2. foreach ($m in 'tagmanifest-sha512.txt', 'manifest-sha512.txt') {
             Get-Content $m | ForEach-Object {
               $h, $p = $_ -split '  ', 2
               if ((Get-FileHash -Algorithm SHA512 -LiteralPath $p).Hash.ToLower() -ne $h) { Write-Error "FAILED: $p" }
             } }
        3. New-Item -ItemType Directory \(win) | Out-Null
           Get-ChildItem data\\*.age | ForEach-Object {
             $o = "\(win)\\" + $_.BaseName
             age -d -i YOUR-IDENTITY.txt -o $o $_.FullName
             if ($LASTEXITCODE -ne 0) { Remove-Item $o -ErrorAction SilentlyContinue; Write-Error "FAILED: $($_.Name)" } }
        4. a BLAKE2b-512 tool (Get-FileHash has none): b2sum from Git for Windows, or
           disclose verify (below)
        5. Compare-Object (Select-String '^SHA-512: (.*)' certificate.txt | ForEach-Object { $_.Matches[0].Groups[1].Value } | Sort-Object) `
             (Get-Content manifest-sha512.txt | ForEach-Object { $_.Substring(0, 128) } | Sort-Object)
           must print nothing.

        WARNING: age writes plaintext before it has authenticated the whole file. When age
        fails, delete its output: it is incomplete and may be truncated. A dataset with
        nothing to disclose decrypts to empty plaintext; stock age then creates no output
        file at all (disclosure.json shows records_disclosed: 0).

        Step 4 checks each decrypted file against the disclosure record (record.json in
        the plaintext folder): its "datasets" give, per file, plaintext_blake2b512, which
        b2sum must print for that file (an empty payload: the digest of empty input).

        record.json holds the disclosure record: how each subject identifier resolved,
        record counts, each dataset's time field and its format, the BLAKE2b-512 of every
        decrypted payload, the redaction log with its legal basis, and the approved plan.
        disclosure.json lists, without personal data, the window (as sent and in UTC), the
        fields disclosed, pseudonymized and withheld, the recipients by role (authority,
        provider escrow) and the approvals.

        Or, with the disclose tool, all of the above and more in one step (it also writes
        a readable summary.html of what was disclosed):
          disclose verify BUNDLE --signer PROVIDER.pub --identity YOUR-IDENTITY.txt --extract DIR

        """
    }
}
