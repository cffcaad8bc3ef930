/* What every screen provides to the main loop, and the drawing helpers they share. */
#ifndef RAGBOARD_TUI_SCREEN_H
#define RAGBOARD_TUI_SCREEN_H

#include <curses.h>

#include "ragboard/config.h"
#include "ragboard/store.h"
#include "tui/keys.h"

enum verdict { V_STAY, V_BACK, V_QUIT };

/* Colour pairs; all zero (plain attributes) without colour. */
enum ui_pair { PAIR_RED = 1, PAIR_AMBER, PAIR_GREEN, PAIR_COMPLETE, PAIR_TITLE, PAIR_COUNT };

struct ui {
    struct store *st;
    const struct config *cfg;
    rb_day today;
    bool colour;
    char status[256]; /* message for the status line, cleared on the next key */
};

struct screen;
struct screen_ops {
    const char *name;
    void (*draw)(struct screen *s, WINDOW *w);
    enum verdict (*key)(struct screen *s, enum ui_action a);
    void (*reload)(struct screen *s); /* the data changed: read it again */
    void (*destroy)(struct screen *s);
};

struct screen {
    const struct screen_ops *ops;
    struct ui *ui;
    int cursor_y, cursor_x; /* where the hardware cursor parks after drawing */
};

/* Attribute for a rating: its colour pair when colour is on, bold for Red. */
attr_t ui_rag_attr(const struct ui *ui, enum rag r);

/* The board: strand tiles and agency panes. Caller destroys through ops. */
struct screen *board_new(struct ui *ui);

#endif
