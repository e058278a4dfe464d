/*  gw_tls — the gateway's certificate and key, read and checked with
    GnuTLS (the library libmicrohttpd serves TLS with).  See gw_tls.h. */
#include "gw_tls.h"
#include "pl_log.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct _gw_tls_t {
    char *cert;
    char *key;
    size_t key_size;
};

//  The whole of PATH (at most GW_TLS_FILE_MAX bytes) as a NUL-terminated
//  string into *TEXT (caller frees), its mode into *MODE.  0, or -1 with ERR
//  naming FLAG.
static int
s_read (const char *flag, const char *path, char **text, size_t *size, mode_t *mode,
        char *err, size_t errsize)
{
    *text = NULL;
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat (fd, &st)) {
        snprintf (err, errsize, "%s %s: cannot read it: %s", flag, path, strerror (errno));
        if (fd >= 0)
            close (fd);
        return -1;
    }
    if (!S_ISREG (st.st_mode) || st.st_size <= 0 || st.st_size > GW_TLS_FILE_MAX) {
        snprintf (err, errsize, "%s %s: want a PEM file of 1 to %d bytes", flag, path,
                  GW_TLS_FILE_MAX);
        close (fd);
        return -1;
    }
    *mode = st.st_mode;
    *text = malloc ((size_t) st.st_size + 1);
    size_t have = 0;
    while (*text && have < (size_t) st.st_size) {
        ssize_t got = read (fd, *text + have, (size_t) st.st_size - have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        have += (size_t) got;
    }
    close (fd);
    if (!*text || have != (size_t) st.st_size) {
        snprintf (err, errsize, "%s %s: cannot read it whole", flag, path);
        free (*text);
        *text = NULL;
        return -1;
    }
    (*text) [have] = 0;
    *size = have;
    return 0;
}

//  Warn when the certificate CERT (PEM, SIZE bytes) is not valid now.
//  Returns 0, or -1 with ERR when it holds no certificate.
static int
s_check_cert (const char *file, const char *cert, size_t size, char *err, size_t errsize)
{
    gnutls_datum_t datum = { (unsigned char *) cert, (unsigned int) size };
    gnutls_x509_crt_t *list = NULL;
    unsigned int count = 0;
    int rc = gnutls_x509_crt_list_import2 (&list, &count, &datum, GNUTLS_X509_FMT_PEM, 0);
    if (rc < 0 || count == 0) {
        snprintf (err, errsize, "--tls-cert %s: not a PEM certificate (%s)", file,
                  gnutls_strerror (rc < 0 ? rc : GNUTLS_E_NO_CERTIFICATE_FOUND));
        return -1;
    }
    time_t now = time (NULL);
    if (gnutls_x509_crt_get_expiration_time (list [0]) < now)
        pl_warn ("gateway: --tls-cert %s has expired: clients will refuse it", file);
    else
    if (gnutls_x509_crt_get_activation_time (list [0]) > now)
        pl_warn ("gateway: --tls-cert %s is not valid yet: clients will refuse it", file);
    for (unsigned int i = 0; i < count; i++)
        gnutls_x509_crt_deinit (list [i]);
    gnutls_free (list);
    return 0;
}

gw_tls_t *
gw_tls_new (const char *cert_file, const char *key_file, char *err, size_t errsize)
{
    gw_tls_t *self = calloc (1, sizeof *self);
    if (!self) {
        snprintf (err, errsize, "out of memory");
        return NULL;
    }
    size_t cert_size = 0;
    mode_t cert_mode, key_mode;
    gnutls_x509_privkey_t key = NULL;
    gnutls_certificate_credentials_t credentials = NULL;
    if (s_read ("--tls-cert", cert_file, &self->cert, &cert_size, &cert_mode, err, errsize)
    ||  s_read ("--tls-key", key_file, &self->key, &self->key_size, &key_mode, err, errsize)
    ||  s_check_cert (cert_file, self->cert, cert_size, err, errsize))
        goto err;
    if (key_mode & (S_IRWXG | S_IRWXO))
        pl_warn ("gateway: --tls-key %s may be read by others than its owner (mode %04o); "
                 "make it 0600", key_file, (unsigned) (key_mode & 07777));
    gnutls_datum_t cert_datum = { (unsigned char *) self->cert, (unsigned int) cert_size };
    gnutls_datum_t key_datum = { (unsigned char *) self->key, (unsigned int) self->key_size };
    int rc = gnutls_x509_privkey_init (&key);
    if (rc >= 0)
        rc = gnutls_x509_privkey_import2 (key, &key_datum, GNUTLS_X509_FMT_PEM, NULL,
                                          GNUTLS_PKCS_PLAIN);
    if (rc < 0) {
        snprintf (err, errsize, "--tls-key %s: not a PEM private key without a password (%s)",
                  key_file, gnutls_strerror (rc));
        goto err;
    }
    rc = gnutls_certificate_allocate_credentials (&credentials);
    if (rc >= 0)
        rc = gnutls_certificate_set_x509_key_mem2 (credentials, &cert_datum, &key_datum,
                                                   GNUTLS_X509_FMT_PEM, NULL, 0);
    if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
        snprintf (err, errsize, "--tls-key %s: does not match the certificate in --tls-cert %s",
                  key_file, cert_file);
        goto err;
    }
    if (rc < 0) {
        snprintf (err, errsize, "--tls-cert %s with --tls-key %s: %s", cert_file, key_file,
                  gnutls_strerror (rc));
        goto err;
    }
    gnutls_certificate_free_credentials (credentials);
    gnutls_x509_privkey_deinit (key);
    return self;
err:
    if (credentials)
        gnutls_certificate_free_credentials (credentials);
    if (key)
        gnutls_x509_privkey_deinit (key);
    gw_tls_destroy (&self);
    return NULL;
}

const char *
gw_tls_cert (const gw_tls_t *self)
{
    return self->cert;
}

const char *
gw_tls_key (const gw_tls_t *self)
{
    return self->key;
}

void
gw_tls_destroy (gw_tls_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    gw_tls_t *self = *self_p;
    if (self->key)
        explicit_bzero (self->key, self->key_size);
    free (self->key);
    free (self->cert);
    free (self);
    *self_p = NULL;
}
