#ifndef BOLETOKIT_CPKCS12_H
#define BOLETOKIT_CPKCS12_H

#include <stddef.h>
#include <stdint.h>

/// What `boletokit_pkcs12_read` found, as DER. Free it with `boletokit_pkcs12_free`.
typedef struct {
    /// The private key, PKCS#8 PrivateKeyInfo DER.
    uint8_t *key;
    size_t key_length;
    /// The certificate that matches the key, DER.
    uint8_t *certificate;
    size_t certificate_length;
    /// The other certificates of the file (the chain), each DER, back to back; `chain_lengths` gives their sizes.
    uint8_t *chain;
    size_t *chain_lengths;
    size_t chain_count;
} boletokit_pkcs12_contents;

/// The reasons a file cannot be read.
typedef enum {
    BOLETOKIT_PKCS12_OK = 0,
    /// The bytes are not a PKCS#12 file.
    BOLETOKIT_PKCS12_NOT_PKCS12 = 1,
    /// The MAC does not verify: the password is wrong (or the file was altered).
    BOLETOKIT_PKCS12_WRONG_PASSWORD = 2,
    /// The file holds no private key or no certificate for it.
    BOLETOKIT_PKCS12_INCOMPLETE = 3,
    /// The file could not be decrypted or re-encoded (an algorithm OpenSSL does not offer, say).
    BOLETOKIT_PKCS12_FAILED = 4,
} boletokit_pkcs12_status;

/// Reads a PKCS#12 file, including those encrypted with the legacy algorithms (RC2-40, 3DES) that Windows and
/// older certificate authorities still write. `password` is NUL-terminated UTF-8. On failure, `reason` receives
/// OpenSSL's own explanation (never the password) when there is room.
boletokit_pkcs12_status boletokit_pkcs12_read(const uint8_t *bytes, size_t length, const char *password,
                                              boletokit_pkcs12_contents *contents, char *reason, size_t reason_size);

/// Frees what `boletokit_pkcs12_read` allocated; the key bytes are wiped first.
void boletokit_pkcs12_free(boletokit_pkcs12_contents *contents);

#endif
