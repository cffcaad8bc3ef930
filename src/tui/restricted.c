/* The screen's side of restricted mode: no suspend to a shell, no core-dumping quit key. */
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include "ragboard/restrict.h"
#include "tui/screen.h"

void tui_restrict_signals(void)
{
    if (!restrict_on())
        return;
    /* Ignored before curses starts, so that curses installs no suspend handler of its
     * own; Ctrl-Z and Ctrl-\ then arrive as keys that do nothing. */
    signal(SIGTSTP, SIG_IGN);
    signal(SIGTTIN, SIG_IGN);
    signal(SIGTTOU, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
}

void tui_restrict_termios(struct termios *tio)
{
    if (!restrict_on())
        return;
    tio->c_cc[VSUSP] = _POSIX_VDISABLE;
    tio->c_cc[VQUIT] = _POSIX_VDISABLE;
#ifdef VDSUSP
    tio->c_cc[VDSUSP] = _POSIX_VDISABLE;
#endif
}
