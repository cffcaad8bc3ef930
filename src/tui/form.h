/* A generic form: labelled fields (text, long text, date, percent, choice, check) drawn
 * in a box, edited with the keyboard and checked as you type. */
#ifndef RAGBOARD_TUI_FORM_H
#define RAGBOARD_TUI_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/form_text.h"
#include "tui/screen.h"

#define FORM_MAX_FIELDS 16
#define FORM_MAX_INFO 3

enum field_kind {
    FIELD_TEXT,    /* one line, scrolling sideways */
    FIELD_LONG,    /* wraps over a few lines */
    FIELD_DATE,    /* dd/mm/yyyy or ISO */
    FIELD_PERCENT, /* 0 to 100 */
    FIELD_CHOICE,  /* one of a fixed list */
    FIELD_CHECK,   /* yes or no */
};

struct field_choice {
    char *value; /* what the form hands back (an agency code, a strand code, "" for none) */
    char *label; /* what is shown */
};

struct field {
    enum field_kind kind;
    const char *label; /* static text */
    const char *note;  /* static hint shown beside a short field when it is valid, or NULL */
    bool required;
    bool edited;  /* the user changed this field */
    bool touched; /* edited or left: its problem, if any, is shown */
    struct form_text text; /* text, long, date and percent fields */
    size_t scroll;         /* first character (text) or line (long text) shown */
    struct field_choice *choices;
    size_t n_choices;
    size_t sel;  /* the chosen entry */
    bool on;     /* check fields */
    char error[128]; /* "" when the value is acceptable */
};

/* What form_save's callback reports. */
enum form_result {
    FORM_SAVED,  /* saved: the form closes */
    FORM_FAILED, /* not saved: the form stays (the callback said why) */
    FORM_ASKING, /* a dialog was opened over the form; it decides what happens next */
};

struct form {
    struct screen base;
    char title[128];
    char *info[FORM_MAX_INFO]; /* read-only lines shown above the fields */
    size_t n_info;
    struct field fields[FORM_MAX_FIELDS]; /* addresses stay put: keep pointers to them */
    size_t n_fields;
    size_t focus;
    int top;    /* first row of the fields shown */
    bool dirty; /* something was typed: Esc asks first */
    bool tried; /* a save was refused: show every problem */
    /* After the user changes fl: update fields that depend on it (may be NULL). */
    void (*changed)(struct form *f, struct field *fl);
    /* Checks across fields, after each field's own check: set fl->error (may be NULL). */
    void (*check)(struct form *f);
    /* Save the values (all fields are valid when this runs). */
    enum form_result (*save)(struct form *f);
    /* Free ctx (may be NULL). */
    void (*free_ctx)(void *ctx);
    void *ctx;
};

/* A new, empty form; caller adds fields, then opens it with form_open. */
struct form *form_new(struct app *app, const char *title);
/* Check every field and push the form on the app's stack (which then owns it). */
void form_open(struct form *f);
/* Add a field; its label and note must outlive the form. */
struct field *form_add(struct form *f, enum field_kind kind, const char *label, bool required);
/* Add a line of read-only text above the fields. */
void form_info(struct form *f, const char *fmt, ...) RB_PRINTF(2, 3);
/* Remove the read-only lines (to write them again). */
void form_clear_info(struct form *f);

/* Values. Setting one never marks the form as typed in. */
void field_set_text(struct field *fl, const char *s);
/* Text of a text, long, date or percent field; caller frees. */
char *field_text(const struct field *fl);
void field_set_date(struct field *fl, rb_day day);
void field_set_percent(struct field *fl, int pct);
/* The parsed value of a valid date (RB_NO_DATE when blank) or percent (-1 when blank). */
rb_day field_date(const struct field *fl);
int field_percent(const struct field *fl);

void field_add_choice(struct field *fl, const char *value, const char *label);
void field_clear_choices(struct field *fl);
/* Select the choice whose value equals value (any case); false when there is none. */
bool field_choose(struct field *fl, const char *value);
/* The chosen value ("" when there are no choices). */
const char *field_choice(const struct field *fl);

/* Mark a field as having a problem (from a check callback). */
void field_error(struct field *fl, const char *fmt, ...) RB_PRINTF(2, 3);

/* Run every check again (after changing values from a callback). */
void form_validate(struct form *f);
/* Put the focus on a field. */
void form_focus(struct form *f, struct field *fl);
/* Close the form (pops it; f is freed). */
void form_close(struct form *f);

/* Whether a field's problem is shown (it was edited or left, or a save was refused). */
bool field_shows_error(const struct form *f, const struct field *fl);
/* Draw the form in w (src/tui/form_draw.c); the form's screen uses it. */
void form_draw(struct screen *s, WINDOW *w);

#endif
