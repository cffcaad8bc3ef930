/* libFuzzer harness for the key-script reader (keyscript_parse): any text is read or
 * refused naming a line and column; what is read is at most one step per byte, with
 * sizes in range. */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"
#include "tui/keyscript.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "broken invariant: %s\n", what);
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "C.UTF-8");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct script_step *v = NULL;
    size_t n = 0;
    char err[RB_ERRLEN] = "";
    if (keyscript_parse(text, &v, &n, err) != 0) {
        check(strncmp(err, "line ", 5) == 0 && strstr(err, "column "), "error names its place");
        check(v == NULL && n == 0, "nothing on failure");
    } else {
        check(n <= strlen(text), "at most one step per byte");
        for (size_t i = 0; i < n; i++) {
            check(v[i].kind == STEP_KEY || v[i].kind == STEP_RESIZE || v[i].kind == STEP_DUMP,
                  "step kind");
            if (v[i].kind == STEP_RESIZE)
                check(v[i].rows >= 1 && v[i].rows <= 1000 && v[i].cols >= 1 &&
                          v[i].cols <= 1000,
                      "resize in range");
        }
        free(v);
    }
    free(text);
    return 0;
}
