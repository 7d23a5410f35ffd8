#include "CPKCS12.h"

#include <pthread.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

static pthread_once_t providers_once = PTHREAD_ONCE_INIT;

// OpenSSL 3 keeps RC2 and the other legacy PKCS#12 ciphers in the "legacy" provider. Loading a provider by hand
// turns off the implicit default one, so both are loaded. This process's other TLS and crypto code (BoringSSL
// inside swift-crypto and swift-nio-ssl) does not use the system OpenSSL, so the change stays local to this file.
static void load_providers(void) {
    OSSL_PROVIDER_load(NULL, "default");
    OSSL_PROVIDER_load(NULL, "legacy");
}

static void copy_reason(char *reason, size_t reason_size, const char *fallback) {
    if (reason == NULL || reason_size == 0) return;
    unsigned long code = ERR_peek_last_error();
    if (code != 0) {
        ERR_error_string_n(code, reason, reason_size);
    } else {
        strncpy(reason, fallback, reason_size - 1);
        reason[reason_size - 1] = '\0';
    }
}

static int to_der(X509 *certificate, uint8_t **out, size_t *length) {
    int size = i2d_X509(certificate, NULL);
    if (size <= 0) return 0;
    *out = OPENSSL_malloc((size_t)size);
    if (*out == NULL) return 0;
    uint8_t *cursor = *out;
    i2d_X509(certificate, &cursor);
    *length = (size_t)size;
    return 1;
}

boletokit_pkcs12_status boletokit_pkcs12_read(const uint8_t *bytes, size_t length, const char *password,
                                              boletokit_pkcs12_contents *contents, char *reason, size_t reason_size) {
    pthread_once(&providers_once, load_providers);
    memset(contents, 0, sizeof(*contents));
    ERR_clear_error();

    const unsigned char *cursor = bytes;
    PKCS12 *p12 = d2i_PKCS12(NULL, &cursor, (long)length);
    if (p12 == NULL) {
        copy_reason(reason, reason_size, "not a PKCS#12 file");
        return BOLETOKIT_PKCS12_NOT_PKCS12;
    }
    if (PKCS12_mac_present(p12) && !PKCS12_verify_mac(p12, password, -1)) {
        PKCS12_free(p12);
        copy_reason(reason, reason_size, "the MAC does not verify");
        return BOLETOKIT_PKCS12_WRONG_PASSWORD;
    }

    EVP_PKEY *key = NULL;
    X509 *certificate = NULL;
    STACK_OF(X509) *chain = NULL;
    if (!PKCS12_parse(p12, password, &key, &certificate, &chain)) {
        PKCS12_free(p12);
        copy_reason(reason, reason_size, "the file could not be decrypted");
        return BOLETOKIT_PKCS12_FAILED;
    }
    PKCS12_free(p12);

    boletokit_pkcs12_status status = BOLETOKIT_PKCS12_OK;
    if (key == NULL || certificate == NULL) {
        copy_reason(reason, reason_size, "the file holds no private key with its certificate");
        status = BOLETOKIT_PKCS12_INCOMPLETE;
        goto done;
    }

    PKCS8_PRIV_KEY_INFO *info = EVP_PKEY2PKCS8(key);
    int key_size = info ? i2d_PKCS8_PRIV_KEY_INFO(info, NULL) : 0;
    if (key_size <= 0 || (contents->key = OPENSSL_malloc((size_t)key_size)) == NULL) {
        PKCS8_PRIV_KEY_INFO_free(info);
        copy_reason(reason, reason_size, "the private key could not be encoded");
        status = BOLETOKIT_PKCS12_FAILED;
        goto done;
    }
    uint8_t *key_cursor = contents->key;
    i2d_PKCS8_PRIV_KEY_INFO(info, &key_cursor);
    contents->key_length = (size_t)key_size;
    PKCS8_PRIV_KEY_INFO_free(info);

    if (!to_der(certificate, &contents->certificate, &contents->certificate_length)) {
        copy_reason(reason, reason_size, "the certificate could not be encoded");
        status = BOLETOKIT_PKCS12_FAILED;
        goto done;
    }

    int count = chain ? sk_X509_num(chain) : 0;
    if (count > 0) {
        size_t total = 0;
        contents->chain_lengths = OPENSSL_zalloc(sizeof(size_t) * (size_t)count);
        for (int i = 0; i < count; i++) {
            int size = i2d_X509(sk_X509_value(chain, i), NULL);
            if (size <= 0 || contents->chain_lengths == NULL) { status = BOLETOKIT_PKCS12_FAILED; goto done; }
            contents->chain_lengths[i] = (size_t)size;
            total += (size_t)size;
        }
        contents->chain = OPENSSL_malloc(total);
        if (contents->chain == NULL) { status = BOLETOKIT_PKCS12_FAILED; goto done; }
        uint8_t *chain_cursor = contents->chain;
        for (int i = 0; i < count; i++) i2d_X509(sk_X509_value(chain, i), &chain_cursor);
        contents->chain_count = (size_t)count;
    }

done:
    EVP_PKEY_free(key);
    X509_free(certificate);
    sk_X509_pop_free(chain, X509_free);
    if (status != BOLETOKIT_PKCS12_OK) {
        if (status == BOLETOKIT_PKCS12_FAILED && reason && reason_size && reason[0] == '\0') {
            copy_reason(reason, reason_size, "the file could not be read");
        }
        boletokit_pkcs12_free(contents);
    }
    return status;
}

void boletokit_pkcs12_free(boletokit_pkcs12_contents *contents) {
    if (contents->key) OPENSSL_clear_free(contents->key, contents->key_length);
    OPENSSL_free(contents->certificate);
    OPENSSL_free(contents->chain);
    OPENSSL_free(contents->chain_lengths);
    memset(contents, 0, sizeof(*contents));
}
