/* The generic form: fields, their checks, the keys that edit them, and drawing in a box. */
#include "tui/form.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "ragboard/util.h"
#include "tui/text.h"

static const struct screen_ops form_ops;

/* ---- building ---- */

struct form *form_new(struct app *app, const char *title)
{
    struct form *f = xcalloc(1, sizeof *f);
    f->base.ops = &form_ops;
    f->base.app = app;
    f->base.modal = true;
    snprintf(f->title, sizeof f->title, "%s", title);
    return f;
}

void form_open(struct form *f)
{
    form_validate(f);
    app_push(f->base.app, &f->base);
}

struct field *form_add(struct form *f, enum field_kind kind, const char *label, bool required)
{
    if (f->n_fields == FORM_MAX_FIELDS)
        abort(); /* a programming error: raise FORM_MAX_FIELDS */
    struct field *fl = &f->fields[f->n_fields++];
    memset(fl, 0, sizeof *fl);
    fl->kind = kind;
    fl->label = label;
    fl->required = required;
    form_text_set(&fl->text, "");
    return fl;
}

void form_info(struct form *f, const char *fmt, ...)
{
    if (f->n_info == FORM_MAX_INFO)
        return;
    va_list ap;
    va_start(ap, fmt);
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    f->info[f->n_info++] = xstrdup(buf);
}

void form_clear_info(struct form *f)
{
    for (size_t i = 0; i < f->n_info; i++)
        free(f->info[i]);
    f->n_info = 0;
}

/* ---- values ---- */

void field_set_text(struct field *fl, const char *s)
{
    form_text_set(&fl->text, s);
    fl->scroll = 0;
}

char *field_text(const struct field *fl)
{
    return form_text_get(&fl->text);
}

void field_set_date(struct field *fl, rb_day day)
{
    char buf[RB_DATE_BUF];
    field_set_text(fl, date_format_uk(day, buf));
}

void field_set_percent(struct field *fl, int pct)
{
    char buf[16] = "";
    if (pct >= 0)
        snprintf(buf, sizeof buf, "%d", pct);
    field_set_text(fl, buf);
}

rb_day field_date(const struct field *fl)
{
    char *s = field_text(fl);
    rb_day day;
    if (form_check_date(s, false, &day))
        day = RB_NO_DATE;
    free(s);
    return day;
}

int field_percent(const struct field *fl)
{
    char *s = field_text(fl);
    int pct;
    if (form_check_percent(s, false, &pct))
        pct = -1;
    free(s);
    return pct;
}

void field_add_choice(struct field *fl, const char *value, const char *label)
{
    fl->choices = xrealloc(fl->choices, (fl->n_choices + 1) * sizeof *fl->choices);
    fl->choices[fl->n_choices].value = xstrdup(value);
    fl->choices[fl->n_choices].label = xstrdup(label);
    fl->n_choices++;
}

void field_clear_choices(struct field *fl)
{
    for (size_t i = 0; i < fl->n_choices; i++) {
        free(fl->choices[i].value);
        free(fl->choices[i].label);
    }
    free(fl->choices);
    fl->choices = NULL;
    fl->n_choices = 0;
    fl->sel = 0;
}

bool field_choose(struct field *fl, const char *value)
{
    for (size_t i = 0; i < fl->n_choices; i++) {
        if (str_ieq(fl->choices[i].value, value ? value : "")) {
            fl->sel = i;
            return true;
        }
    }
    return false;
}

const char *field_choice(const struct field *fl)
{
    return fl->n_choices ? fl->choices[fl->sel].value : "";
}

void field_error(struct field *fl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fl->error, sizeof fl->error, fmt, ap);
    va_end(ap);
}

/* ---- checks ---- */

static void check_field(struct field *fl)
{
    fl->error[0] = '\0';
    char *s = NULL;
    const char *msg = NULL;
    rb_day day;
    int pct;
    switch (fl->kind) {
    case FIELD_TEXT:
    case FIELD_LONG:
        s = field_text(fl);
        if (fl->required && str_blank(s))
            msg = "required";
        break;
    case FIELD_DATE:
        s = field_text(fl);
        msg = form_check_date(s, fl->required, &day);
        break;
    case FIELD_PERCENT:
        s = field_text(fl);
        msg = form_check_percent(s, fl->required, &pct);
        break;
    case FIELD_CHOICE:
        if (fl->required && !*field_choice(fl))
            msg = "required";
        break;
    case FIELD_CHECK: break;
    }
    if (msg)
        field_error(fl, "%s", msg);
    free(s);
}

void form_validate(struct form *f)
{
    for (size_t i = 0; i < f->n_fields; i++)
        check_field(&f->fields[i]);
    if (f->check)
        f->check(f);
}

bool field_shows_error(const struct form *f, const struct field *fl)
{
    return fl->error[0] && (fl->touched || f->tried);
}

/* ---- focus, saving, closing ---- */

void form_focus(struct form *f, struct field *fl)
{
    f->fields[f->focus].touched = true;
    f->focus = (size_t)(fl - f->fields);
}

static void move_focus(struct form *f, int by)
{
    size_t n = f->n_fields;
    form_focus(f, &f->fields[(f->focus + (by > 0 ? 1 : n - 1)) % n]);
}

void form_close(struct form *f)
{
    struct app *app = f->base.app;
    if (app->depth > 0 && app->stack[app->depth - 1] == &f->base)
        app_pop(app);
}

static void try_save(struct form *f)
{
    f->tried = true;
    form_validate(f);
    for (size_t i = 0; i < f->n_fields; i++) {
        struct field *fl = &f->fields[i];
        if (fl->error[0]) {
            form_focus(f, fl);
            app_error(f->base.app, "Not saved: check %s (%s); problems are marked !",
                      fl->label, fl->error);
            return;
        }
    }
    if (f->save(f) == FORM_SAVED)
        form_close(f);
}

static void discard_answer(struct app *app, void *ctx, bool yes)
{
    (void)app;
    if (yes)
        form_close(ctx);
}

static void cancel(struct form *f)
{
    if (f->dirty)
        ui_confirm(f->base.app, "Discard what you typed?", discard_answer, f);
    else
        form_close(f);
}

/* ---- editing keys ---- */

/* Most characters a field takes: far beyond any title or update, small enough that a
 * runaway paste cannot slow the screen down. */
#define FIELD_MAX_LINE 500
#define FIELD_MAX_LONG 5000

static bool field_full(struct form *f, struct field *fl)
{
    size_t max = fl->kind == FIELD_LONG ? FIELD_MAX_LONG : FIELD_MAX_LINE;
    if (fl->text.len < max)
        return false;
    /* No beep for each character of a paste that does not fit. */
    if (f->base.app->pasting)
        app_status(f->base.app, "%s holds at most %zu characters; the rest of the paste "
                                "was not taken", fl->label, max);
    else
        app_error(f->base.app, "%s holds at most %zu characters", fl->label, max);
    return true;
}

static bool edit_text(struct form *f, struct field *fl, const struct keypress *k)
{
    struct form_text *t = &fl->text;
    wint_t c = k->code;
    if (k->function) {
        switch (c) {
        case KEY_BACKSPACE: return form_text_backspace(t);
        case KEY_DC: return form_text_delete(t);
        case KEY_LEFT: form_text_left(t); return false;
        case KEY_RIGHT: form_text_right(t); return false;
        case KEY_HOME: form_text_home(t); return false;
        case KEY_END: form_text_end(t); return false;
        default: return false;
        }
    }
    switch (c) {
    case 127:
    case 8: return form_text_backspace(t);
    case CTRL('d'): return form_text_delete(t);
    case CTRL('a'): form_text_home(t); return false;
    case CTRL('e'): form_text_end(t); return false;
    case CTRL('u'): return form_text_clear(t);
    case CTRL('w'): return form_text_delete_word(t);
    default: break;
    }
    if (c >= L' ' && c != 127 && iswprint(c))
        return !field_full(f, fl) && form_text_insert(t, (wchar_t)c);
    return false;
}

/* A pasted character: line ends and tabs are text (a new line in a long field, else a
 * space), never Enter or Tab; other control keys are dropped. */
static bool paste_char(struct form *f, struct field *fl, wint_t c)
{
    if (fl->kind == FIELD_CHOICE || fl->kind == FIELD_CHECK)
        return false;
    if (c == L'\r' || c == L'\n' || c == L'\t') {
        wchar_t w = fl->kind == FIELD_LONG && c != L'\t' ? L'\n' : L' ';
        return !field_full(f, fl) && form_text_insert(&fl->text, w);
    }
    if (c < L' ' || c == 127 || !iswprint(c))
        return false;
    return !field_full(f, fl) && form_text_insert(&fl->text, (wchar_t)c);
}

static bool cycle_choice(struct field *fl, int by)
{
    if (fl->n_choices < 2)
        return false;
    size_t n = fl->n_choices;
    fl->sel = (fl->sel + (by > 0 ? 1 : n - 1)) % n;
    return true;
}

/* Jump to the next choice after the selected one whose label starts with c. */
static bool jump_choice(struct field *fl, wint_t c)
{
    for (size_t step = 1; step <= fl->n_choices; step++) {
        size_t i = (fl->sel + step) % fl->n_choices;
        wchar_t *w = text_to_wide(fl->choices[i].label);
        bool match = w[0] && towlower((wint_t)w[0]) == towlower(c);
        free(w);
        if (match) {
            bool moved = i != fl->sel;
            fl->sel = i;
            return moved;
        }
    }
    return false;
}

static bool edit_choice(struct form *f, struct field *fl, const struct keypress *k)
{
    wint_t c = k->code;
    size_t old = fl->sel;
    if (k->function) {
        if (c == KEY_LEFT)
            return cycle_choice(fl, -1);
        if (c == KEY_RIGHT)
            return cycle_choice(fl, 1);
        if (c == KEY_HOME)
            fl->sel = 0;
        else if (c == KEY_END && fl->n_choices)
            fl->sel = fl->n_choices - 1;
        return fl->sel != old;
    }
    if (c == L' ')
        return cycle_choice(fl, 1);
    if (c > L' ' && c != 127 && iswprint(c)) {
        if (!jump_choice(fl, c) && fl->sel == old) {
            wchar_t s[2] = {(wchar_t)c, L'\0'};
            char *u = text_from_wide(s, 1);
            app_error(f->base.app, "No %s starts with %s; Left/Right show them all", fl->label,
                      u);
            free(u);
        }
        return fl->sel != old;
    }
    return false;
}

static bool edit_check(struct form *f, struct field *fl, const struct keypress *k)
{
    wint_t c = k->code;
    bool old = fl->on;
    if (k->function) {
        if (c == KEY_LEFT || c == KEY_RIGHT)
            fl->on = !fl->on;
    } else if (c == L' ') {
        fl->on = !fl->on;
    } else if (c == L'y' || c == L'Y') {
        fl->on = true;
    } else if (c == L'n' || c == L'N') {
        fl->on = false;
    } else if (c > L' ' && c != 127 && iswprint(c)) {
        app_error(f->base.app, "%s: press y for yes, n for no, or Space to switch",
                  fl->label);
    }
    return fl->on != old;
}

static enum verdict form_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    (void)a;
    struct form *f = (struct form *)s;
    wint_t c = k->code;
    bool fn = k->function;
    bool enter = (!fn && (c == L'\r' || c == L'\n')) || (fn && c == KEY_ENTER);
    if (fn && c == KEY_RESIZE)
        return V_STAY;
    if (f->base.app->pasting) { /* pasted text never moves, saves or cancels */
        struct field *pf = &f->fields[f->focus];
        if (!fn && paste_char(f, pf, c)) {
            pf->edited = pf->touched = true;
            f->dirty = true;
            if (f->changed)
                f->changed(f, pf);
            form_validate(f);
        }
        return V_STAY;
    }
    if (!fn && c == 27) {
        cancel(f); /* f may be gone now */
        return V_STAY;
    }
    if (!fn && c == CTRL('s')) {
        try_save(f);
        return V_STAY;
    }
    if (enter && f->focus + 1 == f->n_fields) {
        try_save(f);
        return V_STAY;
    }
    if (enter || (!fn && c == L'\t') || (fn && c == KEY_DOWN)) {
        move_focus(f, 1);
        return V_STAY;
    }
    if (fn && (c == KEY_BTAB || c == KEY_UP)) {
        move_focus(f, -1);
        return V_STAY;
    }
    struct field *fl = &f->fields[f->focus];
    bool changed;
    switch (fl->kind) {
    case FIELD_CHOICE: changed = edit_choice(f, fl, k); break;
    case FIELD_CHECK: changed = edit_check(f, fl, k); break;
    default: changed = edit_text(f, fl, k); break;
    }
    if (changed) {
        fl->edited = fl->touched = true;
        f->dirty = true;
        if (f->changed)
            f->changed(f, fl);
        form_validate(f);
    }
    return V_STAY;
}

static const char *form_hints(struct screen *s)
{
    struct form *f = (struct form *)s;
    bool narrow = COLS < 72;
    switch (f->fields[f->focus].kind) {
    case FIELD_CHOICE:
        return narrow ? "Left/Right change  Tab/S-Tab move  Ctrl-S save  Esc cancel"
                      : "Left/Right change  Tab next  Shift-Tab previous  Ctrl-S save  Esc cancel";
    case FIELD_CHECK:
        return narrow ? "Space switch  Tab/S-Tab move  Ctrl-S save  Esc cancel"
                      : "Space switch  Tab next  Shift-Tab previous  Ctrl-S save  Esc cancel";
    default: return "Tab next  Shift-Tab previous  Ctrl-S save  Esc cancel";
    }
}

static void form_destroy(struct screen *s)
{
    struct form *f = (struct form *)s;
    if (f->free_ctx)
        f->free_ctx(f->ctx);
    for (size_t i = 0; i < f->n_fields; i++) {
        form_text_free(&f->fields[i].text);
        field_clear_choices(&f->fields[i]);
    }
    form_clear_info(f);
    free(f);
}

static const struct screen_ops form_ops = {
    .name = "form",
    .raw_input = true,
    .draw = form_draw,
    .key = form_key,
    .destroy = form_destroy,
    .hints = form_hints,
};
