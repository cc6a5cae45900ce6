// Philox4x32-10 counter-based RNG; the Java twin is dev.clmlp.tensor.Philox.
// Element `index` of stream (seed, step) uses word index%4 of the block at counter
// (index/4, 0, step_lo, step_hi) under key (seed_lo, seed_hi).
// needs: nothing

// Philox4x32's ten rounds, in place, on the words x, y, z, w of type T (uint, or a vector of
// uint with one block per lane) under the key k: written once for the scalar and the SIMD form.
#define PHILOX4X32_10(T, x, y, z, w, k) \
    for (int round_ = 0; round_ < 10; round_++) { \
        const T hi0 = mul_hi((T)(0xD2511F53u), x), lo0 = (T)(0xD2511F53u) * x; \
        const T hi1 = mul_hi((T)(0xCD9E8D57u), z), lo1 = (T)(0xCD9E8D57u) * z; \
        x = hi1 ^ y ^ (T)(k.x); y = lo1; z = hi0 ^ w ^ (T)(k.y); w = lo0; \
        k += (uint2)(0x9E3779B9u, 0xBB67AE85u); \
    }

uint4 philox4x32_10(uint4 c, uint2 k) {
    uint x = c.x, y = c.y, z = c.z, w = c.w;
    PHILOX4X32_10(uint, x, y, z, w, k)
    return (uint4)(x, y, z, w);
}

// The four uniforms in [0, 1) of block `block` of stream (seed, step): elements 4*block .. 4*block+3.
float4 philox_uniform4(uint seed_lo, uint seed_hi, uint step_lo, uint step_hi, uint block) {
    uint4 w = philox4x32_10((uint4)(block, 0u, step_lo, step_hi), (uint2)(seed_lo, seed_hi));
    return convert_float4(w >> 8) * 0x1.0p-24f;
}

// The same for the 8 blocks block .. block+7 at once, one per vector lane (SIMD on CPU devices):
// u[4*q + w] = word w of block block+q, so u[e - 4*block] is element e's uniform.
void philox_uniforms32(uint seed_lo, uint seed_hi, uint step_lo, uint step_hi, uint block, float* u) {
    uint8 x = (uint8)(block) + (uint8)(0, 1, 2, 3, 4, 5, 6, 7), y = (uint8)(0u), z = (uint8)(step_lo), w = (uint8)(step_hi);
    uint2 k = (uint2)(seed_lo, seed_hi);
    PHILOX4X32_10(uint8, x, y, z, w, k)
    const float8 f0 = convert_float8(x >> 8) * 0x1.0p-24f, f1 = convert_float8(y >> 8) * 0x1.0p-24f;
    const float8 f2 = convert_float8(z >> 8) * 0x1.0p-24f, f3 = convert_float8(w >> 8) * 0x1.0p-24f;
    vstore16((float16)(f0.s0, f1.s0, f2.s0, f3.s0, f0.s1, f1.s1, f2.s1, f3.s1,
                       f0.s2, f1.s2, f2.s2, f3.s2, f0.s3, f1.s3, f2.s3, f3.s3), 0, u);
    vstore16((float16)(f0.s4, f1.s4, f2.s4, f3.s4, f0.s5, f1.s5, f2.s5, f3.s5,
                       f0.s6, f1.s6, f2.s6, f3.s6, f0.s7, f1.s7, f2.s7, f3.s7), 0, u + 16);
}

float philox_word(const float4 u, const uint lane) {
    return lane == 0 ? u.x : lane == 1 ? u.y : lane == 2 ? u.z : u.w;
}

// Inverted dropout's factor for a uniform u: scale, or 0 with probability rate. Every kernel that
// drops (dropout, and the GEMMs' fused dropout) decides with this, so their masks agree.
float dropout_factor(const float u, const float rate, const float scale) {
    return u >= rate ? scale : 0.0f;
}

// The factor for element e of stream (seed, step).
float dropout_keep(const uint seed_lo, const uint seed_hi, const uint step_lo, const uint step_hi,
                   const float rate, const float scale, const uint e) {
    return dropout_factor(philox_word(philox_uniform4(seed_lo, seed_hi, step_lo, step_hi, e / 4), e % 4), rate, scale);
}
