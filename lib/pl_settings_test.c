/*  pl_settings_test — the settings' self-test (pl_settings_test in
    pl_settings.h).

    A broker's settings bound to a pl_config_t and a gateway's own fields:
    each value from its default, the file's [plenary], the program's
    section over [plenary], the environment over the file and a flag over
    the environment, with the source of each; a program's section other
    than its own is checked but not applied; the errors of bad files, each
    with its FILE:LINE and words (table s_bad), of a missing named file, of
    a bad variable and flag; the derived value; the JSON document.  Uses
    the public functions only; files in a temporary folder. */
#include "pl_settings.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_settings_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    goto fail; } } while (0)

//  A bad file and the error it gives after "FILE:"
static const struct {
    const char *text;
    const char *error;
} s_bad [] = {
    { "[broker]\nmax-bach = 1\n", "2: [broker] max-bach: no such setting; did you mean 'max-batch'?" },
    { "[records]\nmax-batch = 1\n",
      "2: [records] max-batch: no such setting here; it is a setting of [broker]" },
    { "[records]\nmax-batc = 2\n",
      "2: [records] max-batc: no such setting; did you mean 'max-batch' (a setting of [broker])?" },
    { "[records]\nquery-thread = 2\n",
      "2: [records] query-thread: no such setting; did you mean 'query-threads'?" },
    { "[plenary]\nmax-batch = 1\n", "2: [plenary] max-batch: no such setting here; it is a "
      "setting of [broker]" },
    { "[plenary]\nendpoint = x\n[brokr]\n", "3: [brokr]: no such section; did you mean [broker]?" },
    { "[zzzzzzzz]\n", "1: [zzzzzzzz]: no such section (the sections:" },
    { "[broker]\nmax-batch = 0\n",
      "2: [broker] max-batch: expected a whole number from 1 to 65536, not '0'" },
    { "[broker]\nmax-batch = 12abc\n", "2: [broker] max-batch: expected a whole number" },
    { "[broker]\ninsecure = perhaps\n", "2: [broker] insecure: expected true or false" },
    { "[broker]\nloopback-role = secretary\n", "2: [broker] loopback-role: expected one of "
      "secretariat, record-keeper, delegate, public, not 'secretary'" },
    { "[gateway]\nthreads = 257\n", "2: [gateway] threads: expected a whole number from 1 to 256" },
    { "[notify]\ndigest-at = 07:00:00:00\n", "2: [notify] digest-at: expected non-empty text "
      "of at most 7 bytes" },
    { "[plenary]\ndata = a\x01z\n", "2: [plenary] data: expected non-empty text of at most 255 "
      "bytes, not text with" },
    { "[plenary]\ndata = \xff\n", "2: [plenary] data: expected" },
    { "[plenary]\ndata =\n", "2: [plenary] data: expected non-empty text" },
    { "\n\n[broker]\nmax-batch 3\n", "4: expected 'key = value', '[section]' or a comment "
      "(; or #), not 'max-batch 3'" },
    { "[broker\nmax-batch = 3\n", "1: expected 'key = value', '[section]' or a comment" },
    { "max-batch = 3\n", "1: max-batch: a key before any [section]" },
    { "[broker]\nmax-batch = 3\n[broker]\nmax-batch = 4\n",
      "4: [broker] max-batch: given twice, here and at line 2" },
    //  the first error is the one told, whatever kind comes later
    { "[broker]\nmax-batch = 0\nnonsense\n", "2: [broker] max-batch: expected" },
    { "[broker]\nnonsense\nmax-batch = 0\n", "2: expected 'key = value'" },
};
#define S_BAD (sizeof s_bad / sizeof s_bad [0])

//  Write TEXT to PATH; 0 or -1.
static int
s_write (const char *path, const char *text)
{
    FILE *file = fopen (path, "w");
    if (!file)
        return -1;
    int rc = fputs (text, file) < 0;
    return fclose (file) || rc ? -1 : 0;
}

//  A broker's settings over CONFIG from the file PATH with ARGV; the action.
static pl_settings_action_t
s_broker (pl_config_t *config, pl_settings_t **settings, int argc, char **argv,
          char *err, size_t errsize)
{
    pl_config_defaults (config);
    *settings = pl_settings_new ("broker");
    if (!*settings)
        return PL_SETTINGS_USAGE;
    pl_settings_bind_config (*settings, config);
    pl_settings_bind (*settings, "insecure", &config->insecure, sizeof config->insecure);
    return pl_settings_parse (*settings, argc, argv, err, errsize);
}

int
pl_settings_test (int verbose)
{
    char folder [] = "/tmp/pl_settings_test.XXXXXX", path [64], other [64], err [1024];
    if (!mkdtemp (folder))
        return -1;
    snprintf (path, sizeof path, "%s/plenary.conf", folder);
    snprintf (other, sizeof other, "%s/none.conf", folder);
    pl_settings_t *settings = NULL;
    pl_config_t config;
    int rc = -1;
    unsetenv ("PLENARY_CONFIG");
    unsetenv ("PLENARY_ENDPOINT");
    unsetenv ("PLENARY_DATA");
    unsetenv ("PLENARY_BACKEND");
    S_CHECK (pl_settings_new ("nobody") == NULL);

    //  The file's [plenary], the program's section over it, a section of
    //  another program checked but not applied, comments and blanks
    S_CHECK (s_write (path,
        "# plenary\n"
        "[plenary]\n"
        "   data = /srv/plenary   ; where\n"
        "endpoint = tcp://127.0.0.1:7200\n"
        "backend = tcp://127.0.0.1:7201\n"
        "\n"
        "[broker]\n"
        "backend = tcp://127.0.0.1:7301\n"
        "max-batch = 128\n"
        "max-frame = 1000\n"
        "loopback-role = delegate\n"
        "insecure = yes\n"
        "[gateway]\n"
        "threads = 4\n") == 0);
    char *argv1 [] = { "plenaryd", "--config", path, NULL };
    S_CHECK (s_broker (&config, &settings, 3, argv1, err, sizeof err) == PL_SETTINGS_RUN);
    S_CHECK (strcmp (config.data, "/srv/plenary") == 0);
    S_CHECK (strcmp (config.backend, "tcp://127.0.0.1:7301") == 0);
    S_CHECK (config.max_batch == 128 && config.max_frame == 1000 && config.insecure == 1);
    S_CHECK (strcmp (config.loopback_role, "delegate") == 0);
    S_CHECK (config.heartbeat_ms == 1000);
    S_CHECK (strcmp (pl_settings_file (settings), path) == 0);
    char want [256];
    snprintf (want, sizeof want, "%s:3", path);
    S_CHECK (strcmp (pl_settings_source (settings, "data"), want) == 0);
    snprintf (want, sizeof want, "%s:8", path);
    S_CHECK (strcmp (pl_settings_source (settings, "backend"), want) == 0);
    S_CHECK (strcmp (pl_settings_source (settings, "heartbeat"), "default") == 0);
    S_CHECK (pl_settings_given (settings, "max-batch") && !pl_settings_given (settings, "pub"));
    pl_settings_destroy (&settings);
    S_CHECK (settings == NULL);
    pl_settings_destroy (&settings);

    //  The environment over the file, a flag over both
    setenv ("PLENARY_DATA", "/from/env", 1);
    setenv ("PLENARY_ENDPOINT", "", 1);         //  empty: not set
    char *argv2 [] = { "plenaryd", "--config", path, "--max-batch", "7", "--backend", "ipc://b",
                       NULL };
    S_CHECK (s_broker (&config, &settings, 7, argv2, err, sizeof err) == PL_SETTINGS_RUN);
    S_CHECK (strcmp (config.data, "/from/env") == 0);
    S_CHECK (strcmp (pl_settings_source (settings, "data"), "env PLENARY_DATA") == 0);
    S_CHECK (strcmp (config.endpoint, "tcp://127.0.0.1:7200") == 0);
    S_CHECK (config.max_batch == 7 && strcmp (config.backend, "ipc://b") == 0);
    S_CHECK (strcmp (pl_settings_source (settings, "max-batch"), "flag --max-batch") == 0);
    pl_settings_destroy (&settings);
    char *argv3 [] = { "plenaryd", "--data", "/from/flag", "--print-config=json", NULL };
    setenv ("PLENARY_CONFIG", path, 1);
    S_CHECK (s_broker (&config, &settings, 4, argv3, err, sizeof err) == PL_SETTINGS_PRINT_JSON);
    S_CHECK (strcmp (config.data, "/from/flag") == 0 && config.max_batch == 128);
    //  the JSON document, read back
    char *json = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&json, &size);
    S_CHECK (out && pl_settings_print (settings, out, 1) == 0);
    fclose (out);
    json_t *document = json_loads (json, 0, NULL);
    free (json);
    S_CHECK (document);
    int checked = 0;
    size_t index;
    json_t *row;
    json_array_foreach (json_object_get (document, "settings"), index, row) {
        const char *key = json_string_value (json_object_get (row, "key"));
        if (strcmp (key, "max-batch") == 0)
            checked += json_integer_value (json_object_get (row, "value")) == 128;
        if (strcmp (key, "insecure") == 0)
            checked += json_is_true (json_object_get (row, "value"));
        if (strcmp (key, "data") == 0)
            checked += strcmp (json_string_value (json_object_get (row, "source")),
                               "flag --data") == 0;
        checked += strcmp (key, "threads") == 0 ? 100 : 0;      //  the gateway's: not here
    }
    S_CHECK (strcmp (json_string_value (json_object_get (document, "file")), path) == 0);
    json_decref (document);
    S_CHECK (checked == 3);
    pl_settings_destroy (&settings);
    unsetenv ("PLENARY_DATA");
    unsetenv ("PLENARY_ENDPOINT");

    //  A gateway's own fields: sizes, a scale, a derived default
    pl_config_t common;
    pl_config_defaults (&common);
    unsigned threads = 8, per_ip = 32;
    size_t cache_bytes = (size_t) 64 << 20;
    int behind = 0;
    char public_url [PL_ENDPOINT_MAX] = "";
    S_CHECK (s_write (path, "[gateway]\ncache-mb = 3\nbehind-proxy = on\n[plenary]\n"
                            "public-url = https://x.example.org\n") == 0);
    settings = pl_settings_new ("gateway");
    S_CHECK (settings);
    pl_settings_bind_config (settings, &common);
    pl_settings_bind (settings, "threads", &threads, sizeof threads);
    pl_settings_bind (settings, "per-ip-limit", &per_ip, sizeof per_ip);
    pl_settings_bind (settings, "cache-mb", &cache_bytes, sizeof cache_bytes);
    pl_settings_bind (settings, "behind-proxy", &behind, sizeof behind);
    pl_settings_bind (settings, "public-url", public_url, sizeof public_url);
    S_CHECK (pl_settings_load (settings, NULL, err, sizeof err) == 0);
    S_CHECK (cache_bytes == (size_t) 3 << 20 && threads == 8 && behind == 1);
    S_CHECK (strcmp (pl_settings_value (settings, "cache-mb"), "3") == 0);
    S_CHECK (strcmp (public_url, "https://x.example.org") == 0);
    S_CHECK (pl_settings_flag (settings, "threads", "2", err, sizeof err) == 0 && threads == 2);
    S_CHECK (pl_settings_flag (settings, "threads", "0", err, sizeof err) == -1);
    S_CHECK (strcmp (err, "--threads: expected a whole number from 1 to 256, not '0'") == 0);
    pl_settings_derive (settings, "per-ip-limit", "0", "default behind a proxy");
    S_CHECK (strcmp (pl_settings_source (settings, "per-ip-limit"), "default behind a proxy") == 0);
    pl_settings_destroy (&settings);

    //  Another program's settings, unbound: what the file and environment say
    S_CHECK (s_write (path, "[notify]\nsmtp = smtp://relay:25\n") == 0);
    settings = pl_settings_new ("notify");
    S_CHECK (settings && pl_settings_load (settings, NULL, err, sizeof err) == 0);
    S_CHECK (strcmp (pl_settings_value (settings, "smtp"), "smtp://relay:25") == 0);
    S_CHECK (pl_settings_value (settings, "from") == NULL);
    pl_settings_destroy (&settings);

    //  Bad files, each refused with its line; nothing is written
    for (size_t i = 0; i < S_BAD; i++) {
        S_CHECK (s_write (path, s_bad [i].text) == 0);
        pl_settings_action_t action = s_broker (&config, &settings, 1, argv1, err, sizeof err);
        snprintf (want, sizeof want, "%s:%.80s", path, s_bad [i].error);
        if (action != PL_SETTINGS_USAGE || strncmp (err, want, strlen (want))) {
            fprintf (stderr, "pl_settings_test: bad file %zu: got '%s', want '%s...'\n", i, err,
                     want);
            goto fail;
        }
        S_CHECK (config.max_batch == 4096);
        pl_settings_destroy (&settings);
    }
    //  A line too long, a named file missing, a bad variable, flag and argument
    char line [400];
    snprintf (line, sizeof line, "[plenary]\ndata = /%0250d\n", 0);
    S_CHECK (s_write (path, line) == 0);
    S_CHECK (s_broker (&config, &settings, 1, argv1, err, sizeof err) == PL_SETTINGS_USAGE);
    snprintf (want, sizeof want, "%s:2: a line longer than 197 bytes", path);
    S_CHECK (strcmp (err, want) == 0);
    pl_settings_destroy (&settings);
    S_CHECK (s_write (path, "[broker]\n") == 0);
    setenv ("PLENARY_CONFIG", other, 1);
    S_CHECK (s_broker (&config, &settings, 1, argv1, err, sizeof err) == PL_SETTINGS_USAGE);
    S_CHECK (strstr (err, "PLENARY_CONFIG") && strstr (err, "No such file"));
    pl_settings_destroy (&settings);
    char *argv4 [] = { "plenaryd", "--config", other, NULL };
    S_CHECK (s_broker (&config, &settings, 3, argv4, err, sizeof err) == PL_SETTINGS_USAGE);
    S_CHECK (strncmp (err, "--config ", 9) == 0);
    pl_settings_destroy (&settings);
    setenv ("PLENARY_CONFIG", path, 1);
    setenv ("PLENARY_DATA", "a\tb", 1);
    S_CHECK (s_broker (&config, &settings, 1, argv1, err, sizeof err) == PL_SETTINGS_USAGE);
    S_CHECK (strncmp (err, "PLENARY_DATA: expected", 22) == 0);
    pl_settings_destroy (&settings);
    unsetenv ("PLENARY_DATA");
    char *argv5 [] = { "plenaryd", "--max-batch", "65537", NULL };
    S_CHECK (s_broker (&config, &settings, 3, argv5, err, sizeof err) == PL_SETTINGS_USAGE);
    S_CHECK (strcmp (err, "--max-batch: expected a whole number from 1 to 65536, not '65537'") == 0);
    pl_settings_destroy (&settings);
    char *argv6 [] = { "plenaryd", "--threads", "2", NULL };     //  the gateway's, not the broker's
    S_CHECK (s_broker (&config, &settings, 3, argv6, err, sizeof err) == PL_SETTINGS_USAGE);
    S_CHECK (strcmp (err, "unknown flag '--threads'") == 0);
    pl_settings_destroy (&settings);
    char *argv7 [] = { "plenaryd", "now", NULL };
    S_CHECK (s_broker (&config, &settings, 2, argv7, err, sizeof err) == PL_SETTINGS_USAGE);
    pl_settings_destroy (&settings);
    //  --help reads no file: a bad one does not stop it
    S_CHECK (s_write (path, "[brokr]\n") == 0);
    char *argv8 [] = { "plenaryd", "--config", path, "--help", NULL };
    S_CHECK (s_broker (&config, &settings, 4, argv8, err, sizeof err) == PL_SETTINGS_HELP);
    pl_settings_destroy (&settings);
    if (verbose)
        printf ("pl_settings_test: precedence, sources, %zu bad files, flags, variables: ok\n",
                S_BAD);
    rc = 0;
fail:
    pl_settings_destroy (&settings);
    unsetenv ("PLENARY_CONFIG");
    unsetenv ("PLENARY_DATA");
    unlink (path);
    rmdir (folder);
    return rc;
}
