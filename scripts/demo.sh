#!/usr/bin/env bash
# The demo: case 1 of the examples end to end — plan, two approvals, export, verify —
# then the authority's stock-tool checks from VERIFY.txt. Uses the DEMO keys only.
# Knobs (used by Tests/SystemTests/DemoScriptTests.swift, which runs this script on a
# copy of Examples/ and Keys/ — keep the two in step):
#   DISCLOSE_BIN=PATH       use this disclose binary (skips deps.sh and the release build)
#   DISCLOSE_DEMO_OUT=DIR   write plan, bundle and extractions there (default: a new /tmp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [ -n "${DISCLOSE_BIN:-}" ]; then
  disclose=$DISCLOSE_BIN
else
  bash scripts/deps.sh
  swift build -c release --product disclose 2>&1 | tail -1
  disclose="$root/.build/release/disclose"
fi
chmod 600 Keys/DEMO-*.key Keys/DEMO-*.age Keys/DEMO-pseudonym.secret
if [ -n "${DISCLOSE_DEMO_OUT:-}" ]; then
  out=$DISCLOSE_DEMO_OUT
  mkdir -p "$out"
else
  out=$(mktemp -d /tmp/disclose-demo.XXXXXX)
fi
cd Examples
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. Compliance officer: dry run of case 1 (EU production order, Paris)"
"$disclose" plan cases/01-eu-epoc-paris/request.json --out "$out/plan.json"

step "2. Legal and privacy reviewers approve exactly that plan"
"$disclose" approve "$out/plan.json" --key ../Keys/DEMO-reviewer-legal.key --yes
"$disclose" approve "$out/plan.json" --key ../Keys/DEMO-reviewer-privacy.key --yes

step "3. Compliance officer: export the sealed bundle"
"$disclose" export "$out/plan.json" --out "$out/bundle"

step "4. The authority verifies and decrypts with disclose"
"$disclose" verify "$out/bundle" --signer ../Keys/DEMO-provider.pub \
  --identity ../Keys/DEMO-authority-fr.age --extract "$out/extracted"

step "5. The authority verifies with stock tools only (VERIFY.txt)"
cd "$out/bundle"
minisign -V -H -m tagmanifest-sha512.txt -p "$root/Keys/DEMO-provider.pub"
sha512sum -c tagmanifest-sha512.txt
sha512sum -c manifest-sha512.txt
mkdir -p "$out/stock"
for f in data/*.age; do
  name=$(basename "${f%.age}")
  age -d -i "$root/Keys/DEMO-authority-fr.age" -o "$out/stock/$name" "$f" || { rm -f "$out/stock/$name"; echo "FAILED: $f"; exit 1; }
done
# Each payload's plaintext against its BLAKE2b-512 in the disclosure record (stock age
# writes no file for an empty plaintext: that is b2sum of empty input).
python3 -c 'import json, sys
for d in json.load(open(sys.argv[1]))["datasets"]: print(d["plaintext_blake2b512"], d["file"])' "$out/stock/record.json" |
while read -r digest file; do
  name=$(basename "${file%.age}")
  got=$( { cat "$out/stock/$name" 2>/dev/null || true; } | b2sum | cut -d' ' -f1)
  [ "$got" = "$digest" ] || { echo "FAILED: b2sum of $name differs from the disclosure record"; exit 1; }
done
echo "b2sum: every payload matches its plaintext_blake2b512 in the disclosure record"
python3 -c "import bagit, sys; bagit.Bag(sys.argv[1]).validate(); print('bagit: valid BagIt bag')" "$out/bundle"
ls -l "$out/stock"
step "Done. Everything is under $out"
