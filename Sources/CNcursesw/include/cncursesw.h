#ifndef CNCURSESW_H
#define CNCURSESW_H

// SwiftPM drops pkg-config's -D flags, so the wide-character API is switched on here,
// once, for every module that includes curses through this shim.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
/// Key codes that bracketed paste's start and end sequences are defined as.
int gloss_key_paste_start(void);
int gloss_key_paste_end(void);
/// Turns the terminal's bracketed paste mode on or off, defining its sequences as keys.
void gloss_set_bracketed_paste(int on);

#endif
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
/// Key codes that bracketed paste's start and end sequences are defined as.
int gloss_key_paste_start(void);
int gloss_key_paste_end(void);
/// Turns the terminal's bracketed paste mode on or off, defining its sequences as keys.
void gloss_set_bracketed_paste(int on);

#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
/// Key codes that bracketed paste's start and end sequences are defined as.
int gloss_key_paste_start(void);
int gloss_key_paste_end(void);
/// Turns the terminal's bracketed paste mode on or off, defining its sequences as keys.
void gloss_set_bracketed_paste(int on);

#endif

#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <stdio.h>

/// Attribute bits that are macros in curses.h and do not import into Swift.
attr_t gloss_attr_bold(void);
attr_t gloss_attr_reverse(void);
attr_t gloss_attr_underline(void);
attr_t gloss_attr_dim(void);
attr_t gloss_attr_normal(void);

/// The standard screen and its size (globals that Swift 6 cannot read safely).
WINDOW *gloss_stdscr(void);
/// Starts curses on stdout and stdin for $TERM with newterm; 0 when the terminal type is unknown.
int gloss_start_screen(void);
/// What terminfo says of $TERM, without touching the terminal: 1 when it can move the
/// cursor (`cup`), 0 when it cannot (`dumb`, a hardcopy terminal), -1 when the type is
/// unknown to terminfo.
int gloss_terminal_can_move_cursor(void);
int gloss_lines(void);
int gloss_cols(void);
/// How many colour pairs the terminal has.
int gloss_color_pairs(void);
/// How many colours the terminal has (COLORS; 0 before start_color).
int gloss_colors(void);

/// Key codes that are macros.
int gloss_key_resize(void);
int gloss_key_f(int n);

/// Sets the locale from the environment; returns 1 when its character set is UTF-8.
int gloss_setlocale_utf8(void);

/// Saves the terminal's modes now so that a crash handler can restore them.
void gloss_save_terminal_modes(void);
/// Installs handlers for SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT and SIGFPE that restore
/// the saved terminal modes, leave the alternate screen, show the cursor and re-raise. They
/// run on an alternate signal stack of the calling thread, so a stack overflow there is caught.
void gloss_install_crash_handlers(void);
/// Ignores SIGPIPE and SIGXFSZ, so that such writes fail with EPIPE or EFBIG instead.
void gloss_ignore_write_signals(void);
/// Installs handlers that record the signal, for every catchable signal whose default
/// action ends the process other than the crash signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT,
/// SIGUSR1, SIGUSR2, SIGALRM, the real-time signals, ...), unblocks them, and ignores
/// SIGPIPE and SIGXFSZ; read the signal with gloss_pending_signal(). SIGSYS raised by the
/// kernel for a refused system call is handled as a crash.
void gloss_install_quit_handlers(void);
/// The last quit signal received, or 0.
int gloss_pending_signal(void);
/// Restores the terminal modes saved by gloss_save_terminal_modes (async-signal-safe).
void gloss_restore_terminal_modes(void);

/// Before endwin on a terminal without an alternate screen (no rmcup: vt100, linux), whose
/// screen stays as drawn: blanks the bottom row, where the shell's prompt comes next.
void gloss_clear_bottom_row_without_alternate_screen(void);
/// Draws one grapheme (a wide-character string) at (y, x) with attributes and a colour pair.
int gloss_draw_cell(WINDOW *win, int y, int x, const wchar_t *text, attr_t attrs, short pair);
/// Draws `count` characters of one column each (printable ASCII) from (y, x) in one style.
int gloss_draw_run(WINDOW *win, int y, int x, const wchar_t *text, int count, attr_t attrs, short pair);
/// Reads back the cell at (y, x): its characters (up to `capacity` - 1), attributes and pair.
int gloss_read_cell(WINDOW *win, int y, int x, wchar_t *text, int capacity, attr_t *attrs, short *pair);

/// Key codes that bracketed paste's start and end sequences are defined as.
int gloss_key_paste_start(void);
int gloss_key_paste_end(void);
/// Turns the terminal's bracketed paste mode on or off, defining its sequences as keys.
void gloss_set_bracketed_paste(int on);

/// Turns the terminal's mouse reporting on (button presses and releases, motion while a
/// button is down, the SGR encoding: modes 1000, 1002 and 1006) or off, written directly.
void gloss_set_mouse_reporting(int on);
/// The sequence terminfo gives for a mouse report (kmous), which ncurses returns as
/// KEY_MOUSE; "" when it has none.
const char *gloss_mouse_key_sequence(void);
/// Makes SIGTSTP (`kill -TSTP`, Ctrl-Z in a cooked terminal) a request that
/// gloss_take_suspend_request() reports, so the loop suspends as for Ctrl-Z.
void gloss_install_suspend_handler(void);
/// 1 when a SIGTSTP arrived since the last call.
int gloss_take_suspend_request(void);
/// Stops the process with SIGTSTP's default action (as a shell's job control expects)
/// and returns once it is continued (SIGCONT); the SIGTSTP handler is put back.
void gloss_stop_process(void);
/// Reads the terminal's size (TIOCGWINSZ) and resizes curses to it; 1 when it changed.
int gloss_update_size(void);

#endif
