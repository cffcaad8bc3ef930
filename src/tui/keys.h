/* The one table of user actions: enum, name, default key and help come from here. */
#ifndef RAGBOARD_TUI_KEYS_H
#define RAGBOARD_TUI_KEYS_H

#include <stdbool.h>

/* X(ENUM, name, key, alias key or 0, shown in the hint bar, help text) */
#define ACTIONS(X)                                                              \
    X(MOVE_DOWN, "move-down", 'j', KEY_DOWN, false, "Next row")                 \
    X(MOVE_UP, "move-up", 'k', KEY_UP, false, "Previous row")                   \
    X(PAGE_DOWN, "page-down", ' ', KEY_NPAGE, false, "Next page")               \
    X(PAGE_UP, "page-up", 'b', KEY_PPAGE, false, "Previous page")               \
    X(MOVE_TOP, "move-top", 'g', KEY_HOME, false, "First row")                  \
    X(MOVE_BOTTOM, "move-bottom", 'G', KEY_END, false, "Last row")              \
    X(HELP, "help", '?', KEY_F(1), true, "Show the keys")                       \
    X(REDRAW, "redraw", 'L' - '@', 0, false, "Redraw the screen (Ctrl-L)")      \
    X(BACK, "back", 'q', 27, true, "Back; quit from the board")                 \
    X(QUIT, "quit", 'Q', KEY_F(10), true, "Quit from anywhere")

enum ui_action {
    ACT_NONE = 0,
#define X(e, name, key, alias, hint, help) ACT_##e,
    ACTIONS(X)
#undef X
        ACT_COUNT
};

struct action_info {
    enum ui_action action;
    const char *name;
    int key;
    int alias;
    bool hint;
    const char *help;
};

/* The table, indexed by enum action (entry 0 is ACT_NONE). */
extern const struct action_info action_table[ACT_COUNT];

/* The action bound to a key, or ACT_NONE. */
enum ui_action key_action(int key);
/* Printable name of a key: "j", "Space", "Esc", "Ctrl-L", "Down", "F1". buf >= 16. */
const char *ui_key_name(int key, char *buf);

#endif
