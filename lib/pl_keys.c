/*  pl_keys — CurveZMQ keys on disk and what each may do (see pl_keys.h).

    Files are read and written with zconfig, in CZMQ's certificate layout,
    so zcert tools read them too; a key is checked when it is loaded (Z85 of
    exactly 32 bytes, a known role, a valid name), so that the ZAP handler
    and the CLI never act on a half-read file. */
#include "pl_keys.h"
#include "pl_fs.h"
#include "pl_proto.h"
#include "pl_seal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define S_PATH_MAX 1024

//  The worker groups of this repository and the gateway: the keys that
//  `plenary up` gives its own processes (pl_keys_init).
static const struct {
    const char *name;
    const char *role;
    const char *groups;
    const char *services;
    int live;
    const char *publish;
} s_service_keys [] = {
    { "records",  "worker", "records",  "records",  0, "" },
    { "calendar", "worker", "calendar", "calendar", 0, "" },
    { "archive",  "worker", "archive",  "archive",  0, "" },
    { "notify",   "worker", "notify",   "notify",   0, "" },
    //  the gateway answers as the public, follows the calendar's verdicts,
    //  and publishes the one-click unsubscriptions of mail it receives
    { "gateway",  "public", "",         "",         1, "mail.unsubscribed" },
};

//  "broker" is the broker's own key, never issued to anyone else.
static const char *s_roles [] = {
    "secretariat", "record-keeper", "delegate", "public", "worker", "broker", NULL
};

int
pl_key_role_valid (const char *role)
{
    for (size_t i = 0; role && s_roles [i]; i++)
        if (strcmp (role, s_roles [i]) == 0)
            return 1;
    return 0;
}

//  True when TEXT is the Z85 form of a 32-byte key.
static int
s_z85_valid (const char *text)
{
    uint8_t bytes [32];
    return text && strlen (text) == PL_KEY_Z85 - 1 && zmq_z85_decode (bytes, text) != NULL;
}

//  Now as ISO 8601 UTC into BUF.
static void
s_now (char *buf, size_t size)
{
    time_t now = time (NULL);
    struct tm tm;
    gmtime_r (&now, &tm);
    strftime (buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

//  Copy the value at PATH of ROOT ("" when absent) into BUF; -1 when it
//  does not fit.
static int
s_get (zconfig_t *root, const char *path, char *buf, size_t size)
{
    const char *value = zconfig_get (root, path, "");
    if (strlen (value) >= size)
        return -1;
    memcpy (buf, value, strlen (value) + 1);
    return 0;
}

int
pl_key_load (const char *path, pl_key_t *key, char *err, size_t errsize)
{
    memset (key, 0, sizeof *key);
    if (access (path, R_OK)) {
        snprintf (err, errsize, "key file %s: %s", path, strerror (errno));
        return -1;
    }
    zconfig_t *root = zconfig_load (path);
    if (!root) {
        snprintf (err, errsize, "key file %s: not a key file (ZPL)", path);
        return -1;
    }
    char credit [16] = "", live [8] = "";
    const char *field = NULL;
    if (s_get (root, "metadata/name", key->name, sizeof key->name))
        field = "name";
    else
    if (s_get (root, "metadata/role", key->role, sizeof key->role))
        field = "role";
    else
    if (s_get (root, "metadata/groups", key->groups, sizeof key->groups))
        field = "groups";
    else
    if (s_get (root, "metadata/services", key->services, sizeof key->services))
        field = "services";
    else
    if (s_get (root, "metadata/credit", credit, sizeof credit))
        field = "credit";
    else
    if (s_get (root, "metadata/live", live, sizeof live))
        field = "live";
    else
    if (s_get (root, "metadata/publish", key->publish, sizeof key->publish))
        field = "publish";
    else
    if (s_get (root, "metadata/delegation", key->delegation, sizeof key->delegation))
        field = "delegation";
    else
    if (s_get (root, "metadata/broker-key", key->broker_key, sizeof key->broker_key))
        field = "broker-key";
    else
    if (s_get (root, "metadata/created", key->created, sizeof key->created))
        field = "created";
    else
    if (s_get (root, "metadata/revoked", key->revoked, sizeof key->revoked))
        field = "revoked";
    else
    if (s_get (root, "curve/public-key", key->public_key, sizeof key->public_key))
        field = "public-key";
    else
    if (s_get (root, "curve/secret-key", key->secret_key, sizeof key->secret_key))
        field = "secret-key";
    zconfig_destroy (&root);
    if (field) {
        snprintf (err, errsize, "key file %s: %s is too long", path, field);
        return -1;
    }
    key->credit = atoi (credit);
    key->live = strcmp (live, "yes") == 0;
    if (!s_z85_valid (key->public_key))
        snprintf (err, errsize, "key file %s: curve/public-key is not a Z85 key of 32 bytes", path);
    else
    if (*key->secret_key && !s_z85_valid (key->secret_key))
        snprintf (err, errsize, "key file %s: curve/secret-key is not a Z85 key of 32 bytes", path);
    else
    if (*key->broker_key && !s_z85_valid (key->broker_key))
        snprintf (err, errsize, "key file %s: metadata/broker-key is not a Z85 key of 32 bytes",
                  path);
    else
    if (!pl_group_valid (key->name))
        snprintf (err, errsize, "key file %s: metadata/name must be 1 to 32 of [a-z0-9-]", path);
    else
    if (!pl_key_role_valid (key->role))
        snprintf (err, errsize, "key file %s: metadata/role '%s' is not secretariat, "
                  "record-keeper, delegate, public, worker or broker", path, key->role);
    else
    if (*key->delegation && !pl_group_valid (key->delegation))
        snprintf (err, errsize, "key file %s: metadata/delegation must be 1 to 32 of [a-z0-9-]",
                  path);
    else
    if (*credit && (key->credit < 1 || key->credit > 1000000))
        snprintf (err, errsize, "key file %s: metadata/credit must be 1 to 1000000", path);
    else
        return 0;
    return -1;
}

zconfig_t *
pl_key_zpl (const pl_key_t *key, int secret)
{
    zconfig_t *root = zconfig_new ("root", NULL);
    if (!root)
        return NULL;
    zconfig_set_comment (root, secret
        ? "   plenary key: SECRET. Give it to its holder only; keep it 0600."
        : "   plenary key: public half. The broker accepts the key while it is in allowed/.");
    zconfig_put (root, "metadata/name", key->name);
    zconfig_put (root, "metadata/role", key->role);
    if (*key->groups)
        zconfig_put (root, "metadata/groups", key->groups);
    if (*key->services)
        zconfig_put (root, "metadata/services", key->services);
    if (key->credit > 0)
        zconfig_putf (root, "metadata/credit", "%d", key->credit);
    if (key->live)
        zconfig_put (root, "metadata/live", "yes");
    if (*key->publish)
        zconfig_put (root, "metadata/publish", key->publish);
    if (*key->delegation)
        zconfig_put (root, "metadata/delegation", key->delegation);
    if (secret && *key->broker_key)
        zconfig_put (root, "metadata/broker-key", key->broker_key);
    if (*key->created)
        zconfig_put (root, "metadata/created", key->created);
    if (*key->revoked)
        zconfig_put (root, "metadata/revoked", key->revoked);
    zconfig_put (root, "curve/public-key", key->public_key);
    if (secret)
        zconfig_put (root, "curve/secret-key", key->secret_key);
    return root;
}

int
pl_key_save (const char *path, const pl_key_t *key, int secret, char *err, size_t errsize)
{
    zconfig_t *root = pl_key_zpl (key, secret);
    zchunk_t *chunk = root ? zconfig_chunk_save (root) : NULL;
    zconfig_destroy (&root);
    if (!chunk) {
        snprintf (err, errsize, "cannot format key %s", key->name);
        return -1;
    }
    int rc = pl_fs_write (path, zchunk_data (chunk), zchunk_size (chunk), err, errsize);
    if (secret)
        memset (zchunk_data (chunk), 0, zchunk_size (chunk));
    zchunk_destroy (&chunk);
    return rc;
}

int
pl_key_generate (pl_key_t *key)
{
    return zmq_curve_keypair (key->public_key, key->secret_key) == 0 ? 0 : -1;
}

int
pl_key_client_apply (const pl_key_t *key, zsock_t *sock, char *err, size_t errsize)
{
    if (!*key->secret_key) {
        snprintf (err, errsize, "key %s: the file holds no secret key (a .pub file?)", key->name);
        return -1;
    }
    if (!*key->broker_key) {
        snprintf (err, errsize, "key %s: the file does not name the broker's key "
                  "(metadata/broker-key); issue it with 'plenary keys new'", key->name);
        return -1;
    }
    zsock_set_curve_publickey (sock, key->public_key);
    zsock_set_curve_secretkey (sock, key->secret_key);
    zsock_set_curve_serverkey (sock, key->broker_key);
    return 0;
}

int
pl_key_client_file (const char *path, zsock_t *sock, char *err, size_t errsize)
{
    pl_key_t key;
    if (pl_key_load (path, &key, err, errsize))
        return -1;
    int rc = pl_key_client_apply (&key, sock, err, errsize);
    memset (key.secret_key, 0, sizeof key.secret_key);
    return rc;
}

zsock_t *
pl_key_sub_new (const char *endpoint, const char *cert, char *err, size_t errsize)
{
    zsock_t *sub = zsock_new (ZMQ_SUB);
    if (!sub) {
        snprintf (err, errsize, "cannot create a socket");
        return NULL;
    }
    if (cert && *cert && pl_key_client_file (cert, sub, err, errsize)) {
        zsock_destroy (&sub);
        return NULL;
    }
    if (zsock_connect (sub, "%s", endpoint)) {
        snprintf (err, errsize, "cannot connect to %s", endpoint);
        zsock_destroy (&sub);
        return NULL;
    }
    return sub;
}

//  --------------------------------------------------------------------------
//  The key folder

//  DATA/keys/WHAT into BUF; -1 when too long.
static int
s_path (char *buf, size_t size, const char *data, const char *what)
{
    return (size_t) snprintf (buf, size, "%s/keys%s%s", data, *what ? "/" : "", what) >= size
         ? -1 : 0;
}

int
pl_keys_enabled (const char *data)
{
    char path [S_PATH_MAX];
    return s_path (path, sizeof path, data, "broker.key") == 0 && access (path, F_OK) == 0;
}

int
pl_keys_broker (const char *data, pl_key_t *key, char *err, size_t errsize)
{
    char path [S_PATH_MAX];
    if (s_path (path, sizeof path, data, "broker.key")) {
        snprintf (err, errsize, "data folder name too long");
        return -1;
    }
    if (pl_key_load (path, key, err, errsize))
        return -1;
    if (!*key->secret_key) {
        snprintf (err, errsize, "%s holds no secret key", path);
        return -1;
    }
    return 0;
}

int64_t
pl_keys_stamp (const char *data)
{
    char path [S_PATH_MAX];
    struct stat st;
    if (s_path (path, sizeof path, data, "allowed") || stat (path, &st))
        return 0;
    return (int64_t) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

//  Issue KEY: its secret half at OUT (issued/NAME.key when NULL) or, with
//  PASSWORD, sealed at web/NAME.sealed; see pl_keys_issue.
static int
s_issue (const char *data, pl_key_t *key, const char *out, const char *password,
         size_t length, char *path, size_t path_size, char *err, size_t errsize)
{
    if (!pl_group_valid (key->name)) {
        snprintf (err, errsize, "--name '%s' must be 1 to 32 of [a-z0-9-]", key->name);
        return -1;
    }
    if (!pl_key_role_valid (key->role) || strcmp (key->role, "broker") == 0) {
        snprintf (err, errsize, "--role '%s' is not secretariat, record-keeper, delegate, "
                  "public or worker", key->role);
        return -1;
    }
    if (strcmp (key->role, "worker") == 0 && (!*key->groups || !*key->services)) {
        snprintf (err, errsize, "a worker key needs the groups it may join and the services "
                  "it may offer (--group, --service)");
        return -1;
    }
    if (*key->delegation && (strcmp (key->role, "delegate") || !pl_group_valid (key->delegation))) {
        snprintf (err, errsize, "--delegation is for --role delegate, and is 1 to 32 of [a-z0-9-]");
        return -1;
    }
    pl_key_t broker;
    if (pl_keys_broker (data, &broker, err, errsize))
        return -1;
    char allowed [S_PATH_MAX], revoked [S_PATH_MAX], issued [S_PATH_MAX];
    char public_name [PL_KEY_NAME_MAX + 8], secret_name [PL_KEY_NAME_MAX + 16];
    snprintf (public_name, sizeof public_name, "%s.pub", key->name);
    snprintf (secret_name, sizeof secret_name, "issued/%s.key", key->name);
    char allowed_dir [S_PATH_MAX], revoked_dir [S_PATH_MAX];
    if (s_path (allowed_dir, sizeof allowed_dir, data, "allowed")
    ||  s_path (revoked_dir, sizeof revoked_dir, data, "revoked")
    ||  (size_t) snprintf (allowed, sizeof allowed, "%s/%s", allowed_dir, public_name) >= sizeof allowed
    ||  (size_t) snprintf (revoked, sizeof revoked, "%s/%s", revoked_dir, public_name) >= sizeof revoked
    ||  s_path (issued, sizeof issued, data, secret_name)) {
        snprintf (err, errsize, "data folder name too long");
        return -1;
    }
    if (access (allowed, F_OK) == 0 || access (revoked, F_OK) == 0) {
        snprintf (err, errsize, "a key named %s exists already%s; choose another name",
                  key->name, access (revoked, F_OK) == 0 ? " (revoked)" : "");
        return -1;
    }
    char sealed [S_PATH_MAX];
    if (password && pl_keys_web_path (data, key->name, sealed, sizeof sealed)) {
        snprintf (err, errsize, "data folder name too long");
        return -1;
    }
    const char *target = password ? sealed : out ? out : issued;
    if (access (target, F_OK) == 0) {
        snprintf (err, errsize, "%s exists already; it is not overwritten", target);
        return -1;
    }
    if (pl_key_generate (key)) {
        snprintf (err, errsize, "cannot make a key pair (libzmq without CURVE?)");
        return -1;
    }
    memcpy (key->broker_key, broker.public_key, sizeof key->broker_key);
    s_now (key->created, sizeof key->created);
    key->revoked [0] = 0;
    //  The secret first: a key is never allowed whose holder cannot have it
    int rc = password
           ? pl_seal_save (target, key, password, length, PL_SEAL_OPSLIMIT, PL_SEAL_MEMLIMIT,
                           err, errsize)
           : pl_key_save (target, key, 1, err, errsize);
    if (rc || pl_key_save (allowed, key, 0, err, errsize)) {
        if (rc == 0)
            unlink (target);
        return -1;
    }
    snprintf (path, path_size, "%s", target);
    return 0;
}

int
pl_keys_issue (const char *data, pl_key_t *key, const char *out,
               char *path, size_t path_size, char *err, size_t errsize)
{
    return s_issue (data, key, out, NULL, 0, path, path_size, err, errsize);
}

int
pl_keys_web_path (const char *data, const char *name, char *path, size_t size)
{
    char file [PL_KEY_NAME_MAX + 16];
    if (!pl_group_valid (name))
        return -1;
    snprintf (file, sizeof file, "web/%s.sealed", name);
    return s_path (path, size, data, file);
}

int
pl_keys_issue_web (const char *data, pl_key_t *key, const char *password, size_t length,
                   char *path, size_t path_size, char *err, size_t errsize)
{
    if (strcmp (key->role, "secretariat") && strcmp (key->role, "delegate")) {
        snprintf (err, errsize, "--role '%s': a web user is secretariat, or delegate (a "
                  "delegation's focal point)", key->role);
        return -1;
    }
    if (strcmp (key->role, "delegate") == 0 && !*key->delegation) {
        snprintf (err, errsize, "a delegate web user is a delegation's focal point: "
                  "--delegation DELEGATION");
        return -1;
    }
    if (length < PL_SEAL_PASSWORD_MIN || length > PL_SEAL_PASSWORD_MAX) {
        snprintf (err, errsize, "the password must be %d to %d bytes long",
                  PL_SEAL_PASSWORD_MIN, PL_SEAL_PASSWORD_MAX);
        return -1;
    }
    if (!pl_keys_enabled (data)) {
        snprintf (err, errsize, "%s has no keys: web users are keys ('plenary keys init "
                  "--data %s' first)", data, data);
        return -1;
    }
    char folder [S_PATH_MAX];
    if (s_path (folder, sizeof folder, data, "web") || pl_fs_mkdirs (folder, err, errsize))
        return -1;
    return s_issue (data, key, NULL, password, length, path, path_size, err, errsize);
}

int
pl_keys_revoke (const char *data, const char *name, char *err, size_t errsize)
{
    char allowed [S_PATH_MAX], revoked [S_PATH_MAX], file [PL_KEY_NAME_MAX + 16];
    if (!pl_group_valid (name)) {
        snprintf (err, errsize, "'%s' is not a key name", name);
        return -1;
    }
    snprintf (file, sizeof file, "allowed/%s.pub", name);
    s_path (allowed, sizeof allowed, data, file);
    snprintf (file, sizeof file, "revoked/%s.pub", name);
    s_path (revoked, sizeof revoked, data, file);
    pl_key_t key;
    if (access (allowed, F_OK)) {
        snprintf (err, errsize, access (revoked, F_OK) == 0 ? "key %s is revoked already"
                  : "no key named %s ('plenary keys list' shows them)", name);
        return -1;
    }
    if (pl_key_load (allowed, &key, err, errsize))
        return -1;
    s_now (key.revoked, sizeof key.revoked);
    //  Written to revoked/ first, then taken out of allowed/: a crash in
    //  between leaves it in both, and a key in revoked/ is refused
    if (pl_key_save (revoked, &key, 0, err, errsize))
        return -1;
    if (unlink (allowed)) {
        snprintf (err, errsize, "cannot remove %s: %s", allowed, strerror (errno));
        return -1;
    }
    return 0;
}

static int
s_compare_names (void *a, void *b)
{
    return strcmp ((const char *) a, (const char *) b);
}

//  Call FN for each .pub key in DATA/keys/WHAT, in name order.
static int
s_list_folder (const char *data, const char *what, pl_keys_fn *fn, void *arg,
               char *err, size_t errsize)
{
    char folder [S_PATH_MAX];
    s_path (folder, sizeof folder, data, what);
    DIR *dir = opendir (folder);
    if (!dir)
        return errno == ENOENT ? 0 : -1;
    zlist_t *names = zlist_new ();
    zlist_autofree (names);
    struct dirent *entry;
    while ((entry = readdir (dir))) {
        size_t length = strlen (entry->d_name);
        if (length > 4 && strcmp (entry->d_name + length - 4, ".pub") == 0)
            zlist_append (names, entry->d_name);
    }
    closedir (dir);
    zlist_sort (names, s_compare_names);
    int rc = 0;
    for (char *name = zlist_first (names); name && rc == 0; name = zlist_next (names)) {
        char path [S_PATH_MAX + 64];
        snprintf (path, sizeof path, "%s/%s", folder, name);
        pl_key_t key;
        if (pl_key_load (path, &key, err, errsize))
            rc = -1;
        else
        if (fn (arg, &key))
            break;
    }
    zlist_destroy (&names);
    return rc;
}

int
pl_keys_list (const char *data, pl_keys_fn *fn, void *arg, char *err, size_t errsize)
{
    if (s_list_folder (data, "allowed", fn, arg, err, errsize))
        return -1;
    return s_list_folder (data, "revoked", fn, arg, err, errsize);
}

int
pl_keys_init (const char *data, int issue_service_keys, char *err, size_t errsize)
{
    static const char *folders [] = { "", "allowed", "revoked", "issued" };
    for (size_t i = 0; i < sizeof folders / sizeof folders [0]; i++) {
        char path [S_PATH_MAX];
        if (s_path (path, sizeof path, data, folders [i]) || pl_fs_mkdirs (path, err, errsize))
            return -1;
    }
    if (!pl_keys_enabled (data)) {
        pl_key_t broker = { .name = "broker", .role = "broker" };
        char path [S_PATH_MAX];
        s_path (path, sizeof path, data, "broker.key");
        s_now (broker.created, sizeof broker.created);
        if (pl_key_generate (&broker) || pl_key_save (path, &broker, 1, err, errsize))
            return -1;
    }
    for (size_t i = 0; issue_service_keys && i < sizeof s_service_keys / sizeof s_service_keys [0];
         i++) {
        char path [S_PATH_MAX], file [64];
        snprintf (file, sizeof file, "allowed/%s.pub", s_service_keys [i].name);
        s_path (path, sizeof path, data, file);
        if (access (path, F_OK) == 0)
            continue;
        pl_key_t key = { .credit = 0, .live = s_service_keys [i].live };
        snprintf (key.name, sizeof key.name, "%s", s_service_keys [i].name);
        snprintf (key.role, sizeof key.role, "%s", s_service_keys [i].role);
        snprintf (key.groups, sizeof key.groups, "%s", s_service_keys [i].groups);
        snprintf (key.services, sizeof key.services, "%s", s_service_keys [i].services);
        snprintf (key.publish, sizeof key.publish, "%s", s_service_keys [i].publish);
        char written [S_PATH_MAX];
        if (pl_keys_issue (data, &key, NULL, written, sizeof written, err, errsize))
            return -1;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_keys_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    goto done; } } while (0)

static int
s_count (void *arg, const pl_key_t *key)
{
    (*(int *) arg) += *key->revoked ? 100 : 1;
    return 0;
}

int
pl_keys_test (int verbose)
{
    int rc = -1;
    char data [] = "/tmp/pl_keys_test.XXXXXX", err [512], path [S_PATH_MAX], file [S_PATH_MAX];
    if (!mkdtemp (data))
        return -1;
    pl_key_t key, loaded, broker;
    struct stat st;
    int count = 0;
    //  init: folders 0700, the broker key and the service keys
    S_CHECK (!pl_keys_enabled (data));
    S_CHECK (pl_keys_init (data, 1, err, sizeof err) == 0);
    S_CHECK (pl_keys_enabled (data));
    snprintf (file, sizeof file, "%s/keys/allowed", data);
    S_CHECK (stat (file, &st) == 0 && (st.st_mode & 0777) == 0700);
    S_CHECK (pl_keys_broker (data, &broker, err, sizeof err) == 0);
    snprintf (file, sizeof file, "%s/keys/issued/calendar.key", data);
    S_CHECK (stat (file, &st) == 0 && (st.st_mode & 0777) == 0600);
    S_CHECK (pl_key_load (file, &loaded, err, sizeof err) == 0);
    S_CHECK (streq (loaded.role, "worker") && streq (loaded.groups, "calendar")
             && streq (loaded.broker_key, broker.public_key) && *loaded.secret_key);
    //  a second init changes nothing
    S_CHECK (pl_keys_init (data, 1, err, sizeof err) == 0);
    S_CHECK (pl_keys_broker (data, &loaded, err, sizeof err) == 0
             && streq (loaded.public_key, broker.public_key));
    //  issue: the secret to its place (0600), the public half allowed
    memset (&key, 0, sizeof key);
    snprintf (key.name, sizeof key.name, "alice");
    snprintf (key.role, sizeof key.role, "delegate");
    S_CHECK (pl_keys_issue (data, &key, NULL, path, sizeof path, err, sizeof err) == 0);
    S_CHECK (stat (path, &st) == 0 && (st.st_mode & 0777) == 0600);
    S_CHECK (pl_key_load (path, &loaded, err, sizeof err) == 0);
    S_CHECK (streq (loaded.secret_key, key.secret_key) && streq (loaded.role, "delegate"));
    snprintf (file, sizeof file, "%s/keys/allowed/alice.pub", data);
    S_CHECK (pl_key_load (file, &loaded, err, sizeof err) == 0 && *loaded.secret_key == 0);
    S_CHECK (pl_keys_issue (data, &key, NULL, path, sizeof path, err, sizeof err) == -1
             && strstr (err, "exists already"));
    snprintf (key.role, sizeof key.role, "chairman");
    snprintf (key.name, sizeof key.name, "bob");
    S_CHECK (pl_keys_issue (data, &key, NULL, path, sizeof path, err, sizeof err) == -1
             && strstr (err, "--role 'chairman'"));
    snprintf (key.role, sizeof key.role, "worker");
    S_CHECK (pl_keys_issue (data, &key, NULL, path, sizeof path, err, sizeof err) == -1
             && strstr (err, "--group"));
    //  a web user: sealed under web/ (0600), never in clear; allowed with its delegation
    memset (&key, 0, sizeof key);
    snprintf (key.name, sizeof key.name, "carol");
    snprintf (key.role, sizeof key.role, "delegate");
    const char *password = "a long enough passphrase";
    S_CHECK (pl_keys_issue_web (data, &key, password, strlen (password), path, sizeof path,
                                err, sizeof err) == -1 && strstr (err, "--delegation"));
    snprintf (key.delegation, sizeof key.delegation, "fr");
    S_CHECK (pl_keys_issue_web (data, &key, "too short", 9, path, sizeof path,
                                err, sizeof err) == -1 && strstr (err, "12 to 1024"));
    S_CHECK (pl_keys_issue_web (data, &key, password, strlen (password), path, sizeof path,
                                err, sizeof err) == 0);
    S_CHECK (strstr (path, "/keys/web/carol.sealed") && stat (path, &st) == 0
             && (st.st_mode & 0777) == 0600);
    snprintf (file, sizeof file, "%s/keys/issued/carol.key", data);
    S_CHECK (access (file, F_OK) == -1);
    S_CHECK (pl_seal_open (path, password, strlen (password), &loaded, err, sizeof err)
             == PL_SEAL_OK && streq (loaded.secret_key, key.secret_key));
    snprintf (file, sizeof file, "%s/keys/allowed/carol.pub", data);
    S_CHECK (pl_key_load (file, &loaded, err, sizeof err) == 0
             && streq (loaded.delegation, "fr") && *loaded.secret_key == 0);
    snprintf (key.name, sizeof key.name, "dave");
    snprintf (key.role, sizeof key.role, "record-keeper");
    key.delegation [0] = 0;
    S_CHECK (pl_keys_issue_web (data, &key, password, strlen (password), path, sizeof path,
                                err, sizeof err) == -1 && strstr (err, "a web user is"));
    snprintf (file, sizeof file, "%s/keys/allowed/alice.pub", data);
    //  revoke moves it; twice is refused; list sees both kinds
    S_CHECK (pl_keys_revoke (data, "alice", err, sizeof err) == 0);
    S_CHECK (access (file, F_OK) == -1);
    S_CHECK (pl_keys_revoke (data, "alice", err, sizeof err) == -1 && strstr (err, "revoked already"));
    S_CHECK (pl_keys_revoke (data, "nobody", err, sizeof err) == -1 && strstr (err, "no key named"));
    S_CHECK (pl_keys_list (data, s_count, &count, err, sizeof err) == 0);
    S_CHECK (count == 6 + 100);
    //  malformed files are named, not half-read
    snprintf (file, sizeof file, "%s/bad.key", data);
    FILE *out = fopen (file, "w");
    S_CHECK (out);
    fprintf (out, "metadata\n    name = \"x\"\n    role = \"public\"\ncurve\n    public-key = \"short\"\n");
    fclose (out);
    S_CHECK (pl_key_load (file, &loaded, err, sizeof err) == -1 && strstr (err, "public-key"));
    rc = 0;
done:
    if (verbose && rc == 0)
        printf ("pl_keys_test: ok\n");
    char command [S_PATH_MAX];
    snprintf (command, sizeof command, "rm -rf '%s'", data);
    if (system (command) != 0)
        fprintf (stderr, "pl_keys_test: could not remove %s\n", data);
    return rc;
}
