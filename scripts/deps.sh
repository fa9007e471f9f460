#!/usr/bin/env bash
# Installs what Disclose needs on Debian/Ubuntu: libsodium (the one library it links),
# the stock age and minisign tools (the referees of the interop tests and of the
# authority's stock-tool checks), xmllint, chromium (headless: renders the HTML sheets in
# the tests), and the bagit Python package (BagIt validation).
set -euo pipefail
need=()
[ -f /usr/include/sodium.h ] || need+=(libsodium-dev)
command -v age >/dev/null || need+=(age)
command -v minisign >/dev/null || need+=(minisign)
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v python3 >/dev/null || need+=(python3)
command -v pip3 >/dev/null || command -v pip >/dev/null || need+=(python3-pip)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v cc >/dev/null || need+=(gcc)            # compiles the read-once tests' LD_PRELOAD shim
[ -x /usr/bin/time ] || need+=(time)          # the benchmark reads peak RSS through GNU time
command -v jq >/dev/null || need+=(jq)            # the benchmark compares with a jq pipeline
command -v chromium >/dev/null || need+=(chromium) # renders the reviewer's sheets and the chart in the tests
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! python3 -c 'import bagit' 2>/dev/null; then
  python3 -m pip install -q bagit 2>/dev/null || python3 -m pip install -q --break-system-packages bagit
fi
