#include "cncursesw.h"
#include "CMappedFiles.h"
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>

attr_t gloss_attr_bold(void) { return A_BOLD; }
attr_t gloss_attr_reverse(void) { return A_REVERSE; }
attr_t gloss_attr_underline(void) { return A_UNDERLINE; }
attr_t gloss_attr_dim(void) { return A_DIM; }
attr_t gloss_attr_normal(void) { return A_NORMAL; }

WINDOW *gloss_stdscr(void) { return stdscr; }

// newterm returns NULL for a terminal type terminfo does not know, where initscr would
// print its own message and exit without letting the caller clean up
int gloss_start_screen(void) {
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) return 0;
    set_term(screen);
    // Until the first endwin, ncurses flushes its output at every cursor move (it cannot
    // tell a curses program from a low-level terminfo one then), so a frame went out as
    // dozens of small writes, each one a wake-up of tmux or the terminal. Leaving and
    // resuming once, before anything is drawn, makes each later frame one write.
    endwin();
    doupdate();
    return 1;
}
int gloss_lines(void) { return LINES; }
int gloss_cols(void) { return COLS; }
int gloss_color_pairs(void) { return COLOR_PAIRS; }
int gloss_colors(void) { return COLORS; }

int gloss_key_resize(void) { return KEY_RESIZE; }
int gloss_key_f(int n) { return KEY_F(n); }

// Only the character type is taken from the environment: it is what ncurses and the
// UTF-8 check read, and loading every other category costs ~30 file opens at start.
// 1: UTF-8; 0: the locale is not UTF-8; -1: the locale the environment names is not
// installed (setlocale fails, and the C locale stays).
int gloss_setlocale_utf8(void) {
    if (setlocale(LC_CTYPE, "") == NULL) return -1;
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

static struct termios saved_modes;
static volatile sig_atomic_t have_saved_modes = 0;
static volatile sig_atomic_t pending_signal = 0;

void gloss_save_terminal_modes(void) {
    if (tcgetattr(STDIN_FILENO, &saved_modes) == 0) have_saved_modes = 1;
}

void gloss_restore_terminal_modes(void) {
    if (have_saved_modes) tcsetattr(STDIN_FILENO, TCSANOW, &saved_modes);
    // stop mouse reporting (SGR, drag, buttons) and bracketed paste, leave keypad
    // (application cursor) mode, leave the alternate screen, show the cursor, reset
    // attributes; mouse reporting left on would type reports into the shell, and keypad
    // mode left on sends the shell other codes for the arrow keys
    static const char reset[] = "\033[0m\033[?1006l\033[?1002l\033[?1000l\033[?2004l\033[?1l\033>\033[?25h\033[?1049l\r\n";
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)ignored;
}

static void crash_handler(int signal_number) {
    gloss_restore_terminal_modes();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigaction(signal_number, &action, NULL);
    // delivered once the handler returns (a fault repeats at once), so the default action runs
    raise(signal_number);
}

// A mapped document cut short while it is read raises SIGBUS too: that one is survived
// (its pages then read as zeros, and the session sees the file changed).
static void bus_handler(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    if (gloss_mapping_handle_fault(info)) return;
    crash_handler(signal_number);
}

// A stack overflow leaves no room on the thread's own stack for a handler; this one is
// static, as nothing can be allocated once the crash has happened.
static char alternate_stack[64 * 1024];

void gloss_install_crash_handlers(void) {
    stack_t stack;
    memset(&stack, 0, sizeof stack);
    stack.ss_sp = alternate_stack;
    stack.ss_size = sizeof alternate_stack;
    sigaltstack(&stack, NULL);
    int signals[] = { SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        if (signals[i] == SIGBUS) {
            action.sa_sigaction = bus_handler;
            action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        } else {
            action.sa_handler = crash_handler;
            action.sa_flags = SA_RESETHAND | SA_ONSTACK;
        }
        sigaction(signals[i], &action, NULL);
    }
}

static void quit_handler(int signal_number) { pending_signal = signal_number; }

// SIGSYS from the kernel means a system call was refused (a seccomp filter): saving would
// trust calls that never ran, so it is a crash. Sent with kill, it is a request to quit.
static void system_call_handler(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    if (info != NULL && info->si_code > 0) crash_handler(signal_number);
    else pending_signal = signal_number;
}

// Every catchable signal whose default action ends the process, less the crash signals
// above and SIGPIPE and SIGXFSZ (ignored). SIGXCPU leaves a running process sound until
// the hard limit, so it saves and quits like SIGTERM rather than dumping core.
static const int quit_signals[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGSYS,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};

void gloss_ignore_write_signals(void) {
    // a write past the file-size limit or to a closed pipe then fails with EFBIG or EPIPE
    // and goes down the failed-save path instead of killing the process
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
}

static void install_quit_handler(int signal_number, sigset_t *unblock) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    if (signal_number == SIGSYS) {
        action.sa_sigaction = system_call_handler;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    } else {
        action.sa_handler = quit_handler;  // no SA_RESTART: the read returns so the loop sees it
    }
    if (sigaction(signal_number, &action, NULL) == 0) sigaddset(unblock, signal_number);
}

void gloss_install_quit_handlers(void) {
    gloss_ignore_write_signals();
    sigset_t unblock;
    sigemptyset(&unblock);
    for (unsigned i = 0; i < sizeof quit_signals / sizeof quit_signals[0]; i++) install_quit_handler(quit_signals[i], &unblock);
#ifdef SIGRTMIN
    // real-time signals end the process by default too; SIGRTMIN leaves out the C library's own
    for (int number = SIGRTMIN; number <= SIGRTMAX; number++) install_quit_handler(number, &unblock);
#endif
    // a parent may have left these blocked (the mask is inherited across exec)
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
}

int gloss_pending_signal(void) { return pending_signal; }

int gloss_draw_cell(WINDOW *win, int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) == ERR) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}

void gloss_clear_bottom_row_without_alternate_screen(void) {
    const char *leave = tigetstr("rmcup");
    if (leave != NULL && leave != (char *)-1 && *leave != 0) return;
    wmove(stdscr, LINES - 1, 0);
    wattr_set(stdscr, A_NORMAL, 0, NULL);
    wclrtoeol(stdscr);
    wrefresh(stdscr);
}

// `count` characters of one cell each, in one style, from (y, x): the window's attributes
// are set for them and put back to normal, as a cell drawn with setcchar adds its own to them
int gloss_draw_run(WINDOW *win, int y, int x, const wchar_t *text, int count, attr_t attrs, short pair) {
    wattr_set(win, attrs, pair, NULL);
    int result = mvwaddnwstr(win, y, x, text, count);
    wattr_set(win, A_NORMAL, 0, NULL);
    return result;
}

int gloss_read_cell(WINDOW *win, int y, int x, wchar_t *text, int capacity, attr_t *attrs, short *pair) {
    cchar_t cell;
    if (mvwin_wch(win, y, x, &cell) == ERR) return ERR;
    wchar_t buffer[CCHARW_MAX + 1];
    memset(buffer, 0, sizeof buffer);
    if (getcchar(&cell, buffer, attrs, pair, NULL) == ERR) return ERR;
    int i = 0;
    for (; i < capacity - 1 && buffer[i] != 0; i++) text[i] = buffer[i];
    text[i] = 0;
    return OK;
}

int gloss_key_paste_start(void) { return KEY_MAX + 1; }
int gloss_key_paste_end(void) { return KEY_MAX + 2; }

void gloss_set_bracketed_paste(int on) {
    if (on) {
        define_key("\033[200~", gloss_key_paste_start());
        define_key("\033[201~", gloss_key_paste_end());
    }
    // the terminal wraps pasted text in ESC [ 200 ~ ... ESC [ 201 ~ while this is on
    putp(on ? "\033[?2004h" : "\033[?2004l");
    fflush(stdout);
}

// Written directly rather than through ncurses' mousemask: ncurses picks the mouse protocol
// from terminfo's kmous, which is the X10 encoding (ESC [ M, one byte per coordinate) for
// TERM=screen and tmux-256color, where columns past 223 cannot be reported; the SGR
// encoding (1006) works on every terminal that reports a mouse at all.
void gloss_set_mouse_reporting(int on) {
    putp(on ? "\033[?1000h\033[?1002h\033[?1006h" : "\033[?1006l\033[?1002l\033[?1000l");
    fflush(stdout);
}

const char *gloss_mouse_key_sequence(void) {
    const char *sequence = tigetstr("kmous");
    return sequence == NULL || sequence == (const char *)-1 ? "" : sequence;
}

static volatile sig_atomic_t suspend_requested = 0;

static void suspend_handler(int signal_number) {
    (void)signal_number;
    suspend_requested = 1;
}

void gloss_install_suspend_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = suspend_handler;  // no SA_RESTART: the read returns so the loop sees it
    sigaction(SIGTSTP, &action, NULL);
}

int gloss_take_suspend_request(void) {
    int requested = suspend_requested;
    suspend_requested = 0;
    return requested;
}

void gloss_stop_process(void) {
    struct sigaction default_action, previous;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigaction(SIGTSTP, &default_action, &previous);
    sigset_t stop, mask;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &stop, &mask);
    // stops the process as the shell expects; returns once SIGCONT (`fg`) continues it
    raise(SIGTSTP);
    sigprocmask(SIG_SETMASK, &mask, NULL);
    sigaction(SIGTSTP, &previous, NULL);
    suspend_requested = 0;
}

int gloss_update_size(void) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return 0;
    if (size.ws_row == LINES && size.ws_col == COLS) return 0;
    resizeterm(size.ws_row, size.ws_col);
    return 1;
}

// Last in the file: term.h defines capability names (lines, columns, ...) as macros.
#include <term.h>

int gloss_terminal_can_move_cursor(void) {
    int error = 0;
    if (setupterm(NULL, STDOUT_FILENO, &error) != OK) return -1;
    const char *move = tigetstr("cup");
    int can = move != NULL && move != (char *)-1;
    del_curterm(cur_term);
    return can;
}
