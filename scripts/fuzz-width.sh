#!/usr/bin/env bash
# Fuzzes Gloss's width and wrapping code with libFuzzer for SECONDS (default 300).
# Usage: scripts/fuzz-width.sh [SECONDS] [libFuzzer options...]
# The corpus grows in .fuzz-corpus/; a crash input is saved as crash-* in the current folder
# and replays with: swift run gloss-fuzz crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
swift build --scratch-path .build-fuzz --product gloss-fuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING
mkdir -p .fuzz-corpus
printf 'a \xcc\x81\n' > .fuzz-corpus/space-mark
printf 'Title\n\n\xe3\x80\x82\n\xe2\x80\x8d\n' > .fuzz-corpus/break-zwj
printf 'Title\n\n\xe0\xa4\x83\xc2\x85\xef\xb8\x8f\n' > .fuzz-corpus/nel-vs16
export SWIFT_BACKTRACE=enable=no
exec .build-fuzz/debug/gloss-fuzz .fuzz-corpus -max_total_time="$seconds" -max_len=512 "$@"
