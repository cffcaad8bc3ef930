/* Keys however the terminal sends them: escape-sequence variants, Backspace as ^H or ^?,
 * Alt as an Esc prefix, and the mouse wheel when it is asked for. */
#include <stddef.h>

#include "tui/input.h"

/* Sequences terminals send that the terminfo entry in use may not list: PuTTY's and
 * the Linux console's Home/End (ESC[1~ ESC[4~), rxvt's (ESC[7~ ESC[8~), xterm's in
 * either cursor mode, and the common function and editing keys. */
static const struct {
    const char *seq;
    int key;
} variants[] = {
    {"\033[1~", KEY_HOME},  {"\033[7~", KEY_HOME},  {"\033[H", KEY_HOME},
    {"\033OH", KEY_HOME},   {"\033[4~", KEY_END},   {"\033[8~", KEY_END},
    {"\033[F", KEY_END},    {"\033OF", KEY_END},    {"\033[3~", KEY_DC},
    {"\033[2~", KEY_IC},    {"\033[5~", KEY_PPAGE}, {"\033[6~", KEY_NPAGE},
    {"\033[A", KEY_UP},     {"\033[B", KEY_DOWN},   {"\033[C", KEY_RIGHT},
    {"\033[D", KEY_LEFT},   {"\033OA", KEY_UP},     {"\033OB", KEY_DOWN},
    {"\033OC", KEY_RIGHT},  {"\033OD", KEY_LEFT},   {"\033[Z", KEY_BTAB},
    {"\033OP", KEY_F(1)},   {"\033OQ", KEY_F(2)},   {"\033OR", KEY_F(3)},
    {"\033OS", KEY_F(4)},   {"\033[11~", KEY_F(1)}, {"\033[12~", KEY_F(2)},
    {"\033[13~", KEY_F(3)}, {"\033[14~", KEY_F(4)}, {"\033[15~", KEY_F(5)},
    {"\033[17~", KEY_F(6)}, {"\033[18~", KEY_F(7)}, {"\033[19~", KEY_F(8)},
    {"\033[20~", KEY_F(9)}, {"\033[21~", KEY_F(10)}, {"\033[23~", KEY_F(11)},
    {"\033[24~", KEY_F(12)},
};

void input_setup(bool mouse)
{
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        if (key_defined(variants[i].seq) == 0) /* not bound, and no clash with a prefix */
            define_key(variants[i].seq, variants[i].key);
    /* No mouse unless asked: a program holding the mouse stops the terminal's own
     * select, copy and paste. */
    mousemask(mouse ? BUTTON4_PRESSED | BUTTON5_PRESSED : 0, NULL);
}

/* Function keys that stand for keys the program knows under another name. */
static int same_as(int key)
{
    switch (key) {
    case KEY_FIND: /* ESC[1~ in xterm's entry: PuTTY's and the console's Home */
    case KEY_A1:   /* keypad Home */
        return KEY_HOME;
    case KEY_SELECT: /* ESC[4~ in xterm's entry: PuTTY's and the console's End */
    case KEY_C1:     /* keypad End */
        return KEY_END;
    case KEY_A3: return KEY_PPAGE;
    case KEY_C3: return KEY_NPAGE;
    default: return key;
    }
}

void input_normalise(struct keypress *k)
{
    if (k->function) {
        k->code = (wint_t)same_as((int)k->code);
    } else if (k->code == 127 || k->code == 8) {
        k->function = true; /* ^? or ^H, whichever the terminal sends */
        k->code = KEY_BACKSPACE;
    }
}

/* A second Esc read while looking for an Alt key: delivered next, as a plain Esc. */
static bool esc_pending;

bool input_read(struct keypress *k, int wait_ms)
{
    if (esc_pending) {
        esc_pending = false;
        *k = (struct keypress){false, 27};
        return true;
    }
    wint_t ch;
    timeout(wait_ms);
    int r = get_wch(&ch);
    if (r == ERR)
        return false;
    *k = (struct keypress){r == KEY_CODE_YES, ch};
    if (!k->function && ch == 27) {
        /* Alt sends Esc and the key together: a key already waiting makes it Alt-key. */
        timeout(0);
        wint_t next;
        int r2 = get_wch(&next);
        if (r2 == OK && next > ' ' && next < 127)
            k->code = (wint_t)KEY_ALT((int)next);
        else if (r2 == KEY_CODE_YES)
            ungetch((int)next);
        else if (r2 == OK && next == 27) /* Esc Esc: two Escs, not Alt-Esc */
            esc_pending = true;
        else if (r2 == OK)
            unget_wch((wchar_t)next);
        timeout(wait_ms);
    }
    if (k->function && k->code == KEY_MOUSE) {
        MEVENT ev;
        if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)))
            return false;
        k->code = (ev.bstate & BUTTON4_PRESSED) ? KEY_UP : KEY_DOWN;
    }
    input_normalise(k);
    return true;
}
