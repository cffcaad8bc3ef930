/* Key bindings from the action table. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/keys.h"

const struct action_info action_table[ACT_COUNT] = {
    [ACT_NONE] = {ACT_NONE, "none", 0, 0, 0, NULL, ""},
#define X(e, name, key, alias, on, hint, help) [ACT_##e] = {ACT_##e, name, key, alias, on, hint, help},
    ACTIONS(X)
#undef X
};

enum ui_action key_action(int key, unsigned on)
{
    if (key == '\n' || key == KEY_ENTER)
        key = '\r';
    for (int i = 1; i < ACT_COUNT; i++) {
        int k = key_of((enum ui_action)i), alias = alias_of((enum ui_action)i);
        if (((k && k == key) || (alias && alias == key)) && (action_table[i].on & on))
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
    case KEY_IC: return "Insert";
    case 0: return "none";
    default: break;
    }
    if ((key & KEY_ALT_BIT) && (key & ~KEY_ALT_BIT) > ' ' && (key & ~KEY_ALT_BIT) < 127) {
        snprintf(buf, 16, "Alt-%c", key & ~KEY_ALT_BIT);
        return buf;
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

/* "board, list" for a set of ON_* flags; "everywhere" for all of them. */
static void screens_of(unsigned on, char *buf, size_t n)
{
    static const struct {
        unsigned flag;
        const char *name;
    } names[] = {{ON_BOARD, "board"}, {ON_LIST, "list"}, {ON_DETAIL, "detail"},
                 {ON_ATTEND, "attendance"}, {ON_WALK, "meeting walk"},
                 {ON_MERGE, "merge conflicts"}};
    if ((on & ON_ALL) == ON_ALL) {
        snprintf(buf, n, "everywhere");
        return;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(on & names[i].flag))
            continue;
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s%s", len ? ", " : "", names[i].name);
    }
}

/* text with the characters roff reads specially escaped: '-' and '\\'. */
static void man_put(FILE *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '-' || *p == '\\')
            fputc('\\', out);
        fputc(*p == '\\' ? 'e' : *p, out);
    }
}

void keys_print_man(FILE *out)
{
    char k1[16], k2[16], where[96];
    for (int i = 1; i < ACT_COUNT; i++) {
        const struct action_info *a = &action_table[i];
        int alias = alias_of(a->action);
        const char *n1 = ui_key_name(key_of(a->action), k1);
        const char *n2 = alias ? ui_key_name(alias, k2) : "";
        fputs(".TP\n\\fB", out);
        man_put(out, n1);
        if (*n2 && strcmp(n1, n2) != 0) {
            fputs("\\fR or \\fB", out);
            man_put(out, n2);
        }
        fputs("\\fR \\(em \\fI", out);
        man_put(out, a->name);
        fputs("\\fR\n", out);
        screens_of(a->on, where, sizeof where);
        man_put(out, a->help);
        fputs(" (", out);
        man_put(out, where);
        fputs(").\n", out);
    }
}

void keys_print(FILE *out)
{
    fprintf(out, "| Key | Also | Where | What it does | Action |\n|---|---|---|---|---|\n");
    char k1[16], k2[16], where[96];
    for (int i = 1; i < ACT_COUNT; i++) {
        const struct action_info *a = &action_table[i];
        int alias = alias_of(a->action);
        const char *n1 = ui_key_name(key_of(a->action), k1);
        const char *n2 = alias ? ui_key_name(alias, k2) : "";
        if (strcmp(n1, n2) == 0)
            n2 = "";
        screens_of(a->on, where, sizeof where);
        /* A bar inside a table cell would end the cell. */
        fprintf(out, "| `%s` | %s%s%s | %s | %s | %s |\n", strcmp(n1, "|") ? n1 : "\\|",
                *n2 ? "`" : "", n2, *n2 ? "`" : "", where, a->help, a->name);
    }
}
