package dev.skci.trace.hash;

/**
 * SipHash-1-3 with two zero keys: what Rust's {@code DefaultHasher::new()} computes, and so what SimKube
 * uses for index and pod-spec hashes. Streaming: only the concatenated bytes matter, not the call
 * boundaries, exactly like Rust's {@code Hasher}. Not SipHash-2-4.
 */
public final class SipHash13 {
    private long v0 = 0x736f6d6570736575L;
    private long v1 = 0x646f72616e646f6dL;
    private long v2 = 0x6c7967656e657261L;
    private long v3 = 0x7465646279746573L;
    private long tail; // pending bytes, little-endian
    private int ntail; // how many bytes are pending (0..7)
    private long length;

    public SipHash13 write(byte b) {
        tail |= (b & 0xffL) << (8 * ntail);
        length++;
        if (++ntail == 8) {
            absorb(tail);
            tail = 0;
            ntail = 0;
        }
        return this;
    }

    public SipHash13 write(byte[] bytes) {
        return write(bytes, 0, bytes.length);
    }

    public SipHash13 write(byte[] bytes, int off, int len) {
        int i = off;
        int end = off + len;
        while (ntail != 0 && i < end) {
            write(bytes[i++]);
        }
        while (end - i >= 8) {
            long m = (bytes[i] & 0xffL)
                    | (bytes[i + 1] & 0xffL) << 8
                    | (bytes[i + 2] & 0xffL) << 16
                    | (bytes[i + 3] & 0xffL) << 24
                    | (bytes[i + 4] & 0xffL) << 32
                    | (bytes[i + 5] & 0xffL) << 40
                    | (bytes[i + 6] & 0xffL) << 48
                    | (bytes[i + 7] & 0xffL) << 56;
            absorb(m);
            length += 8;
            i += 8;
        }
        while (i < end) {
            write(bytes[i++]);
        }
        return this;
    }

    /** Eight bytes, little-endian: how Rust hashes a u64, i64 or f64 bit pattern. */
    public SipHash13 writeLong(long v) {
        if (ntail == 0) {
            absorb(v);
            length += 8;
            return this;
        }
        for (int i = 0; i < 8; i++) {
            write((byte) (v >>> (8 * i)));
        }
        return this;
    }

    private void absorb(long m) {
        v3 ^= m;
        round();
        v0 ^= m;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }

    /** The 64-bit result (unsigned, in a long's bits). Does not change the state. */
    public long finish() {
        long s0 = v0, s1 = v1, s2 = v2, s3 = v3;
        long b = ((length & 0xff) << 56) | tail;
        v3 ^= b;
        round();
        v0 ^= b;
        v2 ^= 0xff;
        round();
        round();
        round();
        long h = v0 ^ v1 ^ v2 ^ v3;
        v0 = s0;
        v1 = s1;
        v2 = s2;
        v3 = s3;
        return h;
    }
}
