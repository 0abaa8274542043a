#!/bin/bash
# Instructions gloss runs from exec to its first screen, counted by callgrind, with less's
# count on the same file for comparison: instruction counts hold steady on a busy machine
# where first-screen.py's milliseconds do not.
#
#   make                                 (the release build, as installed)
#   scripts/first-screen-callgrind.sh [GLOSS [FILE]]
#
# gloss runs in a private tmux session (120x40) under valgrind on a copy without debug
# information; GLOSS_DEBUG_CRASH=trap ends it right after the first screen is drawn, so the
# count is start-up, the document's opening and the first frame (the dynamic loader
# included), and the main thread's count is the one to read (background indexing starts
# on other threads). less is quit with q once its first screen shows. The callgrind files
# stay in the folder printed, for callgrind_annotate.
set -eu
package=$(cd "$(dirname "$0")/.." && pwd)
gloss=${1:-$package/.build/release/gloss}
file=${2:-}
for tool in valgrind tmux objcopy less python3; do
    command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
[ -x "$gloss" ] || { echo "$gloss not found: build it with  make  (the release build)" >&2; exit 1; }
work=$(mktemp -d /tmp/gloss-callgrind-XXXXXX)
if [ -z "$file" ]; then
    # the 100 MB input of first-screen.py: 30 copies of the novel, byte-order mark once
    novel="$package/../shared/corpus/large/war-and-peace-pg2600.txt"
    file=$work/war-and-peace-x30-100mb.txt
    cat "$novel" > "$file"
    for _ in $(seq 29); do tail -c +4 "$novel" >> "$file"; done
fi
cp "$gloss" "$work/gloss" && objcopy --strip-debug "$work/gloss"
tmux="tmux -L gloss-callgrind-$$ -f /dev/null"
trap '$tmux kill-server 2>/dev/null || true' EXIT
# waits up to five minutes for the command to succeed
wait_for() {
    for _ in $(seq 600); do "$@" && return 0; sleep 0.5; done
    echo "gave up waiting; see $work" >&2
    exit 1
}
environment="env -u LINES -u COLUMNS -u LESSOPEN -u LESSCLOSE -u LESS LANG=C.UTF-8 TERM=xterm-256color"

$tmux new-session -d -s gloss -x 120 -y 40 "$environment GLOSS_DEBUG_CRASH=trap SWIFT_BACKTRACE=enable=no \
valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file=$work/callgrind.gloss \
$work/gloss '$file' --store $work/store.gloss.json 2>$work/valgrind-gloss.log; sleep 600"
wait_for grep -qs 'Collected' "$work/valgrind-gloss.log"

# the first words of the first line with any (as first-screen.py looks for them)
needle=$(python3 -c 'import sys
for line in open(sys.argv[1], encoding="utf-8-sig", errors="replace"):
    if line.split():
        print(" ".join(line.split()[:3])[:30]); break' "$file")
$tmux new-session -d -s less -x 120 -y 40 "$environment valgrind --tool=callgrind \
--callgrind-out-file=$work/callgrind.less less '$file' 2>$work/valgrind-less.log; sleep 600"
shows() { $tmux capture-pane -p -t less | grep -qF "$needle"; }
wait_for shows
sleep 1
$tmux send-keys -t less q
wait_for grep -qs 'Collected' "$work/valgrind-less.log"

main=$(grep -h '^summary:' "$work"/callgrind.gloss-01 | awk '{print $2}')
all=$(grep -h 'Collected' "$work/valgrind-gloss.log" | awk '{print $NF}')
less_count=$(grep -h 'Collected' "$work/valgrind-less.log" | awk '{print $NF}')
echo "gloss to its first screen: $main instructions on the main thread ($all in all threads)"
echo "less to its first screen:  $less_count instructions"
echo "callgrind files: $work"
