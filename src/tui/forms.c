/* The four forms: new action, edit action, progress update and manual RAG rating. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"
#include "ragboard/watch.h"
#include "tui/form.h"

/* A field's text without leading and trailing blanks; caller frees. */
static char *value_of(const struct field *fl)
{
    char *s = field_text(fl);
    char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    size_t n = strlen(p);
    while (n > 0 && isspace((unsigned char)p[n - 1]))
        n--;
    char *out = xstrndup(p, n);
    free(s);
    return out;
}

static const struct rag_thresholds *thresholds(const struct app *app)
{
    return &app->cfg->rag;
}

/* ---- new and edit action ---- */

struct action_form {
    struct form *f;
    bool editing;
    struct action orig; /* editing: the action as read (its id and version) */
    struct field *title, *strand, *objective, *ref, *lead, *owner, *partners, *start, *due,
        *state, *progress, *description, *confidential;
};

static void action_form_free(void *ctx)
{
    struct action_form *af = ctx;
    action_free(&af->orig);
    free(af);
}

/* Reference prefix of actions directly under a strand (as in PV-3.1 under Prevent). */
static const char *strand_prefix(const char *code)
{
    int i = strand_index(code);
    return strands[i < 0 ? STRAND_COUNT - 1 : i].prefix;
}

/* Fill the objective choices for the chosen strand and select ref if it is one. */
static void load_objectives(struct action_form *af, const char *ref)
{
    struct app *app = af->f->base.app;
    struct field *fl = af->objective;
    field_clear_choices(fl);
    field_add_choice(fl, "", "(none)");
    struct objective *v = NULL;
    size_t n = 0;
    char err[RB_ERRLEN];
    if (store_objectives(app->st, field_choice(af->strand), &v, &n, err) != 0) {
        app_error(app, "%s", err);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char *label = xasprintf("%s  %s", v[i].ref, v[i].title);
        field_add_choice(fl, v[i].ref, label);
        free(label);
    }
    objectives_free(v, n);
    field_choose(fl, ref);
}

/* Offer the next free reference under the chosen objective, or the strand. */
static void suggest_ref(struct action_form *af)
{
    if (af->editing || af->ref->edited)
        return;
    const char *prefix = field_choice(af->objective);
    if (!*prefix)
        prefix = strand_prefix(field_choice(af->strand));
    char *ref = store_next_ref(af->f->base.app->st, prefix);
    if (ref)
        field_set_text(af->ref, ref);
    free(ref);
}

static void action_changed(struct form *f, struct field *fl)
{
    struct action_form *af = f->ctx;
    if (fl == af->strand) {
        load_objectives(af, NULL);
        suggest_ref(af);
    } else if (fl == af->objective) {
        suggest_ref(af);
    } else if (fl == af->state && af->progress && !strcmp(field_choice(fl), "complete")) {
        field_set_percent(af->progress, 100);
    }
}

static void action_check(struct form *f)
{
    struct action_form *af = f->ctx;
    struct app *app = f->base.app;
    char *partners = field_text(af->partners);
    char msg[128];
    if (!form_check_agencies(partners, app->agencies, app->n_agencies, NULL, msg, sizeof msg))
        field_error(af->partners, "%s", msg);
    free(partners);
    rb_day start = field_date(af->start), due = field_date(af->due);
    if (!af->due->error[0] && start != RB_NO_DATE && due != RB_NO_DATE && due < start)
        field_error(af->due, "before the start date");
}

/* Fill an action from the form's fields (strings owned by a). */
static void action_from_form(struct action_form *af, struct action *a)
{
    struct app *app = af->f->base.app;
    a->title = value_of(af->title);
    a->strand = xstrdup(field_choice(af->strand));
    const char *obj = field_choice(af->objective);
    a->objective_ref = *obj ? xstrdup(obj) : NULL;
    const char *lead = field_choice(af->lead);
    a->lead = *lead ? xstrdup(lead) : NULL;
    a->owner = value_of(af->owner);
    char *partners = field_text(af->partners);
    char msg[128];
    if (!form_check_agencies(partners, app->agencies, app->n_agencies, &a->partners, msg,
                             sizeof msg))
        a->partners = xstrdup("");
    free(partners);
    a->start = field_date(af->start);
    a->due = field_date(af->due);
    a->description = value_of(af->description);
    a->confidential = af->confidential->on;
    if (af->state)
        state_parse(field_choice(af->state), &a->state);
    if (af->progress)
        a->progress = field_percent(af->progress);
}

static enum form_result new_action_save(struct form *f)
{
    struct action_form *af = f->ctx;
    struct app *app = f->base.app;
    struct action a = {0};
    action_from_form(af, &a);
    a.ref = value_of(af->ref);
    a.state = STATE_NOT_STARTED;
    char err[RB_ERRLEN];
    enum form_result r = FORM_SAVED;
    /* In a meeting, the new action and its minute commit together. */
    int rc = app_edit_begin(app, err);
    if (rc == 0)
        rc = store_action_insert(app->st, &a, err);
    if (app->meeting) {
        char due[RB_DATE_BUF];
        char *minute = xasprintf("New action %s: %s (lead %s, due %s)", a.ref, a.title,
                                 a.lead ? a.lead : "none",
                                 a.due == RB_NO_DATE ? "ongoing" : date_format_uk(a.due, due));
        rc = app_edit_end(app, rc == 0, MINUTE_NEW_ACTION, a.id, minute, err);
        free(minute);
    }
    if (rc != 0) {
        app_error(app, "Not saved: %s", err);
        r = FORM_FAILED;
    } else {
        app_reload(app);
        app_status(app, "Saved new action %s", a.ref);
    }
    action_free(&a);
    return r;
}

/* A line listing the agency codes, for typing partners. */
static void agency_codes_info(struct form *f, const struct app *app)
{
    struct strbuf sb = {0};
    sb_add(&sb, "Partner codes:");
    for (size_t i = 0; i < app->n_agencies; i++)
        sb_addf(&sb, " %s", app->agencies[i].code);
    form_info(f, "%s", sb.buf);
    sb_free(&sb);
}

/* Put an action's values in the fields, as if nothing had been typed. */
static void action_fill(struct action_form *af, const struct action *a)
{
    form_clear_info(af->f);
    form_info(af->f, "%s is rated %s: %s", a->ref, rag_word(a->rag.rag), a->rag.reason);
    agency_codes_info(af->f, af->f->base.app);
    field_set_text(af->title, a->title);
    field_choose(af->strand, a->strand);
    load_objectives(af, a->objective_ref);
    field_choose(af->lead, a->lead ? a->lead : "");
    field_set_text(af->owner, a->owner);
    field_set_text(af->partners, a->partners);
    field_set_date(af->start, a->start);
    field_set_date(af->due, a->due);
    field_choose(af->state, state_code(a->state));
    field_set_percent(af->progress, a->progress);
    field_set_text(af->description, a->description);
    af->confidential->on = a->confidential;
    struct form *f = af->f;
    for (size_t i = 0; i < f->n_fields; i++)
        f->fields[i].edited = f->fields[i].touched = false;
    f->dirty = f->tried = false;
    form_validate(f);
}

/* Fields the user has not touched take the values someone else saved meanwhile, so that
 * overwriting saves only what this user changed. */
static void refill_untouched(struct action_form *af, const struct action *a)
{
    if (!af->title->edited)
        field_set_text(af->title, a->title);
    if (!af->strand->edited)
        field_choose(af->strand, a->strand);
    if (!af->objective->edited && !af->strand->edited)
        load_objectives(af, a->objective_ref);
    if (!af->lead->edited)
        field_choose(af->lead, a->lead ? a->lead : "");
    if (!af->owner->edited)
        field_set_text(af->owner, a->owner);
    if (!af->partners->edited)
        field_set_text(af->partners, a->partners);
    if (!af->start->edited)
        field_set_date(af->start, a->start);
    if (!af->due->edited)
        field_set_date(af->due, a->due);
    if (!af->state->edited)
        field_choose(af->state, state_code(a->state));
    if (!af->progress->edited)
        field_set_percent(af->progress, a->progress);
    if (!af->description->edited)
        field_set_text(af->description, a->description);
    if (!af->confidential->edited)
        af->confidential->on = a->confidential;
    form_validate(af->f);
}

static enum form_result edit_action_save(struct form *f);

static void conflict_answer(struct app *app, void *ctx, enum conflict_choice c)
{
    struct form *f = ctx;
    struct action_form *af = f->ctx;
    if (c == CONFLICT_CANCEL) {
        app_error(app, "Not saved. Ctrl-S asks again; Esc discards what you typed");
        return;
    }
    struct action a;
    char err[RB_ERRLEN];
    int rc = store_action_get(app->st, af->orig.id, thresholds(app), app->today, &a, err);
    if (rc == STORE_NOT_FOUND) {
        app_error(app, "%s has been deleted; nothing was saved", af->orig.ref);
        form_close(f);
        return;
    }
    if (rc != 0) {
        app_error(app, "%s", err);
        return;
    }
    action_free(&af->orig);
    af->orig = a;
    if (c == CONFLICT_OVERWRITE) {
        /* Save what this user changed over the latest version. */
        refill_untouched(af, &af->orig);
        if (edit_action_save(f) == FORM_SAVED)
            form_close(f);
        return;
    }
    action_fill(af, &af->orig);
    app_status(app, "Loaded the latest version of %s; make your changes again", a.ref);
}

static enum form_result edit_action_save(struct form *f)
{
    struct action_form *af = f->ctx;
    struct app *app = f->base.app;
    struct action a = {0};
    action_from_form(af, &a);
    a.id = af->orig.id;
    a.version = af->orig.version;
    a.ref = xstrdup(af->orig.ref);
    char err[RB_ERRLEN];
    int rc = store_action_save(app->st, &a, err);
    enum form_result r = FORM_SAVED;
    if (rc == STORE_CONFLICT) {
        app_ask_conflict(app, err, "load their version; what you typed is lost",
                         "save the fields you changed over theirs", conflict_answer, f);
        r = FORM_ASKING;
    } else if (rc != 0) {
        app_error(app, "Not saved: %s", err);
        r = FORM_FAILED;
    } else {
        app_reload(app);
        app_status(app, "Saved changes to %s", a.ref);
    }
    action_free(&a);
    return r;
}

/* The fields shared by the new and edit forms. */
static struct action_form *action_form_new(struct app *app, const char *title, bool editing)
{
    struct action_form *af = xcalloc(1, sizeof *af);
    struct form *f = form_new(app, title);
    af->f = f;
    af->editing = editing;
    f->ctx = af;
    f->free_ctx = action_form_free;
    f->changed = action_changed;
    f->check = action_check;
    f->save = editing ? edit_action_save : new_action_save;

    af->title = form_add(f, FIELD_TEXT, "Title", true);
    af->strand = form_add(f, FIELD_CHOICE, "Strand", true);
    for (int i = 0; i < STRAND_COUNT; i++)
        field_add_choice(af->strand, strands[i].code, strands[i].name);
    af->objective = form_add(f, FIELD_CHOICE, "Objective", false);
    if (!editing)
        af->ref = form_add(f, FIELD_TEXT, "Reference", true);
    af->lead = form_add(f, FIELD_CHOICE, "Lead", true);
    field_add_choice(af->lead, "", "(none)");
    for (size_t i = 0; i < app->n_agencies; i++) {
        const struct agency *g = &app->agencies[i];
        char *label = xasprintf("%s  %s%s", g->code, g->name ? g->name : "",
                                g->in_config ? "" : " (not in settings)");
        field_add_choice(af->lead, g->code, label);
        free(label);
    }
    af->owner = form_add(f, FIELD_TEXT, "Lead officer", false);
    af->partners = form_add(f, FIELD_TEXT, "Partners", false);
    af->start = form_add(f, FIELD_DATE, "Start date", false);
    af->start->note = "dd/mm/yyyy";
    af->due = form_add(f, FIELD_DATE, "Due date", false);
    af->due->note = "blank = ongoing";
    if (editing) {
        af->state = form_add(f, FIELD_CHOICE, "State", true);
        for (int i = 0; i < STATE_COUNT; i++)
            field_add_choice(af->state, state_code((enum action_state)i),
                             state_word((enum action_state)i));
        af->progress = form_add(f, FIELD_PERCENT, "Progress %", true);
        af->progress->note = "0 to 100";
    }
    af->description = form_add(f, FIELD_LONG, "Description", false);
    af->confidential = form_add(f, FIELD_CHECK, "Confidential", false);
    return af;
}

void form_new_action(struct app *app, const char *strand, const char *lead,
                     const char *objective)
{
    if (store_is_readonly(app->st)) {
        app_error(app, "The plan is open read-only; nothing can be added");
        return;
    }
    struct action_form *af = action_form_new(app, "New action", false);
    int si = strand ? strand_index(strand) : -1;
    field_choose(af->strand, strands[si >= 0 ? si : strand_index("PREVENT")].code);
    load_objectives(af, objective);
    field_choose(af->lead, lead ? lead : "");
    field_set_date(af->start, app->today);
    suggest_ref(af);
    agency_codes_info(af->f, app);
    form_open(af->f);
}

/* Read an action for a form; false (with the message shown) when it cannot be. */
static bool read_action(struct app *app, int64_t id, struct action *a)
{
    char err[RB_ERRLEN];
    int rc = store_action_get(app->st, id, thresholds(app), app->today, a, err);
    if (rc == STORE_NOT_FOUND)
        app_error(app, "That action no longer exists");
    else if (rc != 0)
        app_error(app, "%s", err);
    return rc == 0;
}

void form_edit_action(struct app *app, int64_t action_id)
{
    if (store_is_readonly(app->st)) {
        app_error(app, "The plan is open read-only; nothing can be changed");
        return;
    }
    struct action a;
    if (!read_action(app, action_id, &a))
        return;
    char title[96];
    snprintf(title, sizeof title, "Edit %s", a.ref);
    struct action_form *af = action_form_new(app, title, true);
    af->orig = a;
    action_fill(af, &af->orig);
    form_open(af->f);
}

/* ---- progress update ---- */

struct progress_form {
    int64_t action_id;
    int64_t version; /* the action as the form showed it */
    char ref[64];
    struct field *text, *progress, *date, *confidential;
};

/* The lines above the fields: the action and how far it has got. */
static void progress_info(struct form *f, const struct action *a)
{
    form_clear_info(f);
    form_info(f, "%s %s", a->ref, a->title);
    char last[RB_DATE_BUF];
    if (a->last_update != RB_NO_DATE)
        form_info(f, "Now %d%% done; last update %s", a->progress,
                  date_format_uk(a->last_update, last));
    else
        form_info(f, "Now %d%% done; no updates yet", a->progress);
}

static enum form_result progress_save(struct form *f);

static void progress_conflict(struct app *app, void *ctx, enum conflict_choice c)
{
    struct form *f = ctx;
    struct progress_form *pf = f->ctx;
    if (c == CONFLICT_CANCEL) {
        app_error(app, "Not saved. Ctrl-S asks again; Esc discards what you typed");
        return;
    }
    struct action a;
    char err[RB_ERRLEN];
    int rc = store_action_get(app->st, pf->action_id, thresholds(app), app->today, &a, err);
    if (rc != 0) {
        app_error(app, "%s", rc == STORE_NOT_FOUND ? "That action no longer exists" : err);
        if (rc == STORE_NOT_FOUND)
            form_close(f);
        return;
    }
    pf->version = a.version;
    if (c == CONFLICT_OVERWRITE) {
        action_free(&a);
        if (progress_save(f) == FORM_SAVED)
            form_close(f);
        return;
    }
    progress_info(f, &a);
    if (!pf->progress->edited)
        field_set_percent(pf->progress, a.progress);
    action_free(&a);
    app_status(app, "Above is the latest; your update is still here: Ctrl-S saves it");
}

static void progress_check(struct form *f)
{
    struct progress_form *pf = f->ctx;
    rb_day day = field_date(pf->date);
    if (!pf->date->error[0] && day != RB_NO_DATE && day > f->base.app->today)
        field_error(pf->date, "in the future");
}

static enum form_result progress_save(struct form *f)
{
    struct progress_form *pf = f->ctx;
    struct app *app = f->base.app;
    struct progress_update u = {0};
    u.action_id = pf->action_id;
    u.date = field_date(pf->date);
    u.text = value_of(pf->text);
    u.progress = field_percent(pf->progress);
    u.confidential = pf->confidential->on;
    char err[RB_ERRLEN];
    enum form_result r = FORM_SAVED;
    int rc = app_edit_begin(app, err);
    if (rc == 0) {
        store_expect_version(app->st, pf->action_id, pf->version);
        rc = store_update_insert(app->st, &u, err);
    }
    int conflict = rc == STORE_CONFLICT;
    if (app->meeting) {
        char *minute = u.progress >= 0 ? xasprintf("%s (now %d%% done)", u.text, u.progress)
                                       : xstrdup(u.text);
        rc = app_edit_end(app, rc == 0, MINUTE_UPDATE, u.action_id, minute, err);
        free(minute);
    }
    if (conflict) {
        app_ask_conflict(app, err, "show their change; your update stays in the form",
                         "add your update as it is", progress_conflict, f);
        r = FORM_ASKING;
    } else if (rc != 0) {
        app_error(app, "Not saved: %s", err);
        r = FORM_FAILED;
    } else {
        app_reload(app);
        app_status(app, "Saved progress update on %s", pf->ref);
    }
    free(u.text);
    return r;
}

void form_progress(struct app *app, int64_t action_id)
{
    if (store_is_readonly(app->st)) {
        app_error(app, "The plan is open read-only; nothing can be added");
        return;
    }
    struct action a;
    if (!read_action(app, action_id, &a))
        return;
    char title[96];
    snprintf(title, sizeof title, "Progress update on %s", a.ref);
    struct form *f = form_new(app, title);
    struct progress_form *pf = xcalloc(1, sizeof *pf);
    pf->action_id = action_id;
    pf->version = a.version;
    snprintf(pf->ref, sizeof pf->ref, "%s", a.ref);
    f->ctx = pf;
    f->free_ctx = free;
    f->check = progress_check;
    f->save = progress_save;
    progress_info(f, &a);
    pf->text = form_add(f, FIELD_LONG, "Update", true);
    pf->progress = form_add(f, FIELD_PERCENT, "Progress %", false);
    pf->progress->note = "blank = no figure";
    field_set_percent(pf->progress, a.progress);
    pf->date = form_add(f, FIELD_DATE, "Date", true);
    pf->date->note = "dd/mm/yyyy";
    field_set_date(pf->date, app->today);
    pf->confidential = form_add(f, FIELD_CHECK, "Confidential", false);
    action_free(&a);
    form_open(f);
}

/* ---- manual RAG rating ---- */

#define CLEAR_CHOICE "clear"

struct override_form {
    int64_t action_id;
    int64_t version; /* the action as the form showed it */
    char ref[64];
    struct field *rating, *reason;
};

static void override_info(struct form *f, const struct action *a)
{
    form_clear_info(f);
    form_info(f, "%s %s", a->ref, a->title);
    form_info(f, "Now %s: %s", rag_word(a->rag.rag), a->rag.reason);
}

static enum form_result override_save(struct form *f);

static void override_conflict(struct app *app, void *ctx, enum conflict_choice c)
{
    struct form *f = ctx;
    struct override_form *of = f->ctx;
    if (c == CONFLICT_CANCEL) {
        app_error(app, "Not saved. Ctrl-S asks again; Esc discards what you typed");
        return;
    }
    struct action a;
    char err[RB_ERRLEN];
    int rc = store_action_get(app->st, of->action_id, thresholds(app), app->today, &a, err);
    if (rc != 0) {
        app_error(app, "%s", rc == STORE_NOT_FOUND ? "That action no longer exists" : err);
        if (rc == STORE_NOT_FOUND)
            form_close(f);
        return;
    }
    of->version = a.version;
    if (c == CONFLICT_OVERWRITE) {
        action_free(&a);
        if (override_save(f) == FORM_SAVED)
            form_close(f);
        return;
    }
    override_info(f, &a);
    action_free(&a);
    app_status(app, "Above is the latest rating; yours is still here: Ctrl-S saves it");
}

static void override_changed(struct form *f, struct field *fl)
{
    struct override_form *of = f->ctx;
    if (fl == of->rating)
        of->reason->required = strcmp(field_choice(of->rating), CLEAR_CHOICE) != 0;
}

static enum form_result override_save(struct form *f)
{
    struct override_form *of = f->ctx;
    struct app *app = f->base.app;
    char err[RB_ERRLEN];
    const char *choice = field_choice(of->rating);
    enum rag rag = RAG_NONE;
    char *minute = NULL;
    int rc = app_edit_begin(app, err);
    if (rc == 0)
        store_expect_version(app->st, of->action_id, of->version);
    if (rc == 0 && !strcmp(choice, CLEAR_CHOICE)) {
        rc = store_action_clear_override(app->st, of->action_id, err);
        minute = xstrdup("Manual rating cleared; the RAG rules apply again");
    } else if (rc == 0) {
        rag_parse(choice, &rag);
        char *reason = value_of(of->reason);
        rc = store_action_override(app->st, of->action_id, rag, reason, err);
        minute = xasprintf("Rated %s: %s", rag_word(rag), reason);
        free(reason);
    }
    int conflict = rc == STORE_CONFLICT;
    if (app->meeting)
        rc = app_edit_end(app, rc == 0, MINUTE_RAG, of->action_id, minute ? minute : "", err);
    free(minute);
    if (conflict) {
        app_ask_conflict(app, err, "show their change; your rating stays in the form",
                         "set your rating as it is", override_conflict, f);
        return FORM_ASKING;
    }
    if (rc != 0) {
        app_error(app, "Not saved: %s", err);
        return FORM_FAILED;
    }
    app_reload(app);
    if (rag == RAG_NONE)
        app_status(app, "Cleared the manual rating on %s", of->ref);
    else
        app_status(app, "Rated %s %s by hand", of->ref, rag_word(rag));
    return FORM_SAVED;
}

void form_override(struct app *app, int64_t action_id)
{
    if (store_is_readonly(app->st)) {
        app_error(app, "The plan is open read-only; nothing can be changed");
        return;
    }
    struct action a;
    if (!read_action(app, action_id, &a))
        return;
    if ((a.state == STATE_COMPLETE || a.state == STATE_CANCELLED) && a.override == RAG_NONE) {
        /* The rules rate these C or leave them out, whatever is set by hand. */
        app_error(app, "%s is %s: reopen it before rating it by hand", a.ref,
                  a.state == STATE_COMPLETE ? "complete" : "cancelled");
        action_free(&a);
        return;
    }
    char title[96];
    snprintf(title, sizeof title, "RAG rating of %s", a.ref);
    struct form *f = form_new(app, title);
    struct override_form *of = xcalloc(1, sizeof *of);
    of->action_id = action_id;
    of->version = a.version;
    snprintf(of->ref, sizeof of->ref, "%s", a.ref);
    f->ctx = of;
    f->free_ctx = free;
    f->changed = override_changed;
    f->save = override_save;
    override_info(f, &a);
    of->rating = form_add(f, FIELD_CHOICE, "Rating", true);
    const enum rag ratings[] = {RAG_RED, RAG_AMBER, RAG_GREEN};
    for (size_t i = 0; i < sizeof ratings / sizeof ratings[0]; i++) {
        char letter[2] = {rag_letter(ratings[i]), '\0'};
        field_add_choice(of->rating, letter, rag_word(ratings[i]));
    }
    if (a.override != RAG_NONE)
        field_add_choice(of->rating, CLEAR_CHOICE, "Clear override");
    enum rag now = a.override != RAG_NONE ? a.override : a.rag.rag;
    char letter[2] = {rag_letter(now), '\0'};
    field_choose(of->rating, letter);
    of->reason = form_add(f, FIELD_LONG, "Reason", true);
    action_free(&a);
    form_open(f);
}
