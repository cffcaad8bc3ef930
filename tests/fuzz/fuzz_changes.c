/* libFuzzer harness for the changeset reader (changes_file_parse): any bytes are parsed
 * or refused with a reason, and what is parsed lies inside the file. The first byte picks
 * how the rest is used: odd, as the body of a file whose header (and CRC) is made
 * correct here, so that the entries and their SQLite changesets are reached; even, as a
 * whole file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/changes_internal.h"
#include "ragboard/changes.h"
#include "ragboard/util.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "broken invariant: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    struct strbuf file = {0};
    if (data[0] & 1) {
        size_t entries = size > 1 ? data[1] % 8 : 0;
        const uint8_t *body = data + (size > 1 ? 2 : 1);
        size_t len = size - (size_t)(body - data);
        sb_addf(&file, "%s\nversion 1\nplan 0123456789abcdef\ncopy fedcba9876543210\n"
                       "created 2026-11-28T09:30:00Z\nentries %zu\nbytes %zu\n",
                CHANGES_MAGIC, entries, len);
        uint32_t crc = changes_crc32(0, (const unsigned char *)file.buf, file.len);
        crc = changes_crc32(crc, body, len);
        sb_addf(&file, "crc32 %08x\n\n", (unsigned)crc);
        sb_addn(&file, (const char *)body, len);
    } else {
        sb_addn(&file, (const char *)data + 1, size - 1);
    }
    size_t len = file.len;
    unsigned char *buf = (unsigned char *)sb_take(&file);
    struct changes_file f;
    char err[RB_ERRLEN] = "";
    int rc = changes_file_parse(buf, len, &f, err); /* takes buf */
    if (rc != 0) {
        check(err[0] != '\0', "a refusal says why");
        return 0;
    }
    check(f.version >= 1 && f.version <= CHANGES_VERSION, "version");
    for (size_t i = 0; i < f.n; i++) {
        const struct changes_entry *e = &f.v[i];
        check(e->key > 0, "entry key");
        check(e->data >= f.buf && e->data + e->size <= f.buf + f.len, "changeset inside");
        check(e->size > 0, "changeset size");
        check(strlen(e->origin) == 16 && strlen(e->at) == 20, "entry origin and time");
        check(e->user != NULL, "entry user");
    }
    changes_file_free(&f);
    return 0;
}
