#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (with AddressSanitizer) and runs each for a fixed
# time, keeping a corpus per target that is seeded at run time from Examples/, Keys/,
# the test vectors and the C2SP age vectors (../shared/age-vectors when present).
#
#   scripts/fuzz.sh [TARGET…]          default: every target
#
# Knobs:
#   FUZZ_SECONDS=600     run time per target
#   FUZZ_PARALLEL=2      targets run at once (one process each)
#   FUZZ_WORK=DIR        corpora, logs, fixture bundle (default Fuzz/work, git-ignored)
#   DISCLOSE_BIN=PATH    disclose binary used to make the fixture bundle for `verify`
#                        (default: built here with --scratch-path .build-fuzz-cli)
#   FUZZ_BUILD=0         skip building the fuzzers (reuse the last build)
#   FUZZ_TREE=REV        fuzz the committed tree at REV (e.g. HEAD) instead of the working
#                        tree: `git archive REV` plus this working tree's Fuzz/ are copied
#                        to $FUZZ_WORK/src and built there (others' uncommitted edits
#                        in a shared checkout then cannot break or change the run)
#
# A finding (crash, sanitizer report, timeout, leak, out-of-memory) is written to
# $FUZZ_WORK/findings/TARGET/; the script then exits 1. Minimize it
# (`Fuzz/.build/release/FuzzX -minimize_crash=1 FILE`), fix the bug and commit the input
# under Tests/DiscloseKitTests/FuzzRegressions/TARGET/ — FuzzRegressionTests feeds every
# file there to the same entry point and expects an error, not a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
all=(jsonl csv age-header age-armor age-payload minisign documents hi1 verify)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
secs=${FUZZ_SECONDS:-600}
parallel=${FUZZ_PARALLEL:-2}
work=${FUZZ_WORK:-$root/Fuzz/work}
vectors=${AGE_VECTORS:-$root/../shared/age-vectors}
mkdir -p "$work"
work=$(cd "$work" && pwd)

module() { python3 -c 'import sys; print("Fuzz" + "".join(p.capitalize() for p in sys.argv[1].split("-")))' "$1"; }

src=$root
if [ -n "${FUZZ_TREE:-}" ]; then
  src=$work/src
  if [ "${FUZZ_BUILD:-1}" != 0 ]; then
    echo "== snapshot of $FUZZ_TREE ($(git rev-parse --short "$FUZZ_TREE")) in $src"
    mkdir -p "$src"
    find "$src" -mindepth 1 -maxdepth 1 ! -name Fuzz -exec rm -rf {} +
    git archive "$FUZZ_TREE" | tar -x -C "$src"
    mkdir -p "$src/Fuzz"
    (cd Fuzz && tar -c --exclude=./.build --exclude=./work .) | tar -x -C "$src/Fuzz"
  fi
fi
if [ "${FUZZ_BUILD:-1}" != 0 ]; then
  echo "== building fuzzers"
  mkdir -p "$work/logs"
  if ! swift build -c release --package-path "$src/Fuzz" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
      >"$work/logs/build.log" 2>&1; then
    grep -Ev 'warning: Cannot export local symbol' "$work/logs/build.log" | tail -30
    echo "fuzz build failed" >&2
    exit 1
  fi
fi
bin=$src/Fuzz/.build/release

# --- seeds (regenerated every run; small, never committed) ---
seeds=$work/seeds
rm -rf "$seeds"
for t in "${all[@]}"; do mkdir -p "$seeds/$t" "$work/corpus/$t"; done
python3 - "$src" "$vectors" "$seeds" <<'EOF'
import glob, os, sys, zlib
root, vectors, seeds = sys.argv[1:]
def put(target, name, data):
    with open(os.path.join(seeds, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
def chunks(path, n, limit):
    lines = open(path, "rb").read().splitlines(keepends=True)
    return [b"".join(lines[i:i + n]) for i in range(0, min(len(lines), n * limit), n)]
# Datasets: a few lines at a time, plus hostile shapes.
for p in glob.glob(f"{root}/Examples/data/**/*.jsonl", recursive=True):
    for i, c in enumerate(chunks(p, 4, 12)):
        put("jsonl", f"{os.path.basename(p)}-{i}", c)
put("jsonl", "nested", b'{"account_id":"acc_2425","a":' + b"[" * 200 + b"]" * 200 + b"}\n")
put("jsonl", "escapes", b'{"account_id":"acc_\\u0032425","ts":"2026-10-01T10:00:00.5+02:00","ip":"2001:db8::1","to":["x@y"],"e":1e400}\n')
p = f"{root}/Examples/data/files.csv"
lines = open(p, "rb").read().splitlines(keepends=True)
for i in range(1, 60, 5):
    put("csv", f"files-{i}", lines[0] + b"".join(lines[i:i + 5]))
put("csv", "quoted", b'account_id,uploaded_at,filename\r\n"acc_2045","1788000521","a ""b"",\r\nc"\r\n')
# age: the C2SP vectors, binary and armored, without their preamble.
for p in sorted(glob.glob(f"{vectors}/*")):
    if os.path.basename(p).startswith("README"):
        continue
    raw = open(p, "rb").read()
    head, _, body = raw.partition(b"\n\n")
    if b"compressed: zlib" in head:
        try: body = zlib.decompress(body)
        except Exception: continue
    name = os.path.basename(p)
    if b"armored: yes" in head:
        put("age-armor", name, body)
    else:
        put("age-header", name, body)
        i = body.find(b"\n--- ")
        if i >= 0:
            j = body.find(b"\n", i + 1)
            put("age-payload", name, b"\x00" + body[j + 1:][:4096])
for i, s in enumerate([b"\x01\x00\x00\x00\x00hello", b"\x03\x00\x10\x00\x20" + b"x" * 100, b"\x41\xff\xff\xff\xff", b"\x00" * 40]):
    put("age-payload", f"synthetic-{i}", s)
# minisign: the test vectors and the demo keyring.
for p in glob.glob(f"{root}/Tests/MinisignTests/Vectors/*") + glob.glob(f"{root}/Keys/*.pub") + glob.glob(f"{root}/Keys/*.key"):
    if not p.endswith(".md"):
        put("minisign", os.path.basename(p), open(p, "rb").read())
# documents: request, data map, policy, config, golden plans.
for p in glob.glob(f"{root}/Examples/**/*.json", recursive=True) + glob.glob(f"{root}/Tests/discloseTests/Golden/*.json"):
    put("documents", p.replace(root, "").replace("/", "_"), open(p, "rb").read())
# HI-1
for p in glob.glob(f"{root}/Examples/hi1/*.xml"):
    put("hi1", os.path.basename(p), open(p, "rb").read())
EOF

# --- the fixture bundle for `verify`: case 1 of the examples, made by the real binary ---
if printf '%s\n' "${targets[@]}" | grep -qx verify; then
  fixture=$work/fixture
  if [ ! -f "$fixture/bundle/tagmanifest-sha512.txt.minisig" ]; then
    echo "== making the fixture bundle"
    disclose=${DISCLOSE_BIN:-}
    if [ -z "$disclose" ]; then
      swift build --package-path "$src" --product disclose --scratch-path "$src/.build-fuzz-cli" 2>&1 | tail -1
      disclose=$src/.build-fuzz-cli/debug/disclose
    fi
    rm -rf "$fixture"; mkdir -p "$fixture"
    cp -R "$src/Examples" "$src/Keys" "$fixture/"
    chmod 600 "$fixture"/Keys/DEMO-*.key "$fixture"/Keys/DEMO-*.age "$fixture"/Keys/DEMO-pseudonym.secret
    (cd "$fixture/Examples" &&
      "$disclose" plan cases/01-eu-epoc-paris/request.json --out ../plan.json >/dev/null &&
      "$disclose" approve ../plan.json --key ../Keys/DEMO-reviewer-legal.key --yes >/dev/null &&
      "$disclose" approve ../plan.json --key ../Keys/DEMO-reviewer-privacy.key --yes >/dev/null &&
      "$disclose" export ../plan.json --out ../bundle >/dev/null)
  fi
  export DISCLOSE_FUZZ_BUNDLE=$fixture/bundle DISCLOSE_FUZZ_SIGNER=$fixture/Keys/DEMO-provider.pub \
         DISCLOSE_FUZZ_IDENTITY=$fixture/Keys/DEMO-authority-fr.age
  python3 - "$fixture/bundle" "$seeds/verify" <<'EOF'
import os, sys
bundle, out = sys.argv[1:]
files = sorted(os.path.relpath(os.path.join(d, f), bundle) for d, _, fs in os.walk(bundle) for f in fs)
for i, f in enumerate(files):
    data = open(os.path.join(bundle, f), "rb").read()
    with open(os.path.join(out, f"{i}-orig"), "wb") as o: o.write(bytes([i | 0x80]) + data)
    with open(os.path.join(out, f"{i}-flip"), "wb") as o: o.write(bytes([i]) + data[:-2] + bytes([data[-2] ^ 1]) + data[-1:] if len(data) > 2 else bytes([i]))
EOF
fi

# --- run ---
mkdir -p "$work/logs"
run_one() {
  local t=$1 m
  m=$(module "$t")
  mkdir -p "$work/findings/$t"
  echo "== $t: ${secs}s"
  "$bin/$m" "$work/corpus/$t" "$seeds/$t" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/findings/$t/" >"$work/logs/$t.log" 2>&1 || true
}
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then wait -n; running=$((running - 1)); fi
done
wait

# --- report ---
status=0
printf '\n%-12s %10s %8s %8s  %s\n' target execs seconds corpus findings
for t in "${targets[@]}"; do
  log=$work/logs/$t.log
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)
  took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $5}' | tail -1)
  found=$(find "$work/findings/$t" -type f | wc -l)
  printf '%-12s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "${took:-?}" "$(ls "$work/corpus/$t" | wc -l)" "$found"
  if [ "$found" -ne 0 ] || [ -z "$execs" ]; then status=1; fi
done
echo "logs: $work/logs, findings: $work/findings"
exit $status
