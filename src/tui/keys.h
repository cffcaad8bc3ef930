/* The one table of user actions: enum, name, keys, screens, hint and help come from here. */
#ifndef RAGBOARD_TUI_KEYS_H
#define RAGBOARD_TUI_KEYS_H

#include <stdbool.h>
#include <stdio.h>

#include "ragboard/config.h"
#include "ragboard/util.h"

/* Screens an action works on (for help and the hint bar). */
#define ON_BOARD (1u << 0)
#define ON_LIST (1u << 1)
#define ON_DETAIL (1u << 2)
#define ON_ATTEND (1u << 3) /* meeting attendance */
#define ON_WALK (1u << 4)   /* the meeting's item-by-item walk */
#define ON_MERGE (1u << 5)  /* conflicts from another copy's changes */
#define ON_ALL (ON_BOARD | ON_LIST | ON_DETAIL | ON_ATTEND | ON_WALK | ON_MERGE)
#define ON_PLAN (ON_BOARD | ON_LIST | ON_DETAIL)
#define ON_EDIT (ON_LIST | ON_DETAIL | ON_WALK)

#ifndef CTRL
#define CTRL(c) ((c) & 0x1f)
#endif
/* Alt (Meta) with a printable ASCII character, as terminals send it: Esc, then the
 * character. Above every Unicode code point, so never a typed character. */
#define KEY_ALT_BIT 0x200000
#define KEY_ALT(c) (KEY_ALT_BIT | (c))

/* X(ENUM, name, key, alias (0 = none), screens, hint-bar label (NULL = not in the bar),
 *   help text). Letter keys first: aliases are arrows and function keys. One key may do
 *   different things on different screens (p: progress update; in attendance: present).
 *   The hint bar shows entries in this order until the line is full, so the keys a
 *   chair needs most in a meeting come first. */
#define ACTIONS(X)                                                                        \
    X(MOVE_DOWN, "move-down", 'j', KEY_DOWN, ON_ALL, NULL, "Next row")                    \
    X(MOVE_UP, "move-up", 'k', KEY_UP, ON_ALL, NULL, "Previous row")                      \
    X(PAGE_DOWN, "page-down", ' ', KEY_NPAGE, ON_ALL, NULL, "Next page")                  \
    X(PAGE_UP, "page-up", 'b', KEY_PPAGE, ON_ALL, NULL, "Previous page")                  \
    X(MOVE_TOP, "move-top", 'g', KEY_HOME, ON_ALL, NULL, "First row")                     \
    X(MOVE_BOTTOM, "move-bottom", 'G', KEY_END, ON_ALL, NULL, "Last row")                 \
    X(NEXT_ITEM, "next-item", ']', 0, ON_WALK | ON_ATTEND, "Next",                         \
      "Next item (from attendance: start the walk)")                                      \
    X(PREV_ITEM, "previous-item", '[', 0, ON_WALK, "Prev", "Previous item")               \
    X(MARK_PRESENT, "mark-present", 'p', 0, ON_ATTEND, "Present", "Mark the agency present") \
    X(MARK_APOLOGIES, "mark-apologies", 'a', 0, ON_ATTEND, "Apologies",                   \
      "Mark the agency as having sent apologies")                                         \
    X(MARK_ABSENT, "mark-absent", 'x', 0, ON_ATTEND, "Absent", "Mark the agency absent")  \
    X(NAMES, "names", 'e', 0, ON_ATTEND, "Names", "Names of the people attending")        \
    X(PROGRESS, "progress", 'p', 0, ON_EDIT, "Progress", "Add a progress update")         \
    X(OVERRIDE, "rag-override", 'r', 0, ON_EDIT, "RAG", "Set or clear a manual RAG rating") \
    X(DECISION, "decision", 'd', 0, ON_WALK, "Decision", "Record a decision on this item") \
    X(REVIEWED, "reviewed", 'v', 0, ON_WALK, "No change", "Record \"reviewed, no change\"") \
    X(EDIT, "edit", 'e', 0, ON_EDIT, "Edit", "Edit the action")                           \
    X(NEW, "new", 'n', 0, ON_PLAN | ON_WALK, "New", "New action")                         \
    X(NOTE, "standing-item", 's', 0, ON_WALK | ON_ATTEND, "Note",                          \
      "Note for a standing item: threat update, Channel summary, any other business")    \
    X(SEARCH, "search", '/', 0, ON_BOARD | ON_LIST, "Search",                              \
      "Search titles, descriptions and updates")                                          \
    X(FILTER, "filter", 'f', 0, ON_LIST, "Filter", "Filter by RAG, agency, state, overdue") \
    X(SORT, "sort", 'o', 0, ON_LIST | ON_WALK, "Sort", "Change the order")                \
    X(COMPLETE, "complete", 'x', 0, ON_EDIT, "Done", "Mark the action complete (again: reopen)") \
    X(DELETE, "delete", 'D', 0, ON_LIST | ON_DETAIL, NULL, "Delete the action (asks first)") \
    X(UNDO, "undo", 'u', 0, ON_PLAN | ON_WALK, "Undo", "Undo the last change")            \
    X(OPEN, "open", '\r', KEY_ENTER, ON_BOARD | ON_LIST | ON_WALK, "Open",                \
      "Open the selected item (in the walk: the action's full detail)")                  \
    X(NEXT_PANE, "next-pane", '\t', 0, ON_BOARD, "Pane", "Next pane: strands, agencies")  \
    X(AGENCIES, "agencies", 'a', 0, ON_BOARD, NULL, "Go to the agency panes")             \
    X(MEETING, "meeting", 'm', 0, ON_PLAN, "Meeting", "Start the meeting, or resume the open one") \
    X(ATTENDANCE, "attendance", 'A', 0, ON_WALK, NULL, "Attendance and apologies")        \
    X(END_MEETING, "end-meeting", 'M', 0, ON_WALK | ON_ATTEND, NULL,                       \
      "End the meeting and store its minutes (asks first)")                               \
    X(REPORTS, "write-report", 'W', 0, ON_PLAN | ON_WALK, NULL,                            \
      "Write the minutes or a report to the exports folder")                             \
    X(MERGE, "merge", 'C', 0, ON_BOARD, NULL,                                            \
      "Merge a changes file from another copy of the plan")                              \
    X(TAKE_OURS, "keep-ours", 'o', 0, ON_MERGE, "Ours", "Settle the conflict: keep ours") \
    X(TAKE_THEIRS, "take-theirs", 't', 0, ON_MERGE, "Theirs",                             \
      "Settle the conflict: take theirs")                                                 \
    X(APPLY_CHOICES, "apply-choices", 'a', 0, ON_MERGE, "Apply",                          \
      "Apply the file again with the choices made")                                       \
    X(PRESENT, "present", 'P', 0, ON_ALL, NULL,                                            \
      "Presenter mode on or off: confidential items hidden (asks before turning off)")   \
    X(THEME, "theme", 'T', 0, ON_ALL, NULL,                                                \
      "Next colour theme: default, high contrast, monochrome, colour-blind")             \
    X(COMMAND, "command-line", ':', 0, ON_ALL, NULL,                                       \
      "Command line: export, report, minutes, backup")                                  \
    X(HELP, "help", '?', KEY_F(1), ON_ALL, "Help", "Show the keys of this screen")        \
    X(REDRAW, "redraw", CTRL('l'), 0, ON_ALL, NULL, "Redraw the screen")                  \
    X(BACK, "back", 'q', 27, ON_ALL, "Back", "Back (Esc too); on the board: quit")        \
    X(QUIT, "quit", 'Q', KEY_F(10), ON_ALL, "Quit", "Quit from anywhere")

enum ui_action {
    ACT_NONE = 0,
#define X(e, name, key, alias, on, hint, help) ACT_##e,
    ACTIONS(X)
#undef X
        ACT_COUNT
};

struct action_info {
    enum ui_action action;
    const char *name;
    int key;
    int alias;
    unsigned on;
    const char *hint;
    const char *help;
};

/* The table, indexed by enum ui_action (entry 0 is ACT_NONE). */
extern const struct action_info action_table[ACT_COUNT];

/* The action a key does on a screen (ON_* flags), or ACT_NONE, with the bindings in
 * force. Enter arrives as '\r', '\n' or KEY_ENTER, and is bound as '\r'. */
enum ui_action key_action(int key, unsigned on);
/* The keys in force for an action: its main key and its alias (0 = none). */
int key_of(enum ui_action a);
int alias_of(enum ui_action a);
/* Name of the key that does a: its main key, else its alias, else "none". buf >= 16. */
const char *key_name_of(enum ui_action a, char *buf);
/* Every key as a Markdown table (for the README and 'ragboard keys'), as bound now. */
void keys_print(FILE *out);
/* The same as the KEYS entries of the manual page (roff), between its keys markers. */
void keys_print_man(FILE *out);
/* Printable name of a key: "j", "Space", "Esc", "Ctrl-L", "Down", "F1", "Alt-s". buf >= 16. */
const char *ui_key_name(int key, char *buf);
/* A key name as written in [keys] (the names ui_key_name gives, any case for the
 * named ones, and a few others: Escape, Return, PageUp); false when unknown. */
bool key_parse(const char *name, int *key);
/* Apply cfg's [keys] lines over the table's keys. Every problem (an unknown action or
 * key name, two actions on one key on the same screen) is added to diags naming
 * cfg->path and the line. Returns 0, or -1 with the table's own keys left in force. */
int keys_configure(const struct config *cfg, struct diags *diags);
/* Back to the table's own keys. */
void keys_reset(void);

#endif
