#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has the SHA extensions (and SSSE3 and SSE4.1) that
/// `gk_sha256_blocks_accelerated` needs. Always 0 off x86-64.
int gk_sha256_accelerated(void);

/// The 64 round constants of FIPS 180-4 (one table for both the accelerated and the
/// portable rounds).
const uint32_t *gk_sha256_round_constants(void);

/// Compresses `count` whole 64-byte blocks at `data` into `state` (eight words, FIPS 180-4
/// order) with the SHA extensions. Call only when `gk_sha256_accelerated()` is 1.
void gk_sha256_blocks_accelerated(uint32_t state[8], const uint8_t *data, size_t count);

#endif
