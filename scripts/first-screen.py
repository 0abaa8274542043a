#!/usr/bin/env python3
"""Time to first screen of gloss, less and SLATE in a real terminal, and gloss's time as a
multiple of less's, measured in the same run (target: within 1.5x).

Each run starts the program in a fresh tmux session of its own (a private server, a fixed
size, `env -u LINES -u COLUMNS LANG=C.UTF-8`) and polls `capture-pane -p` until a line of
the file's first screen shows. The clock starts just before `tmux new-session` and stops
when a capture holds the line, so a figure includes tmux creating the pane and is late by
up to one poll interval; both are printed. The programs take turns run by run, so a
change in the machine's load touches them alike.

Inputs are the benchmark's: the ~2 KB seed article, the 3.3 MB novel and 30 copies of it
(~100 MB), written to a temporary folder or reused from --folder (the folder
`gloss-benchmark --folder PATH --generate-only` fills). gloss gets a store path in a
temporary folder, so nothing is written beside the documents.

    make                                 (the release build, as installed)
    python3 scripts/first-screen.py [--runs 5] [--folder PATH] [--files "100 MB"] [--programs gloss,less] [--pty] [--floor]

With --pty each program runs in a pseudo-terminal of its own instead (no tmux) and the
clock stops when the line is in what it wrote: the program's own start-up, which spreads
far less from run to run than the figures through tmux.

With --floor, scripts/first-screen-floor.swift (the least a Swift reader does to show a
screen) is built with and without Foundation and timed beside them: the floor under gloss.

The last lines give gloss/less per file and, for programs, `result SIZE gloss MS less MS`
(medians in milliseconds; gloss-benchmark reads the one for 100MB).
"""

import argparse
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(PACKAGE), "shared", "corpus")
BOM = b"\xef\xbb\xbf"
COPIES = 30
# gloss's first screen may take at most this many times less's.
LESS_FACTOR = 1.5
# Same names as gloss-benchmark writes, so its folder can be reused.
FILES = [("2 KB", "article-2k.txt"), ("3 MB", "war-and-peace-3mb.txt"), ("100 MB", "war-and-peace-x30-100mb.txt")]


def write_if_needed(path, size, fill):
    """Writes `path` with `fill(file)` unless a file of `size` bytes is there already."""
    if os.path.exists(path) and os.path.getsize(path) == size:
        return
    partial = path + ".partial"
    with open(partial, "wb") as out:
        fill(out)
    os.replace(partial, path)


def generate(folder, article, novel):
    """The three documents, as gloss-benchmark makes them: the copies of the novel after the
    first drop its byte-order mark (mid-text it would be a stray U+FEFF)."""
    os.makedirs(folder, exist_ok=True)
    article_bytes = open(article, "rb").read()
    novel_bytes = open(novel, "rb").read()
    body = novel_bytes[len(BOM):] if novel_bytes.startswith(BOM) else novel_bytes
    paths = [os.path.join(folder, name) for _, name in FILES]
    write_if_needed(paths[0], len(article_bytes), lambda out: out.write(article_bytes))
    write_if_needed(paths[1], len(novel_bytes), lambda out: out.write(novel_bytes))

    def fill_large(out):
        out.write(novel_bytes)
        for _ in range(COPIES - 1):
            out.write(body)  # one copy in memory, written 30 times

    write_if_needed(paths[2], len(novel_bytes) + (COPIES - 1) * len(body), fill_large)
    return paths


def needle(path):
    """The first words of the file's first non-blank line: on the first screen of every
    program, and short enough that none wraps it."""
    with open(path, encoding="utf-8-sig", errors="replace") as text:
        for line in text:
            words = line.split()
            if words:
                return " ".join(words[:3])[:30]
    raise SystemExit(f"{path}: no text")


class Tmux:
    """A private tmux server; every run gets a session of its own on it. Sessions are made,
    captured and killed through one control-mode client (`tmux -C`), so a capture is a
    message to the server (well under a millisecond) rather than a tmux client started
    for each poll: no process competes with the program for the CPU while it starts, and
    the figures are not rounded up to a client's start-up time."""

    def __init__(self, width, height):
        self.socket = f"gloss-first-screen-{os.getpid()}"
        self.width, self.height = width, height
        self.base = ["tmux", "-L", self.socket, "-f", "/dev/null"]
        env = {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS", "TMUX")}
        env["LANG"] = "C.UTF-8"
        # the server is started (and kept) outside the timed part
        subprocess.run(self.base + ["new-session", "-d", "-s", "idle", "-x", str(width), "-y", str(height),
                                    "sleep 1000000"], check=True, env=env)
        self.control = subprocess.Popen(self.base + ["-C", "attach-session", "-t", "idle"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env, bufsize=0)
        self.pending = b""
        self.count = 0

    def _line(self):
        while b"\n" not in self.pending:
            chunk = os.read(self.control.stdout.fileno(), 1 << 16)
            if not chunk:
                raise SystemExit("the tmux control client ended")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line

    def command(self, command):
        """Runs a tmux command through the control client; returns its output, or raises
        SystemExit with tmux's error."""
        self.control.stdin.write(command.encode() + b"\n")
        # notifications (%sessions-changed, ...) may come first; the reply is framed by
        # %begin and an %end or %error with the same time, number and flags
        while True:
            line = self._line()
            if line.startswith(b"%begin "):
                closing = line.split(b" ", 1)[1]
                break
        output = []
        while True:
            line = self._line()
            if line in (b"%end " + closing, b"%error " + closing):
                if line.startswith(b"%error"):
                    raise SystemExit(f"tmux {command!r}: {b' '.join(output).decode(errors='replace')}")
                return "\n".join(part.decode("utf-8", "replace") for part in output)
            output.append(line)

    def time_first_screen(self, command, text, timeout, poll_sleep):
        """Seconds from asking tmux for the session running `command` until `text` shows,
        or None after `timeout`; also the poll intervals seen and how long creating the
        session took."""
        self.count += 1
        name = f"run{self.count}"
        # the same environment for every program: no inherited size, a UTF-8 locale, no
        # less preprocessor
        line = ("exec env -u LINES -u COLUMNS -u LESSOPEN -u LESSCLOSE -u LESS LANG=C.UTF-8 TERM=xterm-256color "
                + " ".join(quote(a) for a in command))
        intervals = []
        start = time.perf_counter()
        self.command(f"new-session -d -s {name} -x {self.width} -y {self.height} {quote(line)}")
        found = None
        last = time.perf_counter()
        spawn = last - start
        while True:
            screen = self.command(f"capture-pane -p -t {name}")
            now = time.perf_counter()
            intervals.append(now - last)
            last = now
            if text in screen:
                found = now - start
                break
            if now - start > timeout:
                break
            time.sleep(poll_sleep)
        self.command(f"kill-session -t {name}")
        time.sleep(0.3)  # let the killed program exit and free its memory before the next run
        return found, intervals, spawn

    def close(self):
        self.control.stdin.close()
        self.control.wait()
        subprocess.run(self.base + ["kill-server"], capture_output=True)


class PseudoTerminal:
    """Runs each program in a pseudo-terminal of its own, without tmux, and reads what it
    writes: the program's own start-up and first frame, without tmux's pane creation and
    screen parsing or the capture polls, so the figures spread far less than tmux's."""

    # CSI sequences, charset designations and shifts, OSC strings: what a screen is drawn
    # with, not drawn text
    ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\\\)|\x1b[=>78]|[\x0e\x0f]")

    def __init__(self, width, height):
        self.width, self.height = width, height

    def time_first_screen(self, command, text, timeout, poll_sleep):
        """Seconds from fork until `text` is in the program's output (escape sequences
        taken out; a blank drawn as a cursor move counts as one), or None after `timeout`."""
        env = {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS", "TMUX", "LESSOPEN", "LESSCLOSE", "LESS")}
        env.update(LANG="C.UTF-8", TERM="xterm-256color")
        wanted = "".join(text.split()).encode()
        start = time.perf_counter()
        pid, descriptor = pty.fork()
        if pid == 0:
            try:
                os.execvpe(command[0], command, env)
            finally:
                os._exit(127)
        fcntl.ioctl(descriptor, termios.TIOCSWINSZ, struct.pack("HHHH", self.height, self.width, 0, 0))
        output, found = b"", None
        while found is None and time.perf_counter() - start < timeout:
            ready, _, _ = select.select([descriptor], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(descriptor, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if wanted in re.sub(rb"\s", b"", self.ESCAPES.sub(b"", output)):
                found = time.perf_counter() - start
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(descriptor)
        return found, [], 0.0

    def close(self):
        pass


def quote(argument):
    return "'" + argument.replace("'", "'\\''") + "'"


def build_floor(scratch):
    """Builds scripts/first-screen-floor.swift twice in `scratch`, with and without Foundation
    linked; returns the two programs' paths, or raises SystemExit naming what failed."""
    source = os.path.join(PACKAGE, "scripts", "first-screen-floor.swift")
    module = os.path.join(scratch, "curses-module")
    os.makedirs(module, exist_ok=True)
    with open(os.path.join(module, "module.modulemap"), "w") as out:
        out.write('module Curses [system] { header "curses-shim.h" link "ncursesw" export * }\n')
    with open(os.path.join(module, "curses-shim.h"), "w") as out:
        out.write("#define NCURSES_WIDECHAR 1\n#include <ncursesw/ncurses.h>\n#include <locale.h>\n")
    built = []
    for name, flags in (("floor-foundation", ["-D", "FOUNDATION"]), ("floor-bare", [])):
        output = os.path.join(scratch, name)
        result = subprocess.run(["swiftc", "-O", "-static-stdlib", "-I", module, *flags, source, "-o", output],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"--floor: swiftc could not build {source}:\n{result.stderr[-2000:]}")
        built.append(output)
    return built


def slate_python():
    """The interpreter that imports SLATE (PyPI `slate-nlp`), or None. A bare `import slate`
    is not enough: the unrelated PDF package `slate` has that module name too."""
    try:
        found = subprocess.run(["python3", "-c", "import sys, slate.annotate; print(sys.executable)"],
                               capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return found.stdout.strip() if found.returncode == 0 else None


def version(command):
    try:
        result = subprocess.run(command, capture_output=True, text=True)
        return (result.stdout or result.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


def main():
    parser = argparse.ArgumentParser(description="Time to first screen of gloss, less and SLATE in tmux.")
    parser.add_argument("--runs", type=int, default=5, help="runs of each program on each file (median shown)")
    parser.add_argument("--folder", help="folder with (or for) the inputs, kept; a temporary one when absent")
    parser.add_argument("--gloss", default=os.path.join(PACKAGE, ".build", "release", "gloss"), help="the gloss executable")
    parser.add_argument("--article", default=os.path.join(CORPUS, "seed-counter-terrorism-conference.txt"))
    parser.add_argument("--war-and-peace", default=os.path.join(CORPUS, "large", "war-and-peace-pg2600.txt"))
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a run counts as never shown")
    parser.add_argument("--poll-sleep", type=float, default=0.0005, help="seconds between captures")
    parser.add_argument("--files", default=",".join(label for label, _ in FILES),
                        help="which inputs to time, comma-separated among: " + ", ".join(label for label, _ in FILES))
    parser.add_argument("--pty", action="store_true",
                        help="run each program in a pseudo-terminal of its own instead of tmux: its own start-up, without tmux's")
    parser.add_argument("--programs", default="gloss,less,SLATE",
                        help="which programs to time, comma-separated among gloss, less, SLATE (when installed)")
    parser.add_argument("--floor", action="store_true",
                        help="also time scripts/first-screen-floor.swift, the least a Swift reader does to show the "
                             "screen, built with Foundation linked (as gloss) and without: the floor under gloss's time")
    args = parser.parse_args()
    chosen_files = {label.replace(" ", "").lower() for label in args.files.split(",")}
    unknown = chosen_files - {label.replace(" ", "").lower() for label, _ in FILES}
    if unknown or not chosen_files:
        raise SystemExit(f"--files: unknown input {', '.join(sorted(unknown))}; give some of: "
                         + ", ".join(label for label, _ in FILES))
    chosen_programs = {name.strip().lower() for name in args.programs.split(",")}
    if not os.access(args.gloss, os.X_OK):
        raise SystemExit(f"{args.gloss} not found: build it with  make  (the release build)")
    if shutil.which("tmux") is None or shutil.which("less") is None:
        raise SystemExit("tmux and less are needed")
    width, height = (int(n) for n in args.size.lower().split("x"))

    scratch = tempfile.mkdtemp(prefix="gloss-first-screen-")
    folder = args.folder or os.path.join(scratch, "inputs")
    documents = generate(folder, args.article, args.war_and_peace)

    python = slate_python() if "slate" in chosen_programs else None
    programs = [("gloss", lambda doc, n: [args.gloss, doc, "--store", os.path.join(scratch, f"store-{n}.gloss.json")]),
                ("less", lambda doc, n: ["less", doc])]
    if python:
        # SLATE's own start-up: `slate FILE`; "FILE OUTPUT" as one argument puts its
        # annotation file, and -l its logs, in the scratch folder
        programs.append(("SLATE", lambda doc, n: [python, "-m", "slate", f"{doc} {scratch}/slate-{n}.annotations",
                                                  "-l", f"{scratch}/slate-log-{n}"]))
    programs = [(name, command) for name, command in programs if name.lower() in chosen_programs]
    if args.floor:
        with_foundation, bare = build_floor(scratch)
        programs += [("floor+Foundation", lambda doc, n: [with_foundation, doc]), ("floor", lambda doc, n: [bare, doc])]
    if not programs:
        raise SystemExit("--programs: none of gloss, less, SLATE chosen")
    files = [(label, name) for label, name in FILES if label.replace(" ", "").lower() in chosen_files]
    documents = [document for entry, document in zip(FILES, documents) if entry in files]
    sizes = [os.path.getsize(document) for document in documents]

    place = "a pseudo-terminal (no tmux)" if args.pty else "tmux"
    print(f"first screen in {place} {width}x{height}, median of {args.runs} runs; {os.cpu_count()} cores; "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print(f"  gloss: {args.gloss} ({version([args.gloss, '--version'])})")
    print(f"  less: {version(['less', '--version'])}")
    if python:
        slate_version = version([python, "-c", "import importlib.metadata as m; print(m.version('slate-nlp'))"])
        print(f"  SLATE: {python} -m slate (slate-nlp {slate_version})")
    elif "slate" in chosen_programs:
        print("  SLATE: not installed (pip install slate-nlp), left out")
    print(f"  inputs: {folder}")
    print("  load average at the start: %.2f %.2f %.2f (other work on the machine slows every figure)" % os.getloadavg())
    tmux = PseudoTerminal(width, height) if args.pty else Tmux(width, height)
    results = {}
    intervals, spawns = [], []
    try:
        for (label, _), document in zip(files, documents):
            text = needle(document)
            times = {name: [] for name, _ in programs}
            for run in range(args.runs):
                # one run of each program in turn, the order turned by one each run: the
                # program that goes first after the pause shows its screen sooner in tmux
                for name, command in programs[run % len(programs):] + programs[:run % len(programs)]:
                    if times[name] is None:
                        continue  # a program that never showed the file is not tried again
                    seconds, seen, spawn = tmux.time_first_screen(command(document, f"{label.replace(' ', '')}-{run}"), text,
                                                           args.timeout, args.poll_sleep)
                    intervals += seen[1:]
                    spawns.append(spawn)
                    times[name] = None if seconds is None else times[name] + [seconds]
            for name, _ in programs:
                results[(label, name)] = times[name]
                shown = "timed out" if times[name] is None else f"{statistics.median(times[name]) * 1000:.0f} ms"
                print(f"  {label:>6} {name:<12} {shown}", flush=True)
    finally:
        tmux.close()
        shutil.rmtree(scratch, ignore_errors=True)

    names = [name for name, _ in programs]
    print()
    print("median time to first screen (min-max), ms")
    print(f"{'file':>8}  " + "".join(f"{name:>20}" for name in names))
    for label, size in zip((label for label, _ in files), sizes):
        cells = []
        for name in names:
            times = results.get((label, name))
            if times is None:
                cells.append(f"> {args.timeout:.0f} s")
            else:
                cells.append(f"{statistics.median(times) * 1000:.0f} ({min(times) * 1000:.0f}-{max(times) * 1000:.0f})")
        print(f"{label:>8}  " + "".join(f"{cell:>20}" for cell in cells) + f"   [{size:,} bytes]")
    if intervals:
        print(f"\nresolution: captures came every {statistics.median(intervals) * 1000:.1f} ms (median; "
              f"p90 {sorted(intervals)[int(len(intervals) * 0.9)] * 1000:.1f} ms), so a figure is late by up to that; "
              f"every figure includes `tmux new-session` creating the pane, which returned after "
              f"{statistics.median(spawns) * 1000:.1f} ms (median).")
    if "gloss" in names and "less" in names:
        print()
        for label, _ in files:
            gloss_times, less_times = results.get((label, "gloss")), results.get((label, "less"))
            if gloss_times is None or less_times is None:
                print(f"gloss / less, {label}: cannot compare, a program timed out")
                continue
            gloss_median, less_median = statistics.median(gloss_times), statistics.median(less_times)
            ratio = gloss_median / less_median
            verdict = ("the target is for tmux" if args.pty
                       else f"target within {LESS_FACTOR}x: {'ok' if ratio <= LESS_FACTOR else 'MISSED'}")
            print(f"gloss / less, {label}: {ratio:.2f}x (medians {gloss_median * 1000:.1f} ms and {less_median * 1000:.1f} ms); {verdict}")
        for label, _ in files:
            gloss_times, less_times = results.get((label, "gloss")), results.get((label, "less"))
            if gloss_times is not None and less_times is not None:
                print(f"result {label.replace(' ', '')} gloss {statistics.median(gloss_times) * 1000:.2f} "
                      f"less {statistics.median(less_times) * 1000:.2f}")
    if args.floor and "less" in names:
        for label, _ in files:
            less_times = results.get((label, "less"))
            for name in ("floor+Foundation", "floor"):
                times = results.get((label, name))
                if times and less_times:
                    print(f"{name} / less, {label}: {statistics.median(times) / statistics.median(less_times):.2f}x "
                          f"(the least a Swift reader does, {'Foundation linked as gloss links it' if 'Foundation' in name else 'no Foundation'})")
    print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
