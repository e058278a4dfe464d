/*  gw_tls — the gateway's certificate and private key, read and checked
    before libmicrohttpd is given them (MHD_OPTION_HTTPS_MEM_CERT/KEY).

    libmicrohttpd, given a bad pair, fails to start with a GnuTLS code in
    its log; this class says which file is wrong and why first: unreadable,
    not PEM, an encrypted key (not supported: the gateway starts unattended),
    a key that does not belong to the certificate.  It warns (pl_warn) when
    the key file may be read by anyone but its owner (it should be 0600)
    and when the certificate is expired or not yet valid.  The key is wiped
    from memory when the object goes. */
#ifndef GW_TLS_H_INCLUDED
#define GW_TLS_H_INCLUDED

#include <stddef.h>

#define GW_TLS_FILE_MAX (256 * 1024)    //  a certificate chain and key are a few KB

typedef struct _gw_tls_t gw_tls_t;

//  Read CERT_FILE (a PEM certificate, then its chain) and KEY_FILE (its PEM
//  private key, not encrypted) and check that they belong together.  NULL
//  with ERR ("--tls-key /etc/x.pem: does not match the certificate in
//  --tls-cert /etc/y.pem") when they cannot be used.
gw_tls_t *gw_tls_new (const char *cert_file, const char *key_file, char *err, size_t errsize);

//  The PEM texts, NUL-terminated, for libmicrohttpd.  Borrowed: valid
//  until gw_tls_destroy.
const char *gw_tls_cert (const gw_tls_t *self);
const char *gw_tls_key (const gw_tls_t *self);

//  Wipe the key and free; NULL-safe, nulls *SELF_P.
void gw_tls_destroy (gw_tls_t **self_p);

#endif
