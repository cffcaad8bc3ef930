/* Benchmark plans: a realistic plan of N actions written through the core store API, or
 * the same kind of plan as a spreadsheet (CSV) for the importer.
 *   bench_gen db FILE N --config INI [--seed S]   plan database (FILE must not exist)
 *   bench_gen csv FILE N [--seed S]               CSV in a council's column layout
 *   bench_gen rate FILE 0 --config INI            bring the plan's RAG index up to date
 *                                                 (as the first start of ragboard would)
 * Dates are relative to today (RAGBOARD_TODAY pins it). About three progress updates per
 * action; actions spread over the four strands (mostly Prevent), about forty actions per
 * objective, and twelve agencies with a few doing most of the leading. One closed
 * meeting four weeks ago holds the baseline for "since the last meeting". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>

#include "ragboard/config.h"
#include "ragboard/edit.h"
#include "ragboard/meeting.h"
#include "ragboard/rag_index.h"
#include "ragboard/store.h"
#include "ragboard/util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a small deterministic generator (splitmix64) ---- */

static uint64_t rng_state = 0x5241474244415441u;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int rng_int(int lo, int hi)
{
    return lo + (int)(rng_next() % (uint64_t)(hi - lo + 1));
}

/* True with probability pct/100. */
static bool rng_pct(double pct)
{
    return (double)(rng_next() % 1000000u) < pct * 10000.0;
}

/* ---- words ---- */

static const char *const verbs[] = {
    "Deliver", "Review", "Agree", "Refresh", "Publish", "Map", "Audit", "Train", "Embed",
    "Commission", "Evaluate", "Strengthen", "Extend", "Test", "Update", "Coordinate",
    "Monitor", "Establish", "Promote", "Assess",
};
static const char *const things[] = {
    "WRAP sessions", "the referral pathway", "Channel panel attendance",
    "venue hire conditions", "IT filtering in libraries", "safeguarding leads",
    "the local risk assessment", "a community engagement plan", "online safety lessons",
    "staff induction material", "the counter terrorism local profile briefing",
    "prison release planning", "hate crime reporting", "a crowded places exercise",
    "emergency plans for a marauding attack", "faith leader networks",
    "school governor awareness", "the Prevent duty self-assessment", "case management records",
    "information sharing agreements", "youth outreach work", "university speaker policy",
    "housing officer awareness", "taxi licensing training", "protective security advice",
};
static const char *const places[] = {
    "across the county", "in every secondary school", "for frontline staff",
    "with district councils", "in custody suites", "for new starters", "in the town centres",
    "for the summer events season", "with health visitors", "in further education colleges",
    "for elected members", "with voluntary groups",
};
static const char *const filler[] = {
    "the", "partnership", "will", "make", "sure", "that", "staff", "know", "how", "to",
    "raise", "a", "concern", "and", "who", "contact", "when", "someone", "may", "be", "at",
    "risk", "of", "being", "drawn", "into", "terrorism", "lead", "officer", "reports",
    "progress", "each", "quarter", "group", "agreed", "plan", "with", "named", "leads",
    "evidence", "held", "on", "file", "sessions", "booked", "attendance", "recorded",
    "feedback", "positive", "further", "dates", "set", "for", "spring", "delayed", "by",
    "staffing", "pressures", "new", "guidance", "from", "home", "office", "reflected",
    "draft", "circulated", "comments", "received", "sign", "off", "expected", "next",
    "meeting", "schools", "colleges", "council", "police", "health", "probation", "prison",
    "fire", "service", "community", "safety", "referrals", "channel", "panel", "online",
    "harms", "extremism", "radicalisation", "safeguarding", "training", "audit", "review",
};
static const char *const roles[] = {
    "Prevent Coordinator", "Community Safety Manager", "Safeguarding Lead",
    "Head of Service", "Prevent Engagement Officer", "Emergency Planning Officer",
    "Designated Safeguarding Lead", "Counter Terrorism Security Adviser", "Partnership Analyst",
    "Training Officer",
};
static const char *const reasons[] = {
    "funding not yet confirmed", "lead officer on long-term leave",
    "partner agency has withdrawn support", "ahead of plan after the joint exercise",
    "awaiting the new national guidance",
};

/* Agencies: code and how often each leads (weights sum to 100). */
static const struct {
    const char *code;
    int weight;
} agencies[] = {
    {"SC", 28}, {"WMP", 18}, {"NHS", 11}, {"EDU", 9}, {"PROB", 6}, {"HMP", 4}, {"SFRS", 5},
    {"VCS", 4}, {"DC", 6}, {"HE", 3}, {"YJS", 3}, {"CTP", 3},
};

static const char *pick_agency(void)
{
    int r = rng_int(1, 100);
    for (size_t i = 0; i < LEN(agencies); i++) {
        r -= agencies[i].weight;
        if (r <= 0)
            return agencies[i].code;
    }
    return agencies[0].code;
}

#define PICK(a) ((a)[rng_next() % LEN(a)])

/* A sentence of n filler words, capitalised, ending in a full stop. */
static void add_sentence(struct strbuf *sb, int n)
{
    for (int i = 0; i < n; i++) {
        const char *w = PICK(filler);
        if (i == 0) {
            sb_addc(sb, (char)(w[0] >= 'a' && w[0] <= 'z' ? w[0] - 32 : w[0]));
            sb_add(sb, w + 1);
        } else {
            sb_addc(sb, ' ');
            sb_add(sb, w);
        }
    }
    sb_add(sb, ". ");
}

/* Text of about `words` words in sentences; caller frees. */
static char *prose(int words)
{
    struct strbuf sb = {0};
    while (words > 0) {
        int n = rng_int(6, 16);
        if (n > words)
            n = words < 3 ? 3 : words;
        add_sentence(&sb, n);
        words -= n;
    }
    if (sb.len && sb.buf[sb.len - 1] == ' ')
        sb.buf[--sb.len] = '\0';
    return sb_take(&sb);
}

static char *title_text(void)
{
    return xasprintf("%s %s %s", PICK(verbs), PICK(things), PICK(places));
}

/* ---- the shape of a plan ---- */

static const struct {
    const char *code, *prefix;
    int weight; /* percent of actions */
} strand_mix[] = {
    {"PREVENT", "PV", 70}, {"PROTECT", "PT", 12}, {"PREPARE", "PR", 10}, {"PURSUE", "PU", 8},
};

struct objective_slot {
    int strand;
    int number;
    int next_action;
};

struct plan_shape {
    struct objective_slot *objectives;
    int n_objectives;
    int first[LEN(strand_mix) + 1]; /* objectives of strand s: first[s] .. first[s+1]-1 */
    int loose[LEN(strand_mix)];     /* next number for actions without an objective */
};

static void shape_init(struct plan_shape *p, long n_actions)
{
    memset(p, 0, sizeof *p);
    long per = 40;
    int total = 0;
    int counts[LEN(strand_mix)];
    for (size_t s = 0; s < LEN(strand_mix); s++) {
        long n = n_actions * strand_mix[s].weight / 100 / per;
        counts[s] = n < 2 ? 2 : (int)n;
        total += counts[s];
    }
    p->objectives = xcalloc((size_t)total, sizeof *p->objectives);
    int k = 0;
    for (size_t s = 0; s < LEN(strand_mix); s++) {
        p->first[s] = k;
        for (int i = 0; i < counts[s]; i++, k++)
            p->objectives[k] = (struct objective_slot){(int)s, i + 1, 1};
        p->loose[s] = 1;
    }
    p->first[LEN(strand_mix)] = k;
    p->n_objectives = k;
}

static int pick_strand(void)
{
    int r = rng_int(1, 100);
    for (size_t s = 0; s < LEN(strand_mix); s++) {
        r -= strand_mix[s].weight;
        if (r <= 0)
            return (int)s;
    }
    return 0;
}

/* One generated action with its updates, dates as day numbers. */
struct gen_update {
    rb_day date;
    int progress;
    bool confidential;
    char *text;
};

struct gen_action {
    int strand;
    int objective; /* index into shape, -1 for none */
    char ref[48];
    char *title, *description;
    const char *lead, *owner;
    char partners[64];
    rb_day created, start, due;
    int progress;
    enum action_state state;
    bool confidential;
    int n_updates;
    struct gen_update updates[8];
    bool override;
};

static void gen_free(struct gen_action *g)
{
    free(g->title);
    free(g->description);
    for (int i = 0; i < g->n_updates; i++)
        free(g->updates[i].text);
}

static void gen_action(struct plan_shape *p, rb_day today, struct gen_action *g)
{
    memset(g, 0, sizeof *g);
    g->strand = pick_strand();
    int s = g->strand;
    int n_obj = p->first[s + 1] - p->first[s];
    if (rng_pct(5)) {
        g->objective = -1;
        snprintf(g->ref, sizeof g->ref, "%s-%d.%d", strand_mix[s].prefix, n_obj + 1,
                 p->loose[s]++);
    } else {
        g->objective = p->first[s] + rng_int(0, n_obj - 1);
        struct objective_slot *o = &p->objectives[g->objective];
        snprintf(g->ref, sizeof g->ref, "%s-%d.%d", strand_mix[s].prefix, o->number,
                 o->next_action++);
    }
    g->title = title_text();
    g->description = prose(rng_int(20, 60));
    g->lead = rng_pct(2) ? NULL : pick_agency();
    g->owner = PICK(roles);
    int np = rng_int(0, 3);
    for (int i = 0; i < np; i++) {
        const char *a = agencies[rng_next() % LEN(agencies)].code;
        if ((g->lead && strcmp(a, g->lead) == 0) || strstr(g->partners, a))
            continue;
        size_t len = strlen(g->partners);
        snprintf(g->partners + len, sizeof g->partners - len, "%s%s", len ? ", " : "", a);
    }
    g->created = today - rng_int(20, 700);
    g->start = rng_pct(10) ? RB_NO_DATE : g->created + rng_int(0, 60);
    rb_day from = g->start != RB_NO_DATE ? g->start : g->created;
    g->due = rng_pct(12) ? RB_NO_DATE : from + rng_int(30, 540);
    g->confidential = rng_pct(3);

    /* State and progress: older actions are more often done. */
    int expected = 50;
    if (g->due != RB_NO_DATE && g->due > from)
        expected = today >= g->due ? 100 : today <= from ? 0
                                                      : (int)((today - from) * 100 / (g->due - from));
    if (rng_pct(3)) {
        g->state = STATE_CANCELLED;
    } else if (g->due != RB_NO_DATE && today > g->due && rng_pct(65)) {
        g->state = STATE_COMPLETE;
    } else if (rng_pct(6)) {
        g->state = STATE_COMPLETE;
    } else if (from > today - 20 && rng_pct(50)) {
        g->state = STATE_NOT_STARTED;
    } else {
        g->state = STATE_IN_PROGRESS;
    }
    int target = g->state == STATE_COMPLETE ? 100
                 : g->state == STATE_NOT_STARTED ? 0
                                                  : expected + rng_int(-45, 25);
    if (target < 0)
        target = 0;
    if (target > 95 && g->state != STATE_COMPLETE)
        target = 95;

    /* Updates: 0 to 6, about three on average, spread between the start and today (or
     * the due date for closed actions). */
    g->n_updates = g->state == STATE_NOT_STARTED ? rng_int(0, 1) : rng_int(0, 6);
    rb_day last = today;
    if (g->state == STATE_COMPLETE && g->due != RB_NO_DATE && g->due < today)
        last = g->due;
    if (last <= from)
        last = from + 1;
    if (last > today)
        g->n_updates = 0;
    rb_day prev = from;
    for (int i = 0; i < g->n_updates; i++) {
        struct gen_update *u = &g->updates[i];
        int left = g->n_updates - i;
        rb_day lo = prev, hi = prev + (last - prev) / left;
        if (i == g->n_updates - 1)
            hi = last - (g->state == STATE_IN_PROGRESS ? rng_int(0, 90) : 0);
        if (hi < lo)
            hi = lo;
        if (hi > today)
            hi = today;
        u->date = lo + rng_int(0, hi - lo);
        prev = u->date;
        u->progress = rng_pct(15) ? -1 : target * (i + 1) / g->n_updates;
        u->confidential = rng_pct(2);
        u->text = prose(rng_int(10, 45));
    }
    g->progress = target;
    g->override = g->state == STATE_IN_PROGRESS && rng_pct(2);
}

/* ---- writing a database ---- */

static void iso_at(rb_day day, int minutes, char *buf)
{
    char d[RB_DATE_BUF];
    snprintf(buf, 21, "%sT%02d:%02d:00Z", date_format_iso(day, d), 9 + (minutes / 60) % 9,
             minutes % 60);
}

static int write_action(struct store *st, struct plan_shape *p, struct gen_action *g, char *err)
{
    char created[21];
    iso_at(g->created, rng_int(0, 500), created);
    struct action a = {
        .ref = g->ref,
        .title = g->title,
        .description = g->description,
        .strand = (char *)strand_mix[g->strand].code,
        .lead = (char *)g->lead,
        .owner = (char *)g->owner,
        .partners = g->partners,
        .start = g->start,
        .due = g->due,
        .progress = g->n_updates ? 0 : g->progress,
        .state = g->state == STATE_COMPLETE ? STATE_IN_PROGRESS : g->state,
        .confidential = g->confidential,
        .created_at = created,
    };
    char obj_ref[32];
    if (g->objective >= 0) {
        struct objective_slot *o = &p->objectives[g->objective];
        snprintf(obj_ref, sizeof obj_ref, "%s-%d", strand_mix[o->strand].prefix, o->number);
        a.objective_ref = obj_ref;
    }
    if (a.state == STATE_IN_PROGRESS && g->n_updates == 0 && g->state != STATE_COMPLETE)
        a.state = g->state;
    if (store_action_insert(st, &a, err) != 0)
        return -1;
    for (int i = 0; i < g->n_updates; i++) {
        struct gen_update *gu = &g->updates[i];
        char at[21];
        iso_at(gu->date, 600 + i, at);
        struct progress_update u = {
            .action_id = a.id,
            .date = gu->date,
            .author = (char *)g->owner,
            .text = gu->text,
            .progress = gu->progress,
            .confidential = gu->confidential,
            .created_at = at,
        };
        if (store_update_insert(st, &u, err) != 0)
            return -1;
    }
    if (g->state == STATE_COMPLETE || g->state == STATE_CANCELLED)
        if (store_action_set_state(st, a.id, g->state, err) != 0)
            return -1;
    if (g->override && store_action_override(st, a.id, (enum rag)rng_int(0, 2),
                                             PICK(reasons), err) != 0)
        return -1;
    return 0;
}

static int write_objectives(struct store *st, struct plan_shape *p, char *err)
{
    for (int k = 0; k < p->n_objectives; k++) {
        struct objective_slot *o = &p->objectives[k];
        char ref[32];
        snprintf(ref, sizeof ref, "%s-%d", strand_mix[o->strand].prefix, o->number);
        char *title = xasprintf("%s %s", PICK(verbs), PICK(things));
        int rc = store_objective_put(st, strand_mix[o->strand].code, ref, title, NULL, err);
        free(title);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* A meeting closed four weeks ago, with the plan as it stood then. */
static int write_meeting(struct store *st, const struct config *cfg, rb_day today, char *err)
{
    rb_day day = today - 28;
    char d[RB_DATE_BUF], opened[21], closed[21];
    iso_at(day, 0, opened);
    iso_at(day, 120, closed);
    sqlite3_stmt *s;
    int64_t id = store_new_key();
    if (sqlite3_prepare_v2(store_db(st),
                           "INSERT INTO meetings (id, title, date, chair, opened_at, closed_at)"
                           " VALUES (?, 'Quarterly review', ?, 'Chair', ?, ?)",
                           -1, &s, NULL) != SQLITE_OK)
        return rb_fail(err, "%s", sqlite3_errmsg(store_db(st)));
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, date_format_iso(day, d), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, opened, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, closed, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : rb_fail(err, "%s", sqlite3_errmsg(store_db(st)));
    sqlite3_finalize(s);
    if (rc == 0)
        rc = snapshot_take(st, id, &cfg->rag, day, err);
    return rc;
}

#define BATCH 2000

static int make_db(const char *path, long n, const char *config_path)
{
    struct config cfg;
    struct diags diags = {0};
    if (config_load(config_path, &cfg, &diags) != 0 || diags_errors(&diags)) {
        for (size_t i = 0; i < diags.n; i++) {
            char *m = diag_format(&diags.v[i]);
            fprintf(stderr, "%s\n", m);
            free(m);
        }
        return 1;
    }
    diags_free(&diags);
    char err[RB_ERRLEN];
    struct store *st;
    if (store_open(path, STORE_CREATE, &st, err) != 0) {
        fprintf(stderr, "bench_gen: %s\n", err);
        return 1;
    }
    store_set_user(st, "bench");
    /* Statement journals in memory: a bulk load need not spill them to temporary files. */
    sqlite3_exec(store_db(st), "PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
    int rc = store_sync_config(st, &cfg, &diags, err);
    diags_free(&diags);
    rb_day today = date_today();
    struct plan_shape shape;
    shape_init(&shape, n);
    if (rc == 0)
        rc = store_begin(st, err);
    if (rc == 0)
        rc = write_objectives(st, &shape, err);
    for (long i = 0; rc == 0 && i < n; i++) {
        struct gen_action g;
        gen_action(&shape, today, &g);
        rc = write_action(st, &shape, &g, err);
        gen_free(&g);
        if (rc == 0 && (i + 1) % BATCH == 0) {
            rc = store_commit(st, err);
            if (rc == 0)
                rc = store_begin(st, err);
        }
    }
    if (rc == 0)
        rc = write_meeting(st, &cfg, today, err);
    if (rc == 0)
        rc = store_commit(st, err);
    else
        store_rollback(st);
    /* Rate the plan once, as the first start of ragboard on it would. */
    if (rc == 0)
        rc = rag_index_refresh(st, &cfg.rag, today, err);
    if (rc != 0)
        fprintf(stderr, "bench_gen: %s\n", err);
    store_undo_clear(st);
    store_close(st);
    free(shape.objectives);
    config_free(&cfg);
    return rc == 0 ? 0 : 1;
}

/* ---- writing a spreadsheet ---- */

static void csv_cell(FILE *f, const char *s, bool last)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote) {
        fputc('"', f);
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                fputc('"', f);
            fputc(*p, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

static int make_csv(const char *path, long n)
{
    FILE *f = fopen(path, "wx");
    if (!f) {
        perror(path);
        return 1;
    }
    fputs("Ref,Strand,Theme,Key action,Description,Lead agency,Lead officer,Partners,"
          "Start date,Target date,Status,% complete,Progress update,Confidential\r\n", f);
    rb_day today = date_today();
    struct plan_shape shape;
    shape_init(&shape, n);
    static const char *const status[] = {"Not started", "In progress", "Complete",
                                         "Cancelled"};
    for (long i = 0; i < n; i++) {
        struct gen_action g;
        gen_action(&shape, today, &g);
        char obj[32] = "", start[RB_DATE_BUF] = "", due[RB_DATE_BUF] = "Ongoing", pct[8];
        if (g.objective >= 0) {
            struct objective_slot *o = &shape.objectives[g.objective];
            snprintf(obj, sizeof obj, "%s-%d", strand_mix[o->strand].prefix, o->number);
        }
        if (g.start != RB_NO_DATE)
            date_format_uk(g.start, start);
        if (g.due != RB_NO_DATE)
            date_format_uk(g.due, due);
        snprintf(pct, sizeof pct, "%d", g.progress);
        csv_cell(f, g.ref, false);
        csv_cell(f, strand_mix[g.strand].code, false);
        csv_cell(f, obj, false);
        csv_cell(f, g.title, false);
        csv_cell(f, g.description, false);
        csv_cell(f, g.lead ? g.lead : "", false);
        csv_cell(f, g.owner, false);
        csv_cell(f, g.partners, false);
        csv_cell(f, start, false);
        csv_cell(f, due, false);
        csv_cell(f, status[g.state], false);
        csv_cell(f, pct, false);
        csv_cell(f, g.n_updates ? g.updates[g.n_updates - 1].text : "", false);
        csv_cell(f, g.confidential ? "Yes" : "", true);
        gen_free(&g);
    }
    free(shape.objectives);
    if (fclose(f) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}

static int rate_db(const char *path, const char *config_path)
{
    struct config cfg;
    struct diags diags = {0};
    int rc = config_load(config_path, &cfg, &diags) != 0 || diags_errors(&diags) ? -1 : 0;
    diags_free(&diags);
    char err[RB_ERRLEN] = "bad settings file";
    struct store *st = NULL;
    if (rc == 0)
        rc = store_open(path, 0, &st, err);
    if (rc == 0)
        rc = rag_index_refresh(st, &cfg.rag, date_today(), err);
    if (rc != 0)
        fprintf(stderr, "bench_gen: %s\n", err);
    store_close(st);
    config_free(&cfg);
    return rc == 0 ? 0 : 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_gen db FILE N --config INI [--seed S]\n"
                    "       bench_gen csv FILE N [--seed S]\n"
                    "       bench_gen rate FILE 0 --config INI\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return usage();
    /* Keep freed memory: giving it back and taking it again costs more than the load. */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    const char *config = NULL;
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config = argv[++i];
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            rng_state ^= strtoull(argv[++i], NULL, 10);
        else
            return usage();
    }
    if (strcmp(argv[1], "rate") == 0 && config)
        return rate_db(argv[2], config);
    long n = strtol(argv[3], NULL, 10);
    if (n < 1)
        return usage();
    if (strcmp(argv[1], "db") == 0 && config)
        return make_db(argv[2], n, config);
    if (strcmp(argv[1], "csv") == 0)
        return make_csv(argv[2], n);
    return usage();
}
