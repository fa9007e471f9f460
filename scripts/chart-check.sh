#!/usr/bin/env bash
# Renders the transparency report's SVG chart in headless Chromium and saves a PNG to look at.
# Usage: bash scripts/chart-check.sh [OUTDIR]   (needs chromium: apt-get install -y chromium)
# It writes a synthetic, correctly hash-chained audit log of a few hundred cases across
# several countries, runs `disclose report --chart`, checks the SVG is well-formed XML
# (xmllint when present), and screenshots it. Not part of CI: the PNG is for human eyes.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d /tmp/disclose-chart.XXXXXX)}"
mkdir -p "$out"
swift build --scratch-path "${SCRATCH:-.build}" --product disclose >/dev/null
bin="$(swift build --scratch-path "${SCRATCH:-.build}" --show-bin-path)/disclose"

python3 - "$out/audit.jsonl" <<'PY'
import hashlib, json, random, sys, datetime as dt
random.seed(2015)
path = sys.argv[1]
prev, seq, lines = "0" * 128, 0, []
def emit(event, case, t, **facts):
    global prev, seq
    seq += 1
    entry = {"seq": seq, "time": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "event": event, "case": case, **facts, "prev": prev}
    line = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)
    prev = hashlib.sha512(line.encode()).hexdigest()
    lines.append(line)
start = dt.datetime(2026, 1, 1)
countries = {"FR": 60, "DE": 45, "US": 90, "GB": 30, "BR": 20, "IN": 12}
n = 0
for country, count in countries.items():
    for _ in range(count):
        n += 1
        case = f"{country}-{n:04d}"
        received = start + dt.timedelta(minutes=random.randrange(0, 180 * 24 * 60))
        ins = random.choice(["us_subpoena", "us_warrant"] if country == "US" else ["eu_production_order"])
        facts = dict(authority=f"{country.lower()}-police", country=country, instrument=ins,
                     received=received.strftime("%Y-%m-%dT%H:%M:%SZ"), emergency=random.random() < 0.1,
                     subjects=random.randint(1, 3))
        emit("received", case, received, **facts)
        r = random.random()
        t = received + dt.timedelta(minutes=random.randint(5, 600))
        if r < 0.12:
            emit("planned", case, t, verdict="refused", **facts)
        elif r < 0.25:
            emit("no_data", case, t)
        elif r < 0.9:
            emit("planned", case, t, verdict="disclose", **facts)
            emit("exported", case, t + dt.timedelta(minutes=random.randint(1, 60)), verdict="disclose",
                 content_disclosed=random.random() < 0.3, accounts=facts["subjects"], **{k: v for k, v in facts.items() if k != "subjects"})
        if random.random() < 0.05:
            emit("preserved", f"P-{case}", received, preservation=True, country=country, instrument="preservation",
                 received=facts["received"], until=(received + dt.timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ"))
open(path, "w").write("\n".join(lines) + "\n")
PY

"$bin" audit verify --log "$out/audit.jsonl"
"$bin" report --log "$out/audit.jsonl" --from 2026-01-01 --to 2026-06-30 --time-zone UTC --chart "$out/chart.svg"
if command -v xmllint >/dev/null; then xmllint --noout "$out/chart.svg" && echo "chart.svg is well-formed XML"; fi
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then echo "no chromium: install it (apt-get install -y chromium) to render the chart" >&2; exit 1; fi
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,500 \
    --screenshot="$out/chart.png" "file://$(cd "$out" && pwd)/chart.svg" 2>/dev/null
test -s "$out/chart.png"
echo "Rendered: $out/chart.png (open it and look: bars per country, legend, axis)"
