/* Unit tests for key names, the [keys] and [display] settings and the bindings in force. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curses.h>

#include "ragboard/config.h"
#include "tui/keys.h"

/* Load text as a settings file (after the built-in agencies, so none are missing). */
static int load(const char *text, struct config *cfg, struct diags *d)
{
    char path[] = "/tmp/test_keys-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    struct strbuf sb = {0};
    sb_addf(&sb, "[agencies]\nSC = Shropshire Council\n%s", text);
    assert_int_equal(write(fd, sb.buf, sb.len), (ssize_t)sb.len);
    close(fd);
    sb_free(&sb);
    int rc = config_load(path, cfg, d);
    unlink(path);
    return rc;
}

static bool has_diag(const struct diags *d, int line, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].line == line && strstr(d->v[i].msg, needle))
            return true;
    for (size_t i = 0; i < d->n; i++) {
        char *s = diag_format(&d->v[i]);
        print_message("  have: %s\n", s);
        free(s);
    }
    return false;
}

static void test_key_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int key;
    } cases[] = {
        {"j", 'j'},           {"G", 'G'},          {"?", '?'},
        {"Space", ' '},       {"space", ' '},      {"Enter", '\r'},
        {"Return", '\r'},     {"Tab", '\t'},       {"Esc", 27},
        {"Escape", 27},       {"Ctrl-S", CTRL('s')}, {"ctrl-s", CTRL('s')},
        {"C-l", CTRL('l')},   {"^L", CTRL('l')},   {"Ctrl-H", KEY_BACKSPACE},
        {"F5", KEY_F(5)},     {"f12", KEY_F(12)},  {"Home", KEY_HOME},
        {"End", KEY_END},     {"PgUp", KEY_PPAGE}, {"PageDown", KEY_NPAGE},
        {"Delete", KEY_DC},   {"Backspace", KEY_BACKSPACE}, {"Shift-Tab", KEY_BTAB},
        {"Alt-s", KEY_ALT('s')}, {"M-S", KEY_ALT('S')}, {"Up", KEY_UP},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int k = 0;
        if (!key_parse(cases[i].name, &k))
            fail_msg("\"%s\" was not understood", cases[i].name);
        assert_int_equal(k, cases[i].key);
    }
    static const char *const bad[] = {"", "F0", "F13", "F01", "Ctrl-1", "Ctrl-Shift-x",
                                      "Alt-", "jk", "Hyper-x", "\x01", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int k = 0;
        if (key_parse(bad[i], &k))
            fail_msg("\"%s\" should not be a key name", bad[i]);
    }
}

/* Every key the table binds has a name that reads back as the same key. */
static void test_names_round_trip(void **state)
{
    (void)state;
    keys_reset();
    for (int i = 1; i < ACT_COUNT; i++) {
        int keys[2] = {key_of((enum ui_action)i), alias_of((enum ui_action)i)};
        for (int j = 0; j < 2; j++) {
            if (!keys[j])
                continue;
            char buf[16];
            int back = 0;
            const char *name = ui_key_name(keys[j], buf);
            if (!key_parse(name, &back))
                fail_msg("%s: key name \"%s\" does not parse", action_table[i].name, name);
            assert_int_equal(back, keys[j]);
        }
    }
}

static void test_defaults_clean(void **state)
{
    (void)state;
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load_builtin(&cfg, &d), 0);
    assert_int_equal(cfg.n_bindings, 0);
    assert_int_equal(cfg.theme, THEME_DEFAULT);
    assert_false(cfg.ascii_lines);
    assert_false(cfg.mouse);
    assert_int_equal(keys_configure(&cfg, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(key_action('j', ON_BOARD), ACT_MOVE_DOWN);
    assert_int_equal(key_action('T', ON_LIST), ACT_THEME);
    assert_int_equal(key_action('\n', ON_LIST), ACT_OPEN);
    assert_int_equal(key_action('p', ON_ATTEND), ACT_MARK_PRESENT);
    assert_int_equal(key_action('p', ON_DETAIL), ACT_PROGRESS);
    config_free(&cfg);
    diags_free(&d);
}

static void test_rebinding(void **state)
{
    (void)state;
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(load("[keys]\n"
                          "search = F3\n"
                          "filter = /\n"
                          "delete = none\n"
                          "move-down = n Down\n"
                          "new = N\n"
                          "theme = Alt-t\n"
                          "Quit = ctrl-x\n",
                          &cfg, &d),
                     0);
    assert_int_equal(cfg.n_bindings, 7);
    assert_string_equal(cfg.bindings[0].action, "search");
    assert_int_equal(cfg.bindings[0].line, 4);
    assert_string_equal(cfg.bindings[6].action, "quit");
    assert_int_equal(keys_configure(&cfg, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(key_action(KEY_F(3), ON_BOARD), ACT_SEARCH);
    assert_int_equal(key_action('/', ON_LIST), ACT_FILTER);
    assert_int_equal(key_action('/', ON_BOARD), ACT_NONE);
    assert_int_equal(key_action('D', ON_LIST), ACT_NONE);
    assert_int_equal(key_of(ACT_DELETE), 0);
    assert_int_equal(key_action('n', ON_LIST), ACT_MOVE_DOWN);
    assert_int_equal(key_action('j', ON_LIST), ACT_NONE);
    assert_int_equal(key_action(KEY_DOWN, ON_LIST), ACT_MOVE_DOWN);
    assert_int_equal(key_action('N', ON_BOARD), ACT_NEW);
    assert_int_equal(key_action(KEY_ALT('t'), ON_WALK), ACT_THEME);
    assert_int_equal(key_action(CTRL('x'), ON_LIST), ACT_QUIT);
    /* One key given: the alias stays. */
    assert_int_equal(key_action(KEY_F(10), ON_LIST), ACT_QUIT);
    char buf[16];
    assert_string_equal(key_name_of(ACT_QUIT, buf), "Ctrl-X");
    assert_string_equal(key_name_of(ACT_DELETE, buf), "none");

    /* 'ragboard keys' shows what is in force. */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    keys_print(out);
    fclose(out);
    assert_non_null(strstr(text, "| `F3` |  | board, list | Search titles"));
    assert_non_null(strstr(text, "| `n` | `Down` | everywhere | Next row | move-down |"));
    assert_non_null(strstr(text, "| `none` |  | list, detail | Delete"));
    free(text);
    keys_reset();
    assert_int_equal(key_action('j', ON_LIST), ACT_MOVE_DOWN);
    config_free(&cfg);
    diags_free(&d);
}

static void test_binding_errors(void **state)
{
    (void)state;
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(load("[keys]\n"              /* line 3 */
                          "frobnicate = x\n"      /* 4: unknown action */
                          "sort = Ctrl-Shift-x\n" /* 5: unknown key name */
                          "search = f\n"          /* 6: f filters on the list */
                          "quit = none\n"         /* 7: no way to quit */
                          "help = \n"             /* 8: nothing given */
                          "undo = a b c\n"        /* 9: too many */
                          "redraw = Ctrl-Z\n",    /* 10: the terminal's */
                          &cfg, &d),
                     0);
    assert_int_equal(keys_configure(&cfg, &d), -1);
    assert_true(has_diag(&d, 4, "unknown action \"frobnicate\""));
    assert_true(has_diag(&d, 5, "sort: unknown key name \"Ctrl-Shift-x\""));
    assert_true(has_diag(&d, 6, "f would do both search and filter in the action list"));
    assert_true(has_diag(&d, 7, "quit needs a key"));
    assert_true(has_diag(&d, 8, "help: no key given"));
    assert_true(has_diag(&d, 9, "undo: at most two keys"));
    assert_true(has_diag(&d, 10, "Ctrl-Z belongs to the terminal"));
    assert_int_equal(diags_errors(&d), 7);
    for (size_t i = 1; i < d.n; i++)
        assert_true(d.v[i - 1].line <= d.v[i].line);
    /* Nothing half-applied: the table's keys stay in force. */
    assert_int_equal(key_action('/', ON_LIST), ACT_SEARCH);
    assert_int_equal(key_action('Q', ON_LIST), ACT_QUIT);
    config_free(&cfg);
    diags_free(&d);
}

/* Keys that do different things on different screens are fine; the same screen is not. */
static void test_same_key_other_screen(void **state)
{
    (void)state;
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(load("[keys]\nmark-present = e\nnames = p\n", &cfg, &d), 0);
    assert_int_equal(keys_configure(&cfg, &d), 0);
    assert_int_equal(key_action('e', ON_ATTEND), ACT_MARK_PRESENT);
    assert_int_equal(key_action('e', ON_LIST), ACT_EDIT);
    config_free(&cfg);
    diags_free(&d);
    d = (struct diags){0};
    assert_int_equal(load("[keys]\nagencies = x\nsearch = M\n", &cfg, &d), 0);
    assert_int_equal(keys_configure(&cfg, &d), 0); /* M ends meetings only in meetings */
    config_free(&cfg);
    diags_free(&d);
    d = (struct diags){0};
    assert_int_equal(load("[keys]\nreviewed = d\n", &cfg, &d), 0);
    assert_int_equal(keys_configure(&cfg, &d), -1);
    assert_true(has_diag(&d, 4, "d would do both decision and reviewed in the meeting walk"));
    config_free(&cfg);
    diags_free(&d);
    keys_reset();
}

static void test_display_section(void **state)
{
    (void)state;
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(load("[display]\ntheme = Colour-Blind\nascii_lines = yes\nmouse = ON\n",
                          &cfg, &d),
                     0);
    assert_int_equal(d.n, 0);
    assert_int_equal(cfg.theme, THEME_COLOUR_BLIND);
    assert_true(cfg.ascii_lines);
    assert_true(cfg.mouse);
    config_free(&cfg);
    assert_int_equal(load("[display]\ntheme = high-contrast\nascii_lines = false\nmouse = 0\n",
                          &cfg, &d),
                     0);
    assert_int_equal(cfg.theme, THEME_HIGH_CONTRAST);
    assert_false(cfg.ascii_lines);
    assert_false(cfg.mouse);
    config_free(&cfg);
    assert_int_equal(load("[display]\ntheme = neon\nascii_lines = maybe\nmouse = 2\ncolour = red\n",
                          &cfg, &d),
                     -1);
    assert_true(has_diag(&d, 4, "[display] theme: \"neon\" is not a theme"));
    assert_true(has_diag(&d, 5, "[display] ascii_lines: \"maybe\" is not true or false"));
    assert_true(has_diag(&d, 6, "[display] mouse: \"2\" is not true or false"));
    assert_true(has_diag(&d, 7, "[display] unknown key \"colour\""));
    assert_int_equal(cfg.theme, THEME_DEFAULT);
    config_free(&cfg);
    diags_free(&d);

    enum display_theme t;
    for (int i = 0; i < THEME_COUNT; i++) {
        assert_true(theme_parse(theme_name((enum display_theme)i), &t));
        assert_int_equal(t, i);
    }
    assert_true(theme_parse("color-blind", &t));
    assert_int_equal(t, THEME_COLOUR_BLIND);
    assert_false(theme_parse("", &t));
    assert_false(theme_parse(NULL, &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_names),     cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_defaults_clean), cmocka_unit_test(test_rebinding),
        cmocka_unit_test(test_binding_errors), cmocka_unit_test(test_same_key_other_screen),
        cmocka_unit_test(test_display_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
