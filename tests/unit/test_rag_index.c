/* Unit tests for the RAG index: rating windows against the rules day by day, natural
 * reference keys against the collation, and board counts, directions of travel and
 * action lists kept by the index compared with a full recomputation (rating every
 * action with rag_compute) after each of many random edits, new days, new thresholds
 * and meetings, in the file and in a read-only store. */
/* Before cmocka.h: the store's private header declares a function cmocka's macros would
 * rewrite. */
#include "src/core/store_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragboard/edit.h"
#include "ragboard/meeting.h"
#include "ragboard/plan_list.h"
#include "ragboard/rag_index.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

static uint64_t seed = 20260312;

static uint64_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static int pick(int lo, int hi)
{
    return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

static rb_day day(const char *iso)
{
    rb_day d = RB_NO_DATE;
    if (!date_parse_iso(iso, &d))
        fail_msg("bad date %s", iso);
    return d;
}

/* ---- rating windows ---- */

static bool same_rating(const struct rag_result *a, const struct rag_result *b)
{
    return a->rag == b->rag && a->overdue == b->overdue && a->stale == b->stale;
}

static void test_window_holds_the_rating(void **state)
{
    (void)state;
    rb_day base = day("2026-03-12");
    static const char *const at[] = {"2026-01-10T10:00:00Z", "2026-03-01T10:00:00Z", NULL};
    for (int n = 0; n < 800; n++) {
        struct rag_thresholds t = {pick(0, 30), pick(0, 60), pick(0, 30), pick(0, 60),
                                   pick(1, 120)};
        struct rag_input in = {
            .state = (enum action_state)pick(0, 3),
            .progress = pick(0, 100),
            .start = pick(0, 4) ? base + pick(-300, 200) : RB_NO_DATE,
            .due = pick(0, 5) ? base + pick(-300, 400) : RB_NO_DATE,
            .created = base + pick(-400, 0),
            .last_update = pick(0, 2) ? base + pick(-300, 0) : RB_NO_DATE,
            .override = pick(0, 4) ? RAG_NONE : (enum rag)pick(0, 2),
            .override_at = at[pick(0, 2)],
            .last_update_at = at[pick(0, 2)],
            .override_by = "tester",
            .override_reason = "testing",
        };
        rb_day today = base + pick(-200, 300);
        struct rag_result now, then;
        rag_compute(&in, &t, today, &now);
        rb_day from, until;
        rag_window(&in, &t, today, &from, &until);
        rb_day lo = from == RB_NO_DATE || from < today - 400 ? today - 400 : from;
        rb_day hi = until == RB_NO_DATE || until > today + 400 ? today + 400 : until;
        assert_true(lo <= today && today < hi);
        for (rb_day d = lo; d < hi; d++) {
            rag_compute(&in, &t, d, &then);
            if (!same_rating(&now, &then))
                fail_msg("case %d: rating on day %d differs from today's (%d) inside the window "
                         "[%d, %d)", n, d - today, today, from, until);
        }
    }
}

/* ---- reference keys ---- */

static int cmp_key_bytes(const struct strbuf *a, const struct strbuf *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->buf, b->buf, n);
    if (c)
        return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

static void test_ref_key_sorts_naturally(void **state)
{
    (void)state;
    static const char *const parts[] = {"PV", "pv", "PT", "-", ".", "0", "1", "2", "9", "10",
                                        "007", "12345678901", "a", "Z", "x", " ", "_", "\x01",
                                        "\x02", "\x03", "\xc3\xa9"};
    char a[64], b[64];
    for (int n = 0; n < 50000; n++) {
        for (char *s = a; s; s = s == a ? b : NULL) {
            s[0] = '\0';
            int k = pick(0, 5);
            for (int i = 0; i < k; i++)
                strcat(s, parts[pick(0, (int)(sizeof parts / sizeof parts[0]) - 1)]);
        }
        struct strbuf ka = {0}, kb = {0};
        rag_index_ref_key(a, &ka);
        rag_index_ref_key(b, &kb);
        int want = store_ref_cmp(a, b);
        want = want < 0 ? -1 : want > 0;
        if (cmp_key_bytes(&ka, &kb) != want) {
            char ea[256] = "", eb[256] = "";
            for (const char *s = a; *s; s++)
                snprintf(ea + strlen(ea), sizeof ea - strlen(ea), "\\x%02x", (unsigned char)*s);
            for (const char *s = b; *s; s++)
                snprintf(eb + strlen(eb), sizeof eb - strlen(eb), "\\x%02x", (unsigned char)*s);
            fail_msg("\"%s\" vs \"%s\": keys order %d, references %d", ea, eb,
                     cmp_key_bytes(&ka, &kb), want);
        }
        sb_free(&ka);
        sb_free(&kb);
    }
}

/* ---- the index against a full recomputation ---- */

struct fixture {
    struct scratch sc;
    struct store *st;
    struct rag_thresholds t;
    rb_day today;
    struct agency *agencies;
    size_t n_agencies;
    int64_t *ids;
    size_t n_ids;
    int next_ref;
};

static const char *const codes[] = {"SC", "WMP", "NHS", "EDU", "FIRE"};
static const char *const objectives[] = {"PV-1", "PV-2", "PV-10", "PT-1", "PR-1", "PU-1"};
static const char *const objective_strand[] = {"PREVENT", "PREVENT", "PREVENT", "PROTECT",
                                               "PREPARE", "PURSUE"};
static const char *const words[] = {"training", "venue", "hire", "schools", "referral",
                                    "online", "review", "police"};

static void add_action(struct fixture *f)
{
    char ref[32], title[96], start_at[21];
    int o = pick(-1, 5);
    const char *strand = o >= 0 ? objective_strand[o] : strands[pick(0, 3)].code;
    snprintf(ref, sizeof ref, "%s.%d", o >= 0 ? objectives[o] : "PV-9", f->next_ref++);
    if (pick(0, 9) == 0)
        ref[0] = 'p'; /* a reference typed in lower case */
    snprintf(title, sizeof title, "%s %s %s", words[pick(0, 7)], words[pick(0, 7)],
             words[pick(0, 7)]);
    char d[RB_DATE_BUF];
    snprintf(start_at, sizeof start_at, "%sT09:00:00Z",
             date_format_iso(f->today - pick(0, 300), d));
    char partners[32] = "";
    if (pick(0, 2) == 0)
        snprintf(partners, sizeof partners, "%s", codes[pick(0, 4)]);
    struct action a = {
        .ref = ref,
        .title = title,
        .description = (char *)words[pick(0, 7)],
        .strand = (char *)strand,
        .objective_ref = o >= 0 ? (char *)objectives[o] : NULL,
        .lead = pick(0, 8) ? (char *)codes[pick(0, 4)] : NULL,
        .partners = partners,
        .start = pick(0, 3) ? f->today - pick(0, 200) : RB_NO_DATE,
        .due = pick(0, 4) ? f->today + pick(-100, 200) : RB_NO_DATE,
        .progress = pick(0, 100),
        .state = (enum action_state)pick(0, 3),
        .confidential = pick(0, 9) == 0,
        .created_at = start_at,
    };
    if (a.due != RB_NO_DATE && a.start != RB_NO_DATE && a.due < a.start)
        a.due = a.start + 10;
    char err[RB_ERRLEN];
    if (store_action_insert(f->st, &a, err) != 0)
        fail_msg("insert %s: %s", ref, err);
    f->ids = xrealloc(f->ids, (f->n_ids + 1) * sizeof *f->ids);
    f->ids[f->n_ids++] = a.id;
}

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    if (scratch_open(&f->sc, "2026-03-12", "tester", &f->st) != 0)
        return -1;
    f->today = day("2026-03-12");
    f->t = rag_default_thresholds;
    f->next_ref = 1;
    char err[RB_ERRLEN];
    scratch_exec(f->st, "INSERT INTO agencies (code, name, sort) VALUES ('SC', 'Council', 0),"
                   " ('WMP', 'Police', 1), ('NHS', 'Health', 2), ('EDU', 'Schools', 3),"
                   " ('FIRE', 'Fire', 4)");
    for (size_t i = 0; i < sizeof objectives / sizeof objectives[0]; i++)
        assert_int_equal(store_objective_put(f->st, objective_strand[i], objectives[i],
                                             "Objective", NULL, err), 0);
    for (int i = 0; i < 120; i++)
        add_action(f);
    if (store_agencies(f->st, &f->agencies, &f->n_agencies, err) != 0)
        fail_msg("agencies: %s", err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    int rc = scratch_close(&f->sc, f->st);
    agencies_free(f->agencies, f->n_agencies);
    free(f->ids);
    free(f);
    return rc;
}

/* Every action as rag_compute rates it today, with what the lists sort on. */
struct full_row {
    int64_t id;
    char *ref, *objective_ref, *lead, *title;
    int strand;
    struct action a; /* ratings and dates (strings freed) */
};

struct full {
    struct full_row *v;
    size_t n;
    struct rag_counts strands[STRAND_COUNT];
    struct rag_counts *agencies;
    struct since_counts since[STRAND_COUNT];
    struct snapshot snap;
    rb_day today;
    const struct agency *ag;
    size_t n_ag;
};

static void tally(struct rag_counts *c, const struct action *a, rb_day today)
{
    if (a->rag.rag == RAG_NONE)
        return;
    c->n[a->rag.rag]++;
    if (a->rag.rag == RAG_COMPLETE)
        return;
    c->overdue += a->rag.overdue;
    c->stale += a->rag.stale;
    if (a->due != RB_NO_DATE && a->due >= today &&
        (c->next_due == RB_NO_DATE || a->due < c->next_due))
        c->next_due = a->due;
}

static int collect(const struct action *a, void *p)
{
    struct full *x = p;
    x->v = xrealloc(x->v, (x->n + 1) * sizeof *x->v);
    struct full_row *r = &x->v[x->n++];
    r->id = a->id;
    r->ref = xstrdup(a->ref);
    r->objective_ref = xstrdup(a->objective_ref ? a->objective_ref : "");
    r->lead = xstrdup(a->lead ? a->lead : "");
    r->title = xstrdup(a->title);
    r->strand = strand_index(a->strand);
    r->a = (struct action){.id = a->id, .due = a->due, .last_update = a->last_update,
                           .state = a->state, .rag = a->rag, .progress = a->progress,
                           .n_updates = a->n_updates, .confidential = a->confidential};
    tally(&x->strands[r->strand], a, x->today);
    for (size_t i = 0; a->lead && i < x->n_ag; i++)
        if (strcmp(x->ag[i].code, a->lead) == 0)
            tally(&x->agencies[i], a, x->today);
    if (x->snap.meeting) {
        const struct snapshot_row *before = snapshot_find(&x->snap, a->id);
        if (!before || (before->state != STATE_COMPLETE && before->state != STATE_CANCELLED)) {
            struct since sn;
            since_compute(before, a, &sn);
            struct since_counts *o = &x->since[r->strand];
            if (sn.is_new)
                o->added++;
            else if (sn.closed)
                o->closed++;
            else if (sn.direction > 0)
                o->better++;
            else if (sn.direction < 0)
                o->worse++;
            else
                o->same++;
        }
    }
    return 0;
}

static void full_compute(struct fixture *f, struct store *st, struct full *x)
{
    memset(x, 0, sizeof *x);
    x->today = f->today;
    x->ag = f->agencies;
    x->n_ag = f->n_agencies;
    x->agencies = xcalloc(f->n_agencies, sizeof *x->agencies);
    for (int i = 0; i < STRAND_COUNT; i++)
        x->strands[i].next_due = RB_NO_DATE;
    for (size_t i = 0; i < f->n_agencies; i++)
        x->agencies[i].next_due = RB_NO_DATE;
    char err[RB_ERRLEN];
    if (snapshot_load_last(st, &x->snap, err) != 0)
        fail_msg("snapshot: %s", err);
    if (store_actions_each(st, NULL, &f->t, f->today, collect, x, err) != 0)
        fail_msg("reading: %s", err);
}

static void full_free(struct full *x)
{
    for (size_t i = 0; i < x->n; i++) {
        free(x->v[i].ref);
        free(x->v[i].objective_ref);
        free(x->v[i].lead);
        free(x->v[i].title);
    }
    free(x->v);
    free(x->agencies);
    snapshot_free(&x->snap);
}

static void counts_equal(const struct rag_counts *a, const struct rag_counts *b,
                         const char *what, int step)
{
    for (int r = 0; r < RAG_COUNT; r++)
        if (a->n[r] != b->n[r])
            fail_msg("step %d: %s: %c %d, recomputed %d", step, what, rag_letter((enum rag)r),
                     a->n[r], b->n[r]);
    if (a->overdue != b->overdue || a->stale != b->stale || a->next_due != b->next_due)
        fail_msg("step %d: %s: overdue %d/%d stale %d/%d next due %d/%d", step, what,
                 a->overdue, b->overdue, a->stale, b->stale, a->next_due, b->next_due);
}

static void check_counts(struct fixture *f, struct store *st, const struct full *x, int step)
{
    char err[RB_ERRLEN];
    struct rag_counts s[STRAND_COUNT];
    if (store_count_strands(st, &f->t, f->today, s, err) != 0)
        fail_msg("step %d: counts: %s", step, err);
    for (int i = 0; i < STRAND_COUNT; i++)
        counts_equal(&s[i], &x->strands[i], strands[i].name, step);
    struct rag_counts *ag = xcalloc(f->n_agencies, sizeof *ag);
    if (store_count_agencies(st, &f->t, f->today, f->agencies, f->n_agencies, ag, err) != 0)
        fail_msg("step %d: agency counts: %s", step, err);
    for (size_t i = 0; i < f->n_agencies; i++)
        counts_equal(&ag[i], &x->agencies[i], f->agencies[i].code, step);
    free(ag);
    struct since_counts since[STRAND_COUNT];
    rb_day baseline;
    if (since_count_strands(st, &f->t, f->today, since, &baseline, err) != 0)
        fail_msg("step %d: since: %s", step, err);
    for (int i = 0; i < STRAND_COUNT; i++)
        if (memcmp(&since[i], &x->since[i], sizeof since[i]) != 0)
            fail_msg("step %d: %s since the meeting: %d/%d worse, %d/%d better, %d/%d same, "
                     "%d/%d new, %d/%d closed", step, strands[i].name, since[i].worse,
                     x->since[i].worse, since[i].better, x->since[i].better, since[i].same,
                     x->since[i].same, since[i].added, x->since[i].added, since[i].closed,
                     x->since[i].closed);
}

/* ---- lists recomputed: filter and sort the full rows as the old list did ---- */

static enum list_sort sort_by;

static int cmp_date_last(rb_day a, rb_day b)
{
    if (a == b)
        return 0;
    if (a == RB_NO_DATE)
        return 1;
    if (b == RB_NO_DATE)
        return -1;
    return a < b ? -1 : 1;
}

static int cmp_rows(const void *pa, const void *pb)
{
    const struct full_row *a = *(const struct full_row *const *)pa;
    const struct full_row *b = *(const struct full_row *const *)pb;
    int c = 0;
    switch (sort_by) {
    case SORT_REF:
        c = a->strand - b->strand;
        if (!c)
            c = (!*a->objective_ref) - (!*b->objective_ref);
        if (!c)
            c = store_ref_cmp(a->objective_ref, b->objective_ref);
        break;
    case SORT_RAG:
        c = (int)a->a.rag.rag - (int)b->a.rag.rag;
        if (!c)
            c = cmp_date_last(a->a.due, b->a.due);
        break;
    case SORT_DUE: c = cmp_date_last(a->a.due, b->a.due); break;
    case SORT_AGENCY:
        c = (!*a->lead) - (!*b->lead);
        if (!c)
            c = strcmp(a->lead, b->lead);
        break;
    case SORT_UPDATED:
        c = a->a.last_update < b->a.last_update ? -1 : a->a.last_update > b->a.last_update;
        break;
    }
    return c ? c : store_ref_cmp(a->ref, b->ref);
}

struct list_case {
    struct list_query q;
    struct plan_list kept; /* brought up to date after every step */
};

static bool partner_of(struct store *st, int64_t id, const char *agency)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(st), "SELECT 1 FROM action_partners WHERE action_id = ?1"
                                         " AND agency = ?2", -1, &s, NULL) != SQLITE_OK)
        fail_msg("partners");
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, agency, -1, SQLITE_STATIC);
    bool yes = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return yes;
}

/* True when the open (not confidential) text of the action has a word starting so. */
static bool search_hit(struct store *st, int64_t id, const char *word)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(st), "SELECT 1 FROM action_search WHERE action_search"
                                         " MATCH 'open : \"' || ?2 || '\"*' AND rowid = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        fail_msg("search: %s", sqlite3_errmsg(store_db(st)));
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, word, -1, SQLITE_STATIC);
    bool yes = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return yes;
}

/* The ids the list should hold, in order, from the full rows. */
static size_t expected_ids(struct store *st, const struct full *x, const struct list_query *q,
                           int64_t *out)
{
    const struct full_row **v = xcalloc(x->n + 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < x->n; i++) {
        const struct full_row *r = &x->v[i];
        if (q->strand && strcmp(strands[r->strand].code, q->strand) != 0)
            continue;
        if (q->lead && strcmp(r->lead, q->lead) != 0)
            continue;
        if (q->agency && strcmp(r->lead, q->agency) != 0 && !partner_of(st, r->id, q->agency))
            continue;
        if (q->rag_mask && !(q->rag_mask & (1u << r->a.rag.rag)))
            continue;
        if (q->overdue_only && !r->a.rag.overdue)
            continue;
        if (q->state >= 0 && (int)r->a.state != q->state)
            continue;
        if (q->search && !search_hit(st, r->id, q->search))
            continue;
        v[n++] = r;
    }
    sort_by = q->sort;
    qsort(v, n, sizeof *v, cmp_rows);
    for (size_t i = 0; i < n; i++)
        out[i] = v[i]->id;
    free(v);
    return n;
}

static void list_equal(struct store *st, struct plan_list *l, const int64_t *want, size_t n,
                       const char *what, int step)
{
    if (l->n != n)
        fail_msg("step %d: %s: %zu rows, recomputed %zu", step, what, l->n, n);
    char err[RB_ERRLEN] = "";
    if (plan_list_more(l, SIZE_MAX, err) != 0 || l->loaded != n)
        fail_msg("step %d: %s: %zu of %zu ids read: %s", step, what, l->loaded, n, err);
    for (size_t i = 0; i < n; i++) {
        if (l->ids[i] != want[i]) {
            sqlite3_stmt *s;
            char a[64] = "?", b[64] = "?";
            if (sqlite3_prepare_v2(store_db(st), "SELECT ref FROM actions WHERE id = ?", -1, &s,
                                   NULL) == SQLITE_OK) {
                sqlite3_bind_int64(s, 1, l->ids[i]);
                if (sqlite3_step(s) == SQLITE_ROW)
                    snprintf(a, sizeof a, "%s", sqlite3_column_text(s, 0));
                sqlite3_reset(s);
                sqlite3_bind_int64(s, 1, want[i]);
                if (sqlite3_step(s) == SQLITE_ROW)
                    snprintf(b, sizeof b, "%s", sqlite3_column_text(s, 0));
                sqlite3_finalize(s);
            }
            fail_msg("step %d: %s: row %zu is %s, recomputed %s", step, what, i, a, b);
        }
    }
}

static void check_lists(struct fixture *f, struct list_case *cases, size_t n_cases,
                        const struct full *x, int step)
{
    int64_t *want = xcalloc(x->n + 1, sizeof *want);
    char err[RB_ERRLEN];
    for (size_t c = 0; c < n_cases; c++) {
        struct list_case *lc = &cases[c];
        size_t n = expected_ids(f->st, x, &lc->q, want);
        if (plan_list_update(f->st, &lc->q, &f->t, f->today, &lc->kept, err) != 0)
            fail_msg("step %d: list %zu: %s", step, c, err);
        list_equal(f->st, &lc->kept, want, n, "list kept up to date", step);
        struct plan_list fresh = {0};
        if (plan_list_load(f->st, &lc->q, &f->t, f->today, &fresh, err) != 0)
            fail_msg("step %d: list %zu: %s", step, c, err);
        list_equal(f->st, &fresh, want, n, "list loaded", step);
        for (size_t i = 0; step % 10 == 0 && i < fresh.n; i++) {
            const struct list_row *r = plan_list_row(&fresh, i);
            if (r->id != want[i])
                fail_msg("step %d: row %zu reads as another action", step, i);
        }
        plan_list_free(&fresh);
    }
    free(want);
}

/* One random change to the plan, through the core as the screens make them. */
static void random_edit(struct fixture *f, int step)
{
    char err[RB_ERRLEN] = "";
    int64_t id = f->ids[rnd() % f->n_ids];
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(f->st), "SELECT 1 FROM actions WHERE id = ?", -1, &s,
                           NULL) != SQLITE_OK)
        fail_msg("exists");
    sqlite3_bind_int64(s, 1, id);
    bool exists = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    int rc = 0;
    int what = pick(0, 13);
    if (!exists && what >= 1 && what <= 8)
        what = 0; /* deleted: add another instead */
    switch (what) {
    case 0: add_action(f); break;
    case 1:
    case 2: {
        char text[64];
        snprintf(text, sizeof text, "%s update %d", words[pick(0, 7)], step);
        struct progress_update u = {.action_id = id, .date = f->today - pick(0, 30),
                                    .text = text, .progress = pick(-1, 100)};
        rc = store_update_insert(f->st, &u, err);
        break;
    }
    case 3:
        rc = store_action_override(f->st, id, (enum rag)pick(0, 2), "chair's view", err);
        break;
    case 4: rc = store_action_clear_override(f->st, id, err); break;
    case 5: rc = store_action_set_state(f->st, id, (enum action_state)pick(0, 3), err); break;
    case 6:
    case 7: {
        struct action a;
        rc = store_action_get(f->st, id, &f->t, f->today, &a, err);
        if (rc == STORE_NOT_FOUND) {
            rc = 0;
            break;
        }
        if (rc != 0)
            break;
        free(a.lead);
        a.lead = pick(0, 5) ? xstrdup(codes[pick(0, 4)]) : NULL;
        a.due = pick(0, 4) ? f->today + pick(-60, 120) : RB_NO_DATE;
        if (a.start != RB_NO_DATE && a.due != RB_NO_DATE && a.due < a.start)
            a.due = a.start;
        a.progress = pick(0, 100);
        free(a.title);
        a.title = xasprintf("%s %s", words[pick(0, 7)], words[pick(0, 7)]);
        if (pick(0, 3) == 0) {
            free(a.objective_ref);
            a.objective_ref = NULL;
        }
        rc = store_action_save(f->st, &a, err);
        action_free(&a);
        if (rc == STORE_CONFLICT)
            rc = 0;
        break;
    }
    case 8: rc = store_action_delete(f->st, id, err); break;
    case 9: rc = store_undo(f->st, NULL, err); break;
    case 10: f->today += pick(1, 20); break; /* the next meeting day */
    case 11: f->today -= pick(0, 5); break;  /* a rehearsal for a day gone by */
    case 12:
        if (pick(0, 3) == 0) { /* the partnership changes its thresholds */
            f->t.stale_days = pick(20, 90);
            f->t.amber_lag_pct = pick(5, 25);
        }
        break;
    case 13: {
        if (pick(0, 2) != 0)
            break;
        int64_t m;
        rc = meeting_start(f->st, "Review", f->today, "Chair", AGENDA_RAG, &m, err);
        if (rc == 0)
            rc = meeting_close(f->st, m, &f->t, f->today, NULL, err);
        break;
    }
    }
    if (rc != 0 && rc != STORE_NOT_FOUND && rc != STORE_CONFLICT)
        fail_msg("step %d: edit %d: %s", step, what, err);
}

static void test_index_matches_full_recomputation(void **state)
{
    struct fixture *f = *state;
    struct list_case cases[] = {
        {.q = {.strand = "PREVENT", .sort = SORT_REF, .state = -1}},
        {.q = {.strand = "PREVENT", .sort = SORT_DUE, .state = -1}},
        {.q = {.strand = "PROTECT", .sort = SORT_RAG, .state = -1}},
        {.q = {.strand = "PREVENT", .sort = SORT_AGENCY, .state = -1}},
        {.q = {.strand = "PREVENT", .sort = SORT_UPDATED, .state = -1}},
        {.q = {.agency = "SC", .sort = SORT_REF, .state = -1}},
        {.q = {.sort = SORT_RAG, .state = -1, .rag_mask = (1u << RAG_RED) | (1u << RAG_AMBER)}},
        {.q = {.strand = "PREVENT", .sort = SORT_DUE, .state = STATE_IN_PROGRESS,
               .overdue_only = true}},
        {.q = {.sort = SORT_REF, .state = -1, .lead = "WMP"}},
        {.q = {.sort = SORT_DUE, .state = -1, .search = "venue",
               .hide_confidential_text = true}},
    };
    size_t n_cases = sizeof cases / sizeof cases[0];
    for (int step = 0; step < 150; step++) {
        random_edit(f, step);
        struct full x;
        full_compute(f, f->st, &x);
        check_counts(f, f->st, &x, step);
        check_lists(f, cases, n_cases, &x, step);
        if (step % 50 == 49) {
            /* A read-only store sees the same, from the file's index or its own. */
            struct store *ro;
            char err[RB_ERRLEN];
            if (store_open(f->sc.path, STORE_READONLY, &ro, err) != 0)
                fail_msg("read-only: %s", err);
            check_counts(f, ro, &x, step);
            struct plan_list l = {0};
            int64_t *want = xcalloc(x.n + 1, sizeof *want);
            size_t n = expected_ids(ro, &x, &cases[0].q, want);
            if (plan_list_load(ro, &cases[0].q, &f->t, f->today, &l, err) != 0)
                fail_msg("read-only list: %s", err);
            list_equal(ro, &l, want, n, "read-only list", step);
            plan_list_free(&l);
            free(want);
            f->today += 3; /* and one built for another day */
            struct full y;
            full_compute(f, ro, &y);
            check_counts(f, ro, &y, step);
            want = xcalloc(y.n + 1, sizeof *want);
            n = expected_ids(ro, &y, &cases[1].q, want);
            if (plan_list_load(ro, &cases[1].q, &f->t, f->today, &l, err) != 0)
                fail_msg("read-only list: %s", err);
            list_equal(ro, &l, want, n, "read-only list, its own index", step);
            plan_list_free(&l);
            free(want);
            full_free(&y);
            f->today -= 3;
            store_close(ro);
        }
        full_free(&x);
    }
    for (size_t c = 0; c < n_cases; c++)
        plan_list_free(&cases[c].kept);
}

/* Ratings change with the date alone: the index follows the day it is asked about. */
static void test_counts_follow_the_day(void **state)
{
    struct fixture *f = *state;
    rb_day start = f->today;
    for (int d = 0; d < 120; d += 7) {
        f->today = start + d;
        struct full x;
        full_compute(f, f->st, &x);
        check_counts(f, f->st, &x, d);
        full_free(&x);
    }
    for (int d = 120; d >= -60; d -= 30) {
        f->today = start + d;
        struct full x;
        full_compute(f, f->st, &x);
        check_counts(f, f->st, &x, d);
        full_free(&x);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_holds_the_rating),
        cmocka_unit_test(test_ref_key_sorts_naturally),
        cmocka_unit_test_setup_teardown(test_index_matches_full_recomputation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_follow_the_day, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
