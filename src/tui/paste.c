/* Bracketed paste: pasted text is text, and only a form takes it. */
#include "tui/paste.h"

#include <stdio.h>
#include <string.h>

void paste_enable(void)
{
    define_key("\033[200~", KEY_PASTE_BEGIN);
    define_key("\033[201~", KEY_PASTE_END);
    fputs("\033[?2004h", stdout);
    fflush(stdout);
}

void paste_disable(void)
{
    fputs(PASTE_OFF, stdout);
    fflush(stdout);
}

static bool form_on_top(const struct app *app)
{
    return app->depth > 0 && strcmp(app->stack[app->depth - 1]->ops->name, "form") == 0;
}

bool paste_filter(struct app *app, const struct keypress *k)
{
    if (k->function && k->code == KEY_PASTE_BEGIN) {
        app->pasting = true;
        if (!form_on_top(app))
            app_error(app, "Pasted text is ignored here: open a form (e to edit, p for an "
                           "update) and paste into one of its fields");
        return true;
    }
    if (k->function && k->code == KEY_PASTE_END) {
        app->pasting = false;
        return true;
    }
    return app->pasting && !form_on_top(app);
}
