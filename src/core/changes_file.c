/* The changeset file: a short text header (magic, version, plan, copy, size, checksum)
 * and the journal entries, each an SQLite session changeset.
 *
 *   RAGBOARD CHANGESET\n
 *   version 1\n
 *   plan <16 hex>\n          the plan every copy shares
 *   copy <16 hex>\n          the copy that wrote the file
 *   created <UTC time>\n
 *   entries <count>\n
 *   bytes <body length>\n
 *   crc32 <8 hex>\n          CRC-32 of everything above this line and of the body
 *   \n
 *   body: per entry, big-endian: key (8 bytes), origin (16 hex), at (20 bytes),
 *         user length (2) and user, changeset length (4) and changeset.
 */
#include "changes_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ragboard/util.h"

/* Refuse files larger than this: a year of a busy plan's edits is far smaller. */
#define CHANGES_MAX_FILE (512u * 1024u * 1024u)

uint32_t changes_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void put_be(struct strbuf *sb, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        sb_addc(sb, (char)(unsigned char)(v >> (8 * i)));
}

static uint64_t get_be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

int changes_file_write(FILE *out, const struct copy_identity *id, const char *created,
                       const struct changes_entry *v, size_t n, char *err)
{
    struct strbuf body = {0};
    for (size_t i = 0; i < n; i++) {
        size_t user_len = strlen(v[i].user ? v[i].user : "");
        if (user_len > 0xFFFF)
            user_len = 0xFFFF;
        put_be(&body, (uint64_t)v[i].key, 8);
        sb_addn(&body, v[i].origin, 16);
        sb_addn(&body, v[i].at, 20);
        put_be(&body, user_len, 2);
        sb_addn(&body, v[i].user ? v[i].user : "", user_len);
        put_be(&body, (uint64_t)v[i].size, 4);
        sb_addn(&body, (const char *)v[i].data, (size_t)v[i].size);
    }
    struct strbuf head = {0};
    sb_addf(&head, "%s\nversion %d\nplan %s\ncopy %s\ncreated %s\nentries %zu\nbytes %zu\n",
            CHANGES_MAGIC, CHANGES_VERSION, id->plan_id, id->copy_id, created, n, body.len);
    uint32_t crc = changes_crc32(0, (const unsigned char *)head.buf, head.len);
    crc = changes_crc32(crc, (const unsigned char *)(body.buf ? body.buf : ""), body.len);
    sb_addf(&head, "crc32 %08x\n\n", (unsigned)crc);
    int rc = 0;
    if (fwrite(head.buf, 1, head.len, out) != head.len ||
        (body.len && fwrite(body.buf, 1, body.len, out) != body.len))
        rc = rb_fail(err, "writing the changeset failed: %s", strerror(errno));
    sb_free(&head);
    sb_free(&body);
    return rc;
}

/* ---- reading ---- */

struct cursor {
    const unsigned char *p, *end;
};

/* The next header line "name value" (value copied into out, size n). */
static bool header_line(struct cursor *c, const char *name, char *out, size_t n)
{
    const unsigned char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    size_t len = strlen(name);
    if (!nl || (size_t)(nl - c->p) <= len + 1 || memcmp(c->p, name, len) != 0 ||
        c->p[len] != ' ')
        return false;
    size_t vlen = (size_t)(nl - c->p) - len - 1;
    if (vlen == 0 || vlen >= n)
        return false;
    memcpy(out, c->p + len + 1, vlen);
    out[vlen] = '\0';
    for (size_t i = 0; i < vlen; i++)
        if (out[i] < 0x21 || out[i] > 0x7e)
            return false;
    c->p = nl + 1;
    return true;
}

static bool is_hex_id(const char *s)
{
    if (strlen(s) != 16)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

/* "YYYY-MM-DDTHH:MM:SSZ" with a real date. */
static bool is_utc_time(const char *s, size_t len)
{
    if (len != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':' || s[19] != 'Z')
        return false;
    char day[11];
    memcpy(day, s, 10);
    day[10] = '\0';
    rb_day d;
    for (int i = 11; i < 19; i++)
        if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
            return false;
    return date_parse_iso(day, &d);
}

static bool parse_count(const char *s, size_t max, size_t *out)
{
    long v;
    if (!parse_int_strict(s, 0, (long)(max < (size_t)LONG_MAX ? max : (size_t)LONG_MAX), &v))
        return false;
    *out = (size_t)v;
    return true;
}

void changes_file_free(struct changes_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].user);
    free(f->v);
    free(f->buf);
    memset(f, 0, sizeof *f);
}

/* Free what was parsed and fail with msg. */
static int refuse(struct changes_file *out, char *err, const char *msg)
{
    changes_file_free(out);
    return rb_fail(err, "%s", msg);
}

/* An SQLite varint (1 to 9 bytes, big-endian groups of 7 bits, the ninth of 8). */
static bool read_varint(const unsigned char **p, const unsigned char *end, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 9; i++) {
        if (*p >= end)
            return false;
        unsigned char b = *(*p)++;
        if (i == 8) {
            *out = v << 8 | b;
            return true;
        }
        v = v << 7 | (b & 0x7f);
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* One value of a change record: a type byte and its data. */
static bool read_value(const unsigned char **p, const unsigned char *end)
{
    if (*p >= end)
        return false;
    uint64_t n;
    switch (*(*p)++) {
    case 0x00: /* undefined (an UPDATE's unchanged column) */
    case 0x05: /* NULL */
        return true;
    case 0x01: /* integer */
    case 0x02: /* real */
        n = 8;
        break;
    case 0x03: /* text */
    case 0x04: /* blob */
        if (!read_varint(p, end, &n))
            return false;
        break;
    default:
        return false;
    }
    if ((uint64_t)(end - *p) < n)
        return false;
    *p += n;
    return true;
}

/* Walk the changeset's structure (SQLite's documented format: a table header, then its
 * changes) without SQLite, bounded by its size: the SQLite of Debian 12 can loop for ever
 * on a changeset cut short in the middle of a value (found by tests/fuzz/fuzz_changes). */
static bool changeset_shape_ok(const unsigned char *p, int size)
{
    const unsigned char *end = p + size;
    uint64_t n_cols = 0;
    while (p < end) {
        unsigned char op = *p++;
        if (op == 'T') {
            if (!read_varint(&p, end, &n_cols) || n_cols == 0 || n_cols > 1000 ||
                (uint64_t)(end - p) < n_cols)
                return false;
            for (uint64_t i = 0; i < n_cols; i++) /* 0, or the place in the primary key */
                if (p[i] > n_cols)
                    return false;
            p += n_cols;
            const unsigned char *nul = memchr(p, '\0', (size_t)(end - p));
            if (!nul || nul == p)
                return false;
            p = nul + 1;
            continue;
        }
        if (n_cols == 0 || (op != SQLITE_INSERT && op != SQLITE_DELETE && op != SQLITE_UPDATE))
            return false;
        if (p >= end || *p > 1) /* the indirect flag */
            return false;
        p++;
        int records = op == SQLITE_UPDATE ? 2 : 1;
        for (int r = 0; r < records; r++)
            for (uint64_t i = 0; i < n_cols; i++)
                if (!read_value(&p, end))
                    return false;
    }
    return n_cols > 0;
}

/* Walk every change of a changeset, so that a damaged one is found before anything is
 * written. */
static bool changeset_ok(const unsigned char *data, int size)
{
    if (!changeset_shape_ok(data, size))
        return false;
    sqlite3_changeset_iter *it;
    if (sqlite3changeset_start(&it, size, (void *)data) != SQLITE_OK)
        return false;
    int rc;
    while ((rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
        const char *table;
        int n_cols, op, indirect;
        if (sqlite3changeset_op(it, &table, &n_cols, &op, &indirect) != SQLITE_OK ||
            !changes_tracked(table))
            break;
    }
    return sqlite3changeset_finalize(it) == SQLITE_OK && rc == SQLITE_DONE;
}

int changes_file_parse(unsigned char *buf, size_t len, struct changes_file *out, char *err)
{
    memset(out, 0, sizeof *out);
    out->buf = buf;
    out->len = len;
    struct cursor c = {buf, buf + len};
    size_t magic = strlen(CHANGES_MAGIC);
    if (len == 0)
        return refuse(out, err, "the file is empty, not a ragboard changeset");
    if (len <= magic) {
        if (memcmp(buf, CHANGES_MAGIC, len) == 0)
            return refuse(out, err, "the changeset is truncated (its header is cut short)");
        return refuse(out, err, "not a ragboard changeset file");
    }
    if (memcmp(buf, CHANGES_MAGIC, magic) != 0 || buf[magic] != '\n') {
        if (len >= 16 && memcmp(buf, "SQLite format 3", 16) == 0)
            return refuse(out, err, "this is a database, not a changeset file (make one with "
                                    "'ragboard changes export')");
        return refuse(out, err, "not a ragboard changeset file");
    }
    c.p += magic + 1;
    char val[64];
    const unsigned char *crc_line = NULL;
    size_t n_entries = 0, n_bytes = 0;
    if (!header_line(&c, "version", val, sizeof val))
        goto header;
    long version;
    if (!parse_int_strict(val, 1, 1000000, &version))
        goto header;
    if (version > CHANGES_VERSION)
        return refuse(out, err, "the changeset was written by a newer ragboard; upgrade "
                                "ragboard to apply it");
    out->version = (int)version;
    if (!header_line(&c, "plan", out->from.plan_id, sizeof out->from.plan_id) ||
        !is_hex_id(out->from.plan_id) ||
        !header_line(&c, "copy", out->from.copy_id, sizeof out->from.copy_id) ||
        !is_hex_id(out->from.copy_id) ||
        !header_line(&c, "created", out->created, sizeof out->created) ||
        !is_utc_time(out->created, strlen(out->created)) ||
        !header_line(&c, "entries", val, sizeof val) || !parse_count(val, len, &n_entries) ||
        !header_line(&c, "bytes", val, sizeof val) || !parse_count(val, len, &n_bytes))
        goto header;
    crc_line = c.p;
    if (!header_line(&c, "crc32", val, sizeof val) || strlen(val) != 8 ||
        c.p >= c.end || *c.p != '\n')
        goto header;
    c.p++;
    for (const char *h = val; *h; h++)
        if (!((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
            goto header;
    out->crc = (uint32_t)strtoul(val, NULL, 16);
    size_t have = (size_t)(c.end - c.p);
    if (have < n_bytes)
        return refuse(out, err, "the changeset is truncated: its body is shorter than its "
                                "header says");
    if (have > n_bytes)
        return refuse(out, err, "the changeset has extra data after its end; it may be two "
                                "files joined or damaged");
    uint32_t crc = changes_crc32(0, buf, (size_t)(crc_line - buf));
    crc = changes_crc32(crc, c.p, n_bytes);
    if (crc != out->crc)
        return refuse(out, err, "the changeset is damaged (its checksum does not match)");

    out->v = xcalloc(n_entries ? n_entries : 1, sizeof *out->v);
    for (size_t i = 0; i < n_entries; i++) {
        struct changes_entry *e = &out->v[i];
        if (c.end - c.p < 8 + 16 + 20 + 2)
            goto body;
        e->key = (int64_t)get_be(c.p, 8);
        memcpy(e->origin, c.p + 8, 16);
        e->origin[16] = '\0';
        memcpy(e->at, c.p + 24, 20);
        e->at[20] = '\0';
        size_t user_len = (size_t)get_be(c.p + 44, 2);
        c.p += 46;
        out->n = i + 1;
        if (e->key <= 0 || !is_hex_id(e->origin) || !is_utc_time(e->at, 20) ||
            (size_t)(c.end - c.p) < user_len + 4)
            goto body;
        e->user = xstrndup((const char *)c.p, user_len);
        if (strlen(e->user) != user_len)
            goto body;
        c.p += user_len;
        uint64_t size = get_be(c.p, 4);
        c.p += 4;
        if (size == 0 || size > (uint64_t)(c.end - c.p) || size > INT32_MAX)
            goto body;
        e->data = c.p;
        e->size = (int)size;
        c.p += size;
        if (!changeset_ok(e->data, e->size))
            goto body;
    }
    if (c.p != c.end)
        goto body;
    return 0;
header:
    return refuse(out, err, "the changeset's header is damaged or truncated");
body:
    return refuse(out, err, "the changeset's contents are damaged");
}

int changes_file_load(const char *path, struct changes_file *out, char *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return rb_fail(err, "cannot read %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return rb_fail(err, "%s is not a regular file", path);
    }
    if ((unsigned long long)sb.st_size > CHANGES_MAX_FILE) {
        fclose(f);
        return rb_fail(err, "%s is too large to be a ragboard changeset", path);
    }
    size_t len = (size_t)sb.st_size;
    unsigned char *buf = xmalloc(len ? len : 1);
    size_t got = fread(buf, 1, len, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad || got != len) {
        free(buf);
        return rb_fail(err, "cannot read %s", path);
    }
    char msg[RB_ERRLEN];
    if (changes_file_parse(buf, len, out, msg) != 0)
        return rb_fail(err, "%s: %s", path, msg);
    return 0;
}
