/* The keys in force: the action table's keys, overridden by the [keys] section. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/keys.h"

/* Keys in force, indexed by enum ui_action; filled from the table on first use. */
static int bound_key[ACT_COUNT], bound_alias[ACT_COUNT];
static bool bound_ready;

void keys_reset(void)
{
    /* Enter is one key however it arrives (key_action reads KEY_ENTER as '\r'). */
    for (int i = 0; i < ACT_COUNT; i++) {
        bound_key[i] = action_table[i].key == KEY_ENTER ? '\r' : action_table[i].key;
        bound_alias[i] = action_table[i].alias == KEY_ENTER ? '\r' : action_table[i].alias;
    }
    bound_ready = true;
}

int key_of(enum ui_action a)
{
    if (!bound_ready)
        keys_reset();
    return (unsigned)a < ACT_COUNT ? bound_key[a] : 0;
}

int alias_of(enum ui_action a)
{
    if (!bound_ready)
        keys_reset();
    return (unsigned)a < ACT_COUNT ? bound_alias[a] : 0;
}

const char *key_name_of(enum ui_action a, char *buf)
{
    int key = key_of(a);
    return ui_key_name(key ? key : alias_of(a), buf);
}

static const struct {
    const char *name;
    int key;
} key_names[] = {
    {"Space", ' '},         {"Enter", '\r'},        {"Return", '\r'},
    {"Tab", '\t'},          {"Shift-Tab", KEY_BTAB}, {"S-Tab", KEY_BTAB},
    {"BackTab", KEY_BTAB},  {"Esc", 27},            {"Escape", 27},
    {"Backspace", KEY_BACKSPACE}, {"BS", KEY_BACKSPACE}, {"Delete", KEY_DC},
    {"Del", KEY_DC},        {"Insert", KEY_IC},     {"Ins", KEY_IC},
    {"Up", KEY_UP},         {"Down", KEY_DOWN},     {"Left", KEY_LEFT},
    {"Right", KEY_RIGHT},   {"PgUp", KEY_PPAGE},    {"PageUp", KEY_PPAGE},
    {"PgDn", KEY_NPAGE},    {"PageDown", KEY_NPAGE}, {"Home", KEY_HOME},
    {"End", KEY_END},
};

/* "Ctrl-", "C-" or "^" before a letter; "Alt-", "M-" or "Meta-" before a character. */
static const char *after_prefix(const char *name, const char *const *prefixes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(prefixes[i]);
        if (strncasecmp(name, prefixes[i], len) == 0)
            return name + len;
    }
    return NULL;
}

bool key_parse(const char *name, int *key)
{
    if (!name || !*name)
        return false;
    size_t len = strlen(name);
    if (len == 1) {
        unsigned char c = (unsigned char)name[0];
        if (c <= ' ' || c >= 127)
            return false;
        *key = c;
        return true;
    }
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
        if (strcasecmp(name, key_names[i].name) == 0) {
            *key = key_names[i].key;
            return true;
        }
    }
    if ((name[0] == 'F' || name[0] == 'f') && len <= 3) {
        long f;
        if (parse_int_strict(name + 1, 1, 12, &f) && name[1] != '0') {
            *key = KEY_F((int)f);
            return true;
        }
        return false;
    }
    static const char *const ctrl[] = {"Ctrl-", "Control-", "C-", "^"};
    static const char *const alt[] = {"Alt-", "Meta-", "M-", "A-"};
    const char *rest = after_prefix(name, ctrl, sizeof ctrl / sizeof ctrl[0]);
    if (rest && strlen(rest) == 1) {
        char c = rest[0];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            return false;
        /* What terminals send for these: Ctrl-H is Backspace, Ctrl-J a line end. */
        *key = c == 'H' ? KEY_BACKSPACE : c == 'J' ? '\r' : CTRL(c);
        return true;
    }
    rest = after_prefix(name, alt, sizeof alt / sizeof alt[0]);
    if (rest && strlen(rest) == 1 && rest[0] > ' ' && rest[0] < 127) {
        *key = KEY_ALT(rest[0]);
        return true;
    }
    return false;
}

static enum ui_action action_named(const char *name)
{
    for (int i = 1; i < ACT_COUNT; i++)
        if (strcmp(action_table[i].name, name) == 0)
            return (enum ui_action)i;
    return ACT_NONE;
}

/* Where two actions overlap, in words, for a message. */
static const char *screen_words(unsigned on)
{
    static const struct {
        unsigned flag;
        const char *words;
    } names[] = {{ON_BOARD, "on the board"},
                 {ON_LIST, "in the action list"},
                 {ON_DETAIL, "in an action's detail"},
                 {ON_ATTEND, "in meeting attendance"},
                 {ON_WALK, "in the meeting walk"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (on & names[i].flag)
            return names[i].words;
    return "";
}

/* One [keys] line: its one or two key names into keys[]; returns how many, or -1 after
 * reporting the problem. */
static int parse_value(const struct config_binding *b, const char *file, int keys[2],
                       struct diags *diags)
{
    char *copy = xstrdup(b->keys);
    char *words[3];
    int n = 0;
    for (char *save = NULL, *w = strtok_r(copy, " \t", &save); w;
         w = strtok_r(NULL, " \t", &save))
        if (n < 3)
            words[n++] = w;
    int rc = n;
    if (n == 0) {
        diags_add(diags, DIAG_ERROR, file, b->line,
                  "[keys] %s: no key given (write a key name, or none to leave the action "
                  "without a key)",
                  b->action);
        rc = -1;
    } else if (n > 2) {
        diags_add(diags, DIAG_ERROR, file, b->line,
                  "[keys] %s: at most two keys, separated by a space (the second replaces "
                  "the arrow or function key)",
                  b->action);
        rc = -1;
    } else if (n == 1 && strcasecmp(words[0], "none") == 0) {
        keys[0] = keys[1] = 0;
        rc = 0;
    }
    for (int i = 0; rc > 0 && i < n; i++) {
        if (!key_parse(words[i], &keys[i])) {
            diags_add(diags, DIAG_ERROR, file, b->line,
                      "[keys] %s: unknown key name \"%.40s\" (use a single character, "
                      "Space, Enter, Tab, Esc, Backspace, Delete, Home, End, PgUp, PgDn, an "
                      "arrow, F1 to F12, Ctrl-A to Ctrl-Z or Alt-x)",
                      b->action, words[i]);
            rc = -1;
        } else if (keys[i] == CTRL('C') || keys[i] == CTRL('Z')) {
            diags_add(diags, DIAG_ERROR, file, b->line,
                      "[keys] %s: %s belongs to the terminal (it stops or suspends the "
                      "program) and cannot be bound",
                      b->action, keys[i] == CTRL('C') ? "Ctrl-C" : "Ctrl-Z");
            rc = -1;
        }
    }
    free(copy);
    return rc;
}

/* Stable sort of diags from first on by line, so they read in file order. */
static void sort_by_line(struct diags *d, size_t first)
{
    for (size_t i = first + 1; i < d->n; i++) {
        struct diag g = d->v[i];
        size_t j = i;
        for (; j > first && d->v[j - 1].line > g.line; j--)
            d->v[j] = d->v[j - 1];
        d->v[j] = g;
    }
}

int keys_configure(const struct config *cfg, struct diags *diags)
{
    keys_reset();
    size_t errors = diags_errors(diags), first = diags->n;
    const char *file = cfg->path;
    int line_of[ACT_COUNT] = {0};
    for (size_t i = 0; i < cfg->n_bindings; i++) {
        const struct config_binding *b = &cfg->bindings[i];
        enum ui_action a = action_named(b->action);
        if (a == ACT_NONE) {
            diags_add(diags, DIAG_ERROR, file, b->line,
                      "[keys] unknown action \"%.40s\" (the names are in the Action column "
                      "of 'ragboard keys', e.g. move-down, search, quit)",
                      b->action);
            continue;
        }
        int keys[2] = {0, 0};
        int n = parse_value(b, file, keys, diags);
        if (n < 0)
            continue;
        bound_key[a] = keys[0];
        if (n != 1)
            bound_alias[a] = keys[1];
        else if (bound_alias[a] == keys[0])
            bound_alias[a] = 0;
        line_of[a] = b->line;
    }
    /* The ways out must keep a key, or the program could not be left. */
    static const enum ui_action needed[] = {ACT_BACK, ACT_QUIT, ACT_HELP};
    for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
        enum ui_action a = needed[i];
        if (!bound_key[a] && !bound_alias[a])
            diags_add(diags, DIAG_ERROR, file, line_of[a],
                      "[keys] %s needs a key: without one it could not be used",
                      action_table[a].name);
    }
    for (int i = 1; i < ACT_COUNT; i++) {
        for (int j = i + 1; j < ACT_COUNT; j++) {
            unsigned both = action_table[i].on & action_table[j].on;
            if (!both)
                continue;
            int ki[2] = {bound_key[i], bound_alias[i]}, kj[2] = {bound_key[j], bound_alias[j]};
            for (int x = 0; x < 2; x++) {
                for (int y = 0; y < 2; y++) {
                    if (!ki[x] || ki[x] != kj[y])
                        continue;
                    char buf[16];
                    int line = line_of[i] > line_of[j] ? line_of[i] : line_of[j];
                    diags_add(diags, DIAG_ERROR, file, line,
                              "[keys] %s would do both %s and %s %s; give one of them "
                              "another key",
                              ui_key_name(ki[x], buf), action_table[i].name,
                              action_table[j].name, screen_words(both));
                }
            }
        }
    }
    sort_by_line(diags, first);
    if (diags_errors(diags) > errors) {
        keys_reset();
        return -1;
    }
    return 0;
}
