// The least a Swift reader does to show a file's first screen, for scripts/first-screen.py
// --floor: start (a statically linked Swift binary), set the locale, map the file, start
// ncurses on the terminal, draw the first lines, refresh, and wait. Built twice: with
// Foundation linked as gloss links it (`-D FOUNDATION`; ZIPFoundation, for .qdpx archives,
// needs the whole of it) and without. Its time to first screen is the floor under gloss's.
//
//   swiftc -O -static-stdlib [-D FOUNDATION] -I FOLDER_WITH_NCURSES_MODULE first-screen-floor.swift
#if FOUNDATION
import Foundation
#endif
import Glibc
import Curses

#if FOUNDATION
// a use of Foundation proper (not only FoundationEssentials), so all of it is linked in
let lock = NSLock()
lock.lock()
lock.unlock()
#endif
setlocale(LC_ALL, "")
let arguments = CommandLine.arguments
guard arguments.count > 1 else { fatalError("usage: first-screen-floor FILE") }
let descriptor = open(arguments[1], O_RDONLY)
guard descriptor >= 0 else { fatalError("cannot open \(arguments[1])") }
var information = stat()
fstat(descriptor, &information)
let size = min(Int(information.st_size), 1 << 16)
guard size > 0, let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else { fatalError("cannot map") }
let bytes = mapped.assumingMemoryBound(to: UInt8.self)
guard let screen = newterm(nil, stdout, stdin) else { fatalError("no terminal") }
set_term(screen)
// as gloss does: leave and resume once, so the frame goes out in one write rather than a
// flush at every cursor move
endwin()
doupdate()
raw()
noecho()
// skip a UTF-8 byte-order mark; each line up to the screen's width, line endings dropped
var start = size >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
var row: Int32 = 0
while row < LINES && start < size {
    var end = start
    while end < size && bytes[end] != 0x0A { end += 1 }
    var line = Array(UnsafeBufferPointer(start: bytes + start, count: min(end - start, Int(COLS))))
    while line.last == 0x0D { line.removeLast() }
    line.append(0)
    line.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { _ = mvaddstr(row, 0, $0) }
    }
    row += 1
    start = end + 1
}
refresh()
sleep(1000)
endwin()
