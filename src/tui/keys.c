/* Key bindings from the action table. */
#include <curses.h>
#include <stdio.h>

#include "tui/keys.h"

const struct action_info action_table[ACT_COUNT] = {
    [ACT_NONE] = {ACT_NONE, "none", 0, 0, 0, NULL, ""},
#define X(e, name, key, alias, on, hint, help) [ACT_##e] = {ACT_##e, name, key, alias, on, hint, help},
    ACTIONS(X)
#undef X
};

enum ui_action key_action(int key, unsigned on)
{
    if (key == '\n')
        key = '\r';
    for (int i = 1; i < ACT_COUNT; i++) {
        const struct action_info *a = &action_table[i];
        if ((a->key == key || (a->alias && a->alias == key)) && (a->on & on))
            return (enum ui_action)i;
    }
    return ACT_NONE;
}

const char *ui_key_name(int key, char *buf)
{
    switch (key) {
    case ' ': return "Space";
    case 27: return "Esc";
    case '\n':
    case '\r':
    case KEY_ENTER: return "Enter";
    case KEY_LEFT: return "Left";
    case KEY_RIGHT: return "Right";
    case KEY_BTAB: return "Shift-Tab";
    case KEY_BACKSPACE: return "Backspace";
    case KEY_DC: return "Delete";
    case '\t': return "Tab";
    case KEY_DOWN: return "Down";
    case KEY_UP: return "Up";
    case KEY_NPAGE: return "PgDn";
    case KEY_PPAGE: return "PgUp";
    case KEY_HOME: return "Home";
    case KEY_END: return "End";
    default: break;
    }
    if (key >= KEY_F(1) && key <= KEY_F(12)) {
        snprintf(buf, 16, "F%d", key - KEY_F0);
        return buf;
    }
    if (key > 0 && key < 32) {
        snprintf(buf, 16, "Ctrl-%c", key + '@');
        return buf;
    }
    snprintf(buf, 16, "%c", key);
    return buf;
}
