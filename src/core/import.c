/* Importing a spreadsheet: each row, as it is read, checked and compared with the plan
 * and (while the file has shown no error) written, all in one transaction that is
 * committed only when no row had an error: new actions added, existing ones updated. */
#include "import_plan.h"
#include "store_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"

#define DEFAULT_STRAND 3 /* Prevent: a local plan is mostly Prevent actions */

/* What the import will do with one row. */
struct plan {
    struct import_row row;
    long ex;            /* index of the action it updates, or -1 for a new one */
    struct action have; /* that action as it is in the plan (when ex >= 0) */
    struct action want; /* the action as it should be afterwards (owns its strings) */
    bool *add;          /* per update of the row: added (not already in the plan) */
    size_t n_add;
    bool set_override;
    enum rag override;
    char *override_reason;
    long objective; /* index in objectives, or -1 */
    char *fields;   /* what changes, for the report */
    bool saved_fields_change; /* an existing action's own fields change */
};

struct ctx {
    struct store *st;
    const struct config *cfg;
    const struct import_opts *o;
    struct csv_issues *issues;
    struct import_result *r;
    struct import_columns cols;
    struct import_agencies ag;
    struct existing ex;
    struct objectives ob;
    struct keyset refs;   /* references read so far or given out: value = line (0: given) */
    struct keyset titles; /* rows without a reference: title key -> line */
    struct strmap next;   /* prefix -> last number given out under it */
    size_t errors_before; /* errors in the issues before this import */
    size_t n_written;     /* rows written since the change journal was last flushed */
    size_t n_counted, n_errors; /* count_errors: issues looked at, errors among them */
};

static void error_at(struct ctx *c, const struct import_row *row, enum import_field f,
                     const char *fmt, ...) RB_PRINTF(4, 5);
static void error_at(struct ctx *c, const struct import_row *row, enum import_field f,
                     const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const struct csv_cell *cell = f != IF_NONE ? row->cell[f] : NULL;
    csv_issue_add(c->issues, DIAG_ERROR, cell ? cell->line : row->line, cell ? cell->col : 1,
                  "%s", msg);
}

/* Strand from a reference's prefix (PV-3.1: Prevent), or -1. */
static int strand_of_ref(const char *ref)
{
    for (int i = 0; ref && i < STRAND_COUNT; i++) {
        size_t n = strlen(strands[i].prefix);
        if (strncasecmp(ref, strands[i].prefix, n) == 0 &&
            (ref[n] == '-' || ref[n] == '.' || isdigit((unsigned char)ref[n])))
            return i;
    }
    return -1;
}

/* True when this import has already written an action with reference ref. */
static bool ref_written(struct ctx *c, const char *ref)
{
    sqlite3_stmt *s;
    char err[RB_ERRLEN];
    if (store_cached(c->st, "SELECT 1 FROM actions WHERE ref = ?", &s, err) != 0)
        return false;
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_TRANSIENT);
    bool found = sqlite3_step(s) == SQLITE_ROW;
    store_release(c->st, s);
    return found;
}

/* The next free reference under prefix, counting those in the plan and in the file;
 * caller frees. */
static char *next_ref(struct ctx *c, const char *prefix)
{
    size_t len = strlen(prefix);
    unsigned char last = (unsigned char)prefix[len - 1];
    const char *sep = isdigit(last) ? "." : isalpha(last) ? "-" : "";
    long *have = strmap_get(&c->next, prefix);
    long n = 0;
    if (have) {
        n = *have;
    } else {
        char *first = store_next_ref(c->st, prefix);
        if (first && strlen(first) > len + strlen(sep))
            n = strtol(first + len + strlen(sep), NULL, 10) - 1;
        free(first);
    }
    char *ref = NULL;
    do {
        free(ref);
        ref = xasprintf("%s%s%ld", prefix, sep, ++n);
    } while (keyset_get(&c->refs, ref) || (c->o->checked && ref_written(c, ref)));
    strmap_put(&c->next, prefix, n);
    keyset_put(&c->refs, ref, 0);
    return ref;
}

/* ---- objectives ---- */

/* A leading reference in an objective cell: "PV-9 Training" gives PV-9 and "Training";
 * "1. Partnership" gives 1 and "Partnership". False when the cell starts otherwise. */
static bool split_objective(const char *cell, char **ref, const char **title)
{
    size_t n = 0;
    bool digit = false;
    while (cell[n] && (isalnum((unsigned char)cell[n]) || strchr(".-_", cell[n]))) {
        digit = digit || isdigit((unsigned char)cell[n]);
        n++;
    }
    size_t end = n;
    while (end > 0 && strchr(".-_", cell[end - 1]))
        end--;
    if (!digit || end == 0 || end > 16 || (cell[n] && !strchr(" :)", cell[n])))
        return false;
    *ref = xstrndup(cell, end);
    const char *t = cell + n;
    while (*t && strchr(" :).-", *t))
        t++;
    *title = t;
    return true;
}

/* Find the row's objective, or plan a new one under strand (or under the strand its
 * reference implies). Returns its index, or -1 when the row names none. */
static long resolve_objective(struct ctx *c, const struct import_row *row, int strand)
{
    const char *cell = row->objective;
    if (!cell)
        return -1;
    long i = objectives_find(&c->ob, cell, false);
    if (i < 0)
        i = objectives_find(&c->ob, cell, true);
    char *ref = NULL;
    const char *title = NULL;
    bool has_ref = split_objective(cell, &ref, &title);
    if (i < 0 && has_ref)
        i = objectives_find(&c->ob, ref, false);
    if (i >= 0) {
        free(ref);
        return i;
    }
    if (strand < 0)
        strand = has_ref ? strand_of_ref(ref) : -1;
    if (strand < 0)
        strand = DEFAULT_STRAND;
    if (!has_ref)
        ref = next_ref(c, strands[strand].prefix);
    else if (!keyset_get(&c->refs, ref))
        keyset_put(&c->refs, ref, 0);
    const char *name = row->objective_title ? row->objective_title
                       : !has_ref           ? cell
                       : *title             ? title
                                            : ref;
    i = objectives_add(&c->ob, ref, name, strand, true);
    free(ref);
    c->r->n_new_objectives++;
    return i;
}

/* ---- comparing with the plan ---- */

static void set_text(char **slot, const char *v)
{
    free(*slot);
    *slot = xstrdup(v);
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void copy_action(struct action *to, const struct action *a)
{
    *to = (struct action){
        .id = a->id,
        .ref = xstrdup(a->ref),
        .title = xstrdup(a->title),
        .description = xstrdup(a->description),
        .strand = xstrdup(a->strand),
        .objective_ref = xstrdup(a->objective_ref),
        .lead = xstrdup(a->lead),
        .owner = xstrdup(a->owner),
        .partners = xstrdup(a->partners),
        .start = a->start,
        .due = a->due,
        .progress = a->progress,
        .state = a->state,
        .override = RAG_NONE,
        .confidential = a->confidential,
        .version = a->version,
    };
}

/* "A, B" from the lead cell's other agencies and the partners cell, without the lead. */
static char *partner_list(const struct import_row *row, const char *lead)
{
    struct strbuf sb = {0};
    for (int pass = 0; pass < 2; pass++) {
        char **v = pass == 0 ? row->agencies : row->partners;
        size_t n = pass == 0 ? row->n_agencies : row->n_partners;
        for (size_t i = pass == 0 ? 1 : 0; i < n; i++) {
            if (lead && strcmp(v[i], lead) == 0)
                continue;
            bool dup = false;
            for (const char *p = sb.buf; p && *p && !dup;) {
                const char *e = strstr(p, ", ");
                size_t len = e ? (size_t)(e - p) : strlen(p);
                dup = len == strlen(v[i]) && strncmp(p, v[i], len) == 0;
                p = e ? e + 2 : NULL;
            }
            if (!dup)
                sb_addf(&sb, "%s%s", sb.len ? ", " : "", v[i]);
        }
    }
    return sb_take(&sb);
}

struct known_update {
    rb_day date;
    char *text;
};
struct known_updates {
    struct known_update *v;
    size_t n;
};

static int known_update(const struct progress_update *u, void *p)
{
    struct known_updates *k = p;
    k->v = xrealloc(k->v, (k->n + 1) * sizeof *k->v);
    k->v[k->n++] = (struct known_update){u->date, import_one_line(u->text)};
    return 0;
}

/* Mark which of the row's updates are new: an update is already there when the action
 * has one with the same text (and the same date, when the file dates it). */
static int choose_updates(struct ctx *c, struct plan *p, char *err)
{
    struct import_row *row = &p->row;
    p->add = xcalloc(row->n_updates ? row->n_updates : 1, sizeof *p->add);
    struct known_updates k = {0};
    if (p->ex >= 0 && row->n_updates &&
        store_updates_each(c->st, p->have.id, known_update, &k, err) != 0)
        return -1;
    for (size_t i = 0; i < row->n_updates; i++) {
        const struct import_update *u = &row->updates[i];
        char *text = import_one_line(u->text);
        bool seen = false;
        for (size_t j = 0; j < k.n && !seen; j++)
            seen = strcmp(k.v[j].text, text) == 0 &&
                   (u->date == RB_NO_DATE || u->date == k.v[j].date);
        for (size_t j = 0; j < i && !seen; j++) {
            char *other = import_one_line(row->updates[j].text);
            seen = strcmp(other, text) == 0 && row->updates[j].date == u->date;
            free(other);
        }
        free(text);
        p->add[i] = !seen;
        p->n_add += !seen;
    }
    for (size_t j = 0; j < k.n; j++)
        free(k.v[j].text);
    free(k.v);
    return 0;
}

/* Reasons ragboard writes for its own ratings: a file carrying one was exported from
 * ragboard, and its rating is left to the rules. */
static bool computed_reason(const char *r)
{
    static const char *const starts[] = {"on track", "overdue by ", "due in ", "due today",
                                         "no update for ", "no update since it started"};
    if (!r)
        return false;
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        if (strncmp(r, starts[i], strlen(starts[i])) == 0)
            return true;
    return strstr(r, " points behind schedule (") != NULL;
}

static rb_day day_of(const char *iso_time)
{
    char d[11];
    rb_day day;
    if (!iso_time || strlen(iso_time) < 10)
        return RB_NO_DATE;
    memcpy(d, iso_time, 10);
    d[10] = '\0';
    return date_parse_iso(d, &day) ? day : RB_NO_DATE;
}

/* The rating the rules will give the action once the row is applied. */
static enum rag predict(struct ctx *c, const struct plan *p)
{
    const struct action *w = &p->want;
    const struct action *ex = p->ex >= 0 ? &p->have : NULL;
    struct rag_input in = {
        .state = w->state,
        .progress = w->progress,
        .start = w->start,
        .due = w->due,
        .created = ex ? day_of(ex->created_at) : c->o->today,
        .last_update = ex ? ex->last_update : RB_NO_DATE,
        .last_update_at = ex ? ex->last_update_at : NULL,
        .override = RAG_NONE,
    };
    for (size_t i = 0; i < p->row.n_updates; i++) {
        if (!p->add[i])
            continue;
        rb_day d = p->row.updates[i].date == RB_NO_DATE ? c->o->today : p->row.updates[i].date;
        if (in.last_update == RB_NO_DATE || d > in.last_update)
            in.last_update = d;
    }
    /* An added update clears a manual rating; otherwise it stays. */
    if (ex && p->n_add == 0 && ex->override != RAG_NONE) {
        in.override = ex->override;
        in.override_at = ex->override_at;
        in.override_by = ex->override_by;
        in.override_reason = ex->override_reason;
    }
    struct rag_result res;
    rag_compute(&in, &c->cfg->rag, c->o->today, &res);
    return res.rag;
}

/* The reason recorded with a rating taken from the file. */
static char *override_reason(struct ctx *c, const struct import_row *row)
{
    const char *r = row->rag_reason;
    if (r && strncmp(r, "set to ", 7) == 0) { /* "set to Red by alice on 12/03/2026: why" */
        const char *colon = strstr(r, ": ");
        r = colon && colon[2] ? colon + 2 : NULL;
    }
    if (!str_blank(r))
        return xstrdup(r);
    return xasprintf("rated %s in %s", rag_word(row->rag), c->o->source);
}

static void note_field(struct strbuf *sb, bool changed, const char *name)
{
    if (changed)
        sb_addf(sb, "%s%s", sb->len ? ", " : "", name);
}

/* What differs between the action in the plan and what the row makes of it; notes in
 * p whether its own fields (not only its updates or rating) change. */
static char *describe(const struct action *a, struct plan *p)
{
    const struct action *w = &p->want;
    struct strbuf sb = {0};
    note_field(&sb, !same_text(a->title, w->title), "title");
    note_field(&sb, !same_text(a->description, w->description), "description");
    note_field(&sb, !same_text(a->strand, w->strand), "strand");
    note_field(&sb, !same_text(a->objective_ref, w->objective_ref), "objective");
    note_field(&sb, !same_text(a->lead, w->lead), "lead agency");
    note_field(&sb, !same_text(a->owner, w->owner), "lead officer");
    note_field(&sb, !same_text(a->partners, w->partners), "partners");
    note_field(&sb, a->start != w->start, "start date");
    note_field(&sb, a->due != w->due, "due date");
    note_field(&sb, a->progress != w->progress, "progress");
    note_field(&sb, a->state != w->state, "status");
    note_field(&sb, a->confidential != w->confidential, "confidential");
    p->saved_fields_change = sb.len > 0;
    if (p->n_add == 1)
        note_field(&sb, true, "progress update added");
    else if (p->n_add > 1)
        sb_addf(&sb, "%s%zu progress updates added", sb.len ? ", " : "", p->n_add);
    if (p->set_override)
        sb_addf(&sb, "%srated %s", sb.len ? ", " : "", rag_word(p->override));
    if (!sb.len)
        return NULL;
    return sb_take(&sb);
}

/* Which action a row is about: by reference, else by title. -1: a new one. */
static long match_row(struct ctx *c, struct plan *p, const char *objective_ref)
{
    struct import_row *row = &p->row;
    if (row->ref)
        return existing_find_ref(&c->ex, row->ref);
    if (!row->title)
        return -1;
    /* A file without references is matched on the action text, so that importing it
     * again updates rather than repeats. */
    char *key = import_title_key(row->title, objective_ref);
    int *line = keyset_get(&c->titles, key);
    if (line) {
        error_at(c, row, IF_TITLE,
                 "the same action as on line %d; give each row a reference (a Ref column) "
                 "to keep both",
                 *line);
        free(key);
        return -3;
    }
    keyset_put(&c->titles, key, row->line);
    free(key);
    long i = existing_find_title(&c->ex, row->title, objective_ref);
    if (i == -2) {
        error_at(c, row, IF_TITLE,
                 "several actions in the plan are called \"%.60s\"; give the row the "
                 "reference of the one to update",
                 row->title);
        return -3;
    }
    return i;
}

/* Work out everything the row will do. Problems go to the issues. */
static int plan_row(struct ctx *c, struct plan *p, char *err)
{
    struct import_row *row = &p->row;
    int strand = row->strand;
    /* A named objective comes first: it may decide the strand. */
    long oi = -1;
    if (row->objective) {
        oi = objectives_find(&c->ob, row->objective, false);
        if (oi < 0)
            oi = objectives_find(&c->ob, row->objective, true);
        if (oi < 0) {
            char *ref;
            const char *title;
            if (split_objective(row->objective, &ref, &title)) {
                oi = objectives_find(&c->ob, ref, false);
                free(ref);
            }
        }
    }
    p->ex = match_row(c, p, oi >= 0 ? c->ob.v[oi].ref : NULL);
    if (p->ex == -3)
        return 0;
    if (p->ex >= 0) {
        int got = store_action_get(c->st, c->ex.ids[p->ex], &c->cfg->rag, c->o->today,
                                   &p->have, err);
        if (got == STORE_NOT_FOUND)
            p->ex = -1; /* deleted by someone else since the check began: a new action */
        else if (got != 0)
            return -1;
    }
    if (p->ex >= 0 && c->ex.claimed[p->ex]) {
        error_at(c, row, row->ref ? IF_REF : IF_TITLE,
                 "another row of the file already updates %s", p->have.ref);
        return 0;
    }
    const struct action *ex = p->ex >= 0 ? &p->have : NULL;
    if (ex)
        c->ex.claimed[p->ex] = true;
    if (!ex && !row->title) {
        if (row->ref)
            error_at(c, row, IF_TITLE,
                     "no action text, and the plan has no action %s for this row to update",
                     row->ref);
        else
            error_at(c, row, IF_TITLE, "no action text in this row");
        return 0;
    }
    if (oi >= 0 && strand >= 0 && strand != c->ob.v[oi].strand) {
        error_at(c, row, IF_STRAND, "objective %s is under %s, not %s", c->ob.v[oi].ref,
                 strands[c->ob.v[oi].strand].name, strands[strand].name);
        return 0;
    }
    if (oi >= 0)
        strand = c->ob.v[oi].strand;
    if (oi < 0 && !row->objective && ex && ex->objective_ref && strand >= 0) {
        /* The action keeps its objective, which fixes its strand. */
        long have = objectives_find(&c->ob, ex->objective_ref, false);
        if (have >= 0 && c->ob.v[have].strand != strand) {
            error_at(c, row, IF_STRAND,
                     "%s is under objective %s (%s); to move it to %s, give it an objective "
                     "under %s too",
                     ex->ref, ex->objective_ref, strands[c->ob.v[have].strand].name,
                     strands[strand].name, strands[strand].name);
            return 0;
        }
    }
    if (strand < 0 && ex)
        strand = strand_index(ex->strand);
    if (strand < 0)
        strand = strand_of_ref(row->ref);
    if (oi < 0 && row->objective) {
        oi = resolve_objective(c, row, strand);
        strand = c->ob.v[oi].strand;
    }
    if (strand < 0) {
        strand = DEFAULT_STRAND;
        c->r->n_default_strand++;
    }
    p->objective = oi;

    struct action *w = &p->want;
    if (ex) {
        copy_action(w, ex);
    } else {
        *w = (struct action){.start = RB_NO_DATE, .due = RB_NO_DATE, .override = RAG_NONE};
        w->description = xstrdup("");
        w->owner = xstrdup("");
        w->partners = xstrdup("");
        if (row->ref)
            w->ref = xstrdup(row->ref);
        else
            w->ref = next_ref(c, oi >= 0 ? c->ob.v[oi].ref : strands[strand].prefix);
    }
    if (row->title)
        set_text(&w->title, row->title);
    if (row->description)
        set_text(&w->description, row->description);
    if (row->owner)
        set_text(&w->owner, row->owner);
    set_text(&w->strand, strands[strand].code);
    free(w->objective_ref);
    w->objective_ref = oi >= 0 ? xstrdup(c->ob.v[oi].ref) : ex ? xstrdup(ex->objective_ref) : NULL;
    if (row->has_lead)
        set_text(&w->lead, row->agencies[0]);
    if ((row->has_lead && row->n_agencies > 1) || row->has_partners) {
        free(w->partners);
        w->partners = partner_list(row, w->lead);
    }
    if (row->has_start)
        w->start = row->start;
    if (row->has_due)
        w->due = row->due;
    if (w->start != RB_NO_DATE && w->due != RB_NO_DATE && w->due < w->start) {
        char due[RB_DATE_BUF], start[RB_DATE_BUF];
        error_at(c, row, row->has_due ? IF_DUE : IF_START,
                 "the due date (%s) is before the start date (%s)", date_format_uk(w->due, due),
                 date_format_uk(w->start, start));
    }
    if (row->confidential >= 0)
        w->confidential = row->confidential;
    if (row->has_state)
        w->state = row->state;
    if (choose_updates(c, p, err) != 0)
        return -1;
    for (size_t i = 0; i < row->n_updates; i++) {
        struct import_update *u = &row->updates[i];
        if (u->date == RB_NO_DATE && u->progress < 0)
            u->progress = row->progress; /* free text: carries the row's figure */
        if (p->add[i] && row->progress < 0 && u->progress >= 0)
            w->progress = u->progress;
    }
    if (row->progress >= 0)
        w->progress = row->progress;
    if (w->state == STATE_COMPLETE)
        w->progress = 100;
    if (p->n_add > 0 && !row->has_state && w->state == STATE_NOT_STARTED)
        w->state = STATE_IN_PROGRESS; /* as recording an update does */
    bool live = w->state == STATE_NOT_STARTED || w->state == STATE_IN_PROGRESS;
    if (row->has_rag && live && !computed_reason(row->rag_reason) && predict(c, p) != row->rag) {
        p->set_override = true;
        p->override = row->rag;
        p->override_reason = override_reason(c, row);
    }
    if (ex) {
        p->fields = describe(ex, p);
        if (p->fields)
            c->r->n_updated++;
        else
            c->r->n_unchanged++;
    } else {
        c->r->n_new++;
    }
    return 0;
}

/* ---- writing ---- */

/* Add the agencies the rows so far named for the first time (--add-agencies). */
static int insert_agencies(struct ctx *c, char *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;
    for (size_t i = 0; i < c->ag.n && rc == 0; i++) {
        struct import_agency *a = &c->ag.v[i];
        if (!a->added || a->inserted)
            continue;
        if (!s && store_cached(c->st,
                               "INSERT INTO agencies (code, name, in_config, sort) "
                               "VALUES (?, ?, 0, ?)",
                               &s, err) != 0)
            return -1;
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, a->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, a->name, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, 1000 + (int)i);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = rb_fail(err, "adding agency %s: %s", a->code, sqlite3_errmsg(store_db(c->st)));
        a->inserted = true;
    }
    store_release(c->st, s);
    return rc;
}

/* Recording updates on an action in the plan moves its progress and state; put the
 * file's values back when they differ. */
static int restore_fields(struct ctx *c, struct plan *p, char *err)
{
    struct action *w = &p->want;
    int progress = w->progress;
    enum action_state state = w->state;
    for (size_t i = 0; i < p->row.n_updates; i++)
        if (p->add[i] && p->row.updates[i].progress >= 0)
            progress = p->row.updates[i].progress;
    if (p->n_add > 0 && state == STATE_NOT_STARTED)
        state = STATE_IN_PROGRESS;
    if (progress == w->progress && state == w->state)
        return 0;
    struct action now;
    if (store_action_get(c->st, w->id, &c->cfg->rag, c->o->today, &now, err) != 0)
        return -1;
    w->version = now.version;
    action_free(&now);
    return store_action_save(c->st, w, err);
}

static int apply_row(struct ctx *c, struct plan *p, char *err)
{
    const struct import_row *row = &p->row;
    if (p->objective >= 0) {
        struct import_objective *o = &c->ob.v[p->objective];
        if (o->is_new && !o->inserted) {
            if (store_objective_put(c->st, strands[o->strand].code, o->ref, o->title, NULL,
                                    err) != 0)
                return -1;
            o->inserted = true;
        }
    }
    struct action *w = &p->want;
    bool is_new = p->ex < 0;
    if (is_new) {
        w->id = 0;
        if (store_action_insert(c->st, w, err) != 0)
            return -1;
    } else if (!p->fields) {
        return 0;
    } else if (p->saved_fields_change && store_action_save(c->st, w, err) != 0) {
        return -1; /* w->version is the one read in this transaction */
    }
    for (size_t i = 0; i < row->n_updates; i++) {
        if (!p->add[i])
            continue;
        const struct import_update *u = &row->updates[i];
        struct progress_update pu = {
            .action_id = w->id,
            .date = u->date == RB_NO_DATE ? c->o->today : u->date,
            .author = u->author,
            .text = u->text,
            .progress = u->progress,
            .confidential = u->confidential,
        };
        /* A new action was inserted with the progress and state its updates lead to
         * (w), so they need not move it one by one. */
        if ((is_new ? store_update_append(c->st, &pu, err)
                    : store_update_insert(c->st, &pu, err)) != 0)
            return -1;
    }
    if (!is_new && restore_fields(c, p, err) != 0)
        return -1;
    if (p->set_override &&
        store_action_override(c->st, w->id, p->override, p->override_reason, err) != 0)
        return -1;
    return 0;
}

/* Rows written between flushes of the change journal: the session behind it holds
 * every changed row until then. */
#define FLUSH_ROWS 2048

/* Write the row's changes (with any agencies and objectives it adds). A failure is an
 * issue at the row; returns -1 only when the database failed otherwise. */
static int write_row(struct ctx *c, struct plan *p)
{
    char why[RB_ERRLEN];
    if (insert_agencies(c, why) != 0 || apply_row(c, p, why) != 0) {
        csv_issue_add(c->issues, DIAG_ERROR, p->row.line, 1, "could not save %s: %s",
                      p->want.ref, why);
        return 0;
    }
    if (++c->n_written >= FLUSH_ROWS) {
        c->n_written = 0;
        if (changes_flush(c->st, why) != 0) {
            csv_issue_add(c->issues, DIAG_ERROR, p->row.line, 1, "could not save %s: %s",
                          p->want.ref, why);
            return 0;
        }
    }
    return 0;
}

/* Errors in the issues so far (counting only the issues added since the last call). */
static size_t count_errors(struct ctx *c)
{
    for (; c->n_counted < c->issues->n; c->n_counted++)
        c->n_errors += c->issues->v[c->n_counted].level == DIAG_ERROR;
    return c->n_errors;
}

/* Note what the row did (or would do) in the result. */
static void note_change(struct ctx *c, const struct plan *p)
{
    struct import_result *r = c->r;
    size_t max_new = c->o->list_new_max;
    bool is_new = p->ex < 0;
    if (max_new && (is_new ? r->n_new > max_new : !p->fields))
        return; /* counted only */
    if (r->n_changes == r->cap_changes) {
        r->cap_changes = r->cap_changes ? r->cap_changes * 2 : 64;
        r->changes = xrealloc(r->changes, r->cap_changes * sizeof *r->changes);
    }
    r->changes[r->n_changes++] = (struct import_change){
        p->row.line, xstrdup(p->want.ref), xstrdup(p->want.title), is_new, xstrdup(p->fields)};
}

static void plan_free(struct plan *p)
{
    import_row_free(&p->row);
    action_free(&p->want);
    action_free(&p->have);
    free(p->add);
    free(p->override_reason);
    free(p->fields);
    memset(p, 0, sizeof *p);
}

/* Rows checked in one read transaction. */
#define CHECK_ROWS 256

/* Read, check and plan each row below the heading as it comes and, when applying and no
 * error has been found yet, write it. */
static int each_row(struct ctx *c, struct import_source *src, char *err)
{
    /* A check reads the plan in read transactions of CHECK_ROWS rows: the file's lock
     * taken once for them, not for each statement, and never held for long (with the
     * rollback journal, another program's save waits for at most one of them). The
     * first holds what the rows are matched against. */
    bool began = !c->o->apply && store_read_begin(c->st);
    struct agency *db;
    size_t n_db;
    if (store_agencies(c->st, &db, &n_db, err) != 0) {
        store_read_end(c->st, began);
        return -1;
    }
    import_agencies_load(&c->ag, c->cfg, db, n_db);
    agencies_free(db, n_db);
    c->ag.add_unknown = c->o->add_agencies;
    if (existing_load(&c->ex, c->st, err) != 0 ||
        objectives_load(&c->ob, c->st, err) != 0) {
        store_read_end(c->st, began);
        return -1;
    }
    size_t n_rows = 0;
    const struct csv_row *row;
    while ((row = import_source_next(src))) {
        if (began && ++n_rows % CHECK_ROWS == 0) {
            store_read_end(c->st, began);
            began = store_read_begin(c->st);
        }
        import_check_unheaded(&c->cols, row, c->issues);
        struct plan p = {.ex = -1, .objective = -1};
        if (!import_row_read(row, &c->cols, &c->ag, &p.row, c->issues))
            continue;
        /* After a check of the same file, the rows above are in the database, which
         * refuses a reference twice; only a check keeps every reference read. */
        if (p.row.ref && !c->o->checked) {
            int *line = keyset_get(&c->refs, p.row.ref);
            if (line && *line > 0) {
                error_at(c, &p.row, IF_REF, "reference %s is also on line %d; each action once",
                         p.row.ref, *line);
                plan_free(&p);
                continue; /* not planned: the error says all there is to say */
            }
            keyset_put(&c->refs, p.row.ref, p.row.line);
        }
        size_t errors = count_errors(c);
        if (plan_row(c, &p, err) != 0) {
            plan_free(&p);
            store_read_end(c->st, began);
            return -1;
        }
        if (p.ex != -3 && count_errors(c) == errors) {
            /* Written while the file has shown no error: after one, nothing will be. */
            if (c->o->apply && errors == c->errors_before && write_row(c, &p) != 0) {
                plan_free(&p);
                return -1;
            }
            note_change(c, &p);
        }
        plan_free(&p);
    }
    store_read_end(c->st, began);
    return 0;
}

static void ctx_free(struct ctx *c)
{
    import_columns_free(&c->cols);
    import_agencies_free(&c->ag);
    existing_free(&c->ex);
    objectives_release(&c->ob);
    keyset_free(&c->refs);
    keyset_free(&c->titles);
    strmap_free(&c->next);
}

static void fill_agencies(struct ctx *c)
{
    struct import_result *r = c->r;
    for (size_t i = 0; i < c->ag.n; i++) {
        if (!c->ag.v[i].added)
            continue;
        r->agencies = xrealloc(r->agencies, (r->n_agencies + 1) * sizeof *r->agencies);
        r->agencies[r->n_agencies++] = (struct import_new_agency){xstrdup(c->ag.v[i].code),
                                                                  xstrdup(c->ag.v[i].name)};
    }
}

static int import_rows(struct store *st, const struct config *cfg, struct import_source *src,
                       const struct import_opts *o, struct import_result *r,
                       struct csv_issues *issues, char *err)
{
    memset(r, 0, sizeof *r);
    struct ctx c = {.st = st, .cfg = cfg, .o = o, .issues = issues, .r = r};
    c.errors_before = count_errors(&c);
    if (import_map_columns(src, &c.cols, issues) != 0) {
        ctx_free(&c);
        return 1;
    }
    r->header_line = (size_t)c.cols.row->line;
    if (o->apply) {
        /* The import's one transaction is the unit: any failure rolls all of it back, so
         * its edits need no savepoint or undo record each. */
        store_bulk(st, true);
        if (store_begin(st, err) != 0) {
            store_bulk(st, false);
            ctx_free(&c);
            return -1;
        }
        /* The settings' agencies must be in the plan before actions can name them. */
        struct diags d = {0};
        int rc = store_sync_config(st, cfg, &d, err);
        diags_free(&d);
        if (rc == 0)
            rc = store_key_run(st, err);
        if (rc != 0) {
            store_rollback(st);
            store_bulk(st, false);
            ctx_free(&c);
            return -1;
        }
    }
    int rc = each_row(&c, src, err);
    if (rc == 0 && count_errors(&c) > c.errors_before)
        rc = 1;
    if (rc == 0 && o->apply) {
        /* Agencies named only by rows that changed nothing are added too. */
        char why[RB_ERRLEN];
        if (insert_agencies(&c, why) != 0) {
            csv_issue_add(issues, DIAG_ERROR, 0, 0, "could not add the agencies: %s", why);
            rc = 1;
        }
        if (rc == 0)
            rc = store_search_refresh_dirty(st, err);
        if (rc == 0 && store_commit(st, err) != 0)
            rc = -1;
        if (rc == 0) {
            r->applied = true;
            store_undo_clear(st);
        }
    }
    if (o->apply && !r->applied)
        store_rollback(st);
    if (o->apply)
        store_bulk(st, false);
    if (rc == 0)
        fill_agencies(&c);
    ctx_free(&c);
    return rc;
}

int import_csv(struct store *st, const struct config *cfg, const struct csv_doc *doc,
               const struct import_opts *o, struct import_result *r, struct csv_issues *issues,
               char *err)
{
    struct import_source src = {.doc = doc};
    return import_rows(st, cfg, &src, o, r, issues, err);
}

int import_csv_stream(struct store *st, const struct config *cfg, struct csv_stream *in,
                      const struct import_opts *o, struct import_result *r,
                      struct csv_issues *issues, char *err)
{
    struct import_source src = {.stream = in};
    if (csv_stream_rewind(in) != 0) {
        memset(r, 0, sizeof *r);
        return rb_fail(err, "the file could not be read again");
    }
    return import_rows(st, cfg, &src, o, r, issues, err);
}

void import_result_free(struct import_result *r)
{
    for (size_t i = 0; i < r->n_changes; i++) {
        free(r->changes[i].ref);
        free(r->changes[i].title);
        free(r->changes[i].fields);
    }
    free(r->changes);
    for (size_t i = 0; i < r->n_agencies; i++) {
        free(r->agencies[i].code);
        free(r->agencies[i].name);
    }
    free(r->agencies);
    memset(r, 0, sizeof *r);
}
