package dev.clmlp.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {
    @TempDir Path dir;

    static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should contain '" + p + "'");
    }

    @Test
    void readsRawAndGzippedFilesAlike() throws IOException {
        Dataset d = Generated.digits(7, 28, 3);
        byte[] raw = Generated.idx(d, true);
        Files.write(dir.resolve("raw"), raw);
        Files.write(dir.resolve("gz"), Generated.gzip(raw));
        Idx.Array a = Idx.read(dir.resolve("raw"), 3), b = Idx.read(dir.resolve("gz"), 3);
        assertArrayEquals(new int[] {7, 28, 28}, a.dims());
        assertArrayEquals(a.data(), b.data());
        assertEquals(784, a.itemSize());
        assertEquals(Math.round(d.example(6)[100] * 255), a.data()[6 * 784 + 100] & 0xFF);
    }

    @Test
    void wrongMagicNamesFileExpectedAndFound() throws IOException {
        byte[] labels = Generated.idx(Generated.digits(3, 28, 1), false);
        Path f = dir.resolve("labels");
        Files.write(f, labels);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f, 3));
        assertMessage(e, f.toString(), "wrong magic number", "0x00000803", "0x00000801");
    }

    @Test
    void truncatedHeaderAndDataAreReported() throws IOException {
        byte[] raw = Generated.idx(Generated.digits(3, 28, 1), true);
        Path f = dir.resolve("short");
        Files.write(f, Arrays.copyOf(raw, raw.length - 10));
        assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(f, 3)), "truncated", "expected 2352 data bytes", "found 2342");
        Files.write(f, Arrays.copyOf(raw, 9));
        assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(f, 3)), "truncated", "dimension 2 of 3");
        Files.write(f, new byte[2]);
        assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(f, 3)), "truncated", "magic");
        Files.write(f, Generated.gzip(Arrays.copyOf(raw, raw.length - 1)));
        assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(f, 3)), "truncated");
    }

    @Test
    void trailingBytesZeroDimensionsAndCorruptGzipAreReported() throws IOException {
        byte[] raw = Generated.idx(Generated.digits(2, 28, 1), true);
        Path f = dir.resolve("bad");
        Files.write(f, Arrays.copyOf(raw, raw.length + 3));
        assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(f, 3)), "trailing bytes");
        byte[] zero = raw.clone();
        zero[7] = 0; // count = 0
        Files.write(f, zero);
        assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(f, 3)), "dimension 1 is 0");
        byte[] gz = Generated.gzip(raw);
        gz[gz.length / 2] ^= 0x55;
        Files.write(f, gz);
        Throwable e = assertThrows(Exception.class, () -> Idx.read(f, 3));
        assertTrue(e instanceof IdxFormatException || e instanceof IOException, e.toString());
        assertMessage(e, f.toString());
    }

    /** Bytes this thread allocated while running r (HotSpot's per-thread counter). */
    static long allocatedBy(org.junit.jupiter.api.function.Executable r) {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        try {
            r.execute();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    }

    /** A header claiming 2,000,000 images (1.5 GB) over two real ones: an error, and no allocation near the claim. */
    @Test
    void aHeaderClaimingMoreThanTheFileHoldsAllocatesNoMoreThanTheFile() throws IOException {
        byte[] raw = Generated.idx(Generated.digits(2, 28, 1), true);
        java.nio.ByteBuffer.wrap(raw).putInt(4, 2_000_000);
        Path plain = dir.resolve("claims-raw"), gz = dir.resolve("claims-gz");
        Files.write(plain, raw);
        Files.write(gz, Generated.gzip(raw));
        for (Path f : new Path[] {plain, gz}) {
            long bytes = allocatedBy(() -> assertMessage(assertThrows(IdxFormatException.class, () -> Idx.read(f, 3)),
                    f.toString(), "truncated", "expected 1568000000 data bytes", "found 1568"));
            assertTrue(bytes < 16L << 20, f.getFileName() + ": allocated " + bytes + " bytes reading a file of " + Files.size(f));
        }
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Generated.mnistDir(dir, 20, 10);
        Files.write(dir.resolve(Mnist.TEST_LABELS + ".gz"), Generated.gzip(Generated.idx(Generated.digits(9, 28, 5), false)));
        assertMessage(assertThrows(IdxFormatException.class, () -> Mnist.read(dir)), "has 10 images", "has 9 labels", Mnist.TEST_LABELS);
    }

    @Test
    void realMnistHasTheStandardCountsWhenPresent() throws IOException {
        Path real = Generated.realMnist();
        org.junit.jupiter.api.Assumptions.assumeTrue(real != null, "MNIST_DIR not set");
        Mnist.Split s = Mnist.read(real);
        assertEquals(60000, s.train().rows());
        assertEquals(10000, s.test().rows());
        assertEquals(784, s.train().features());
        int[] counts = new int[10];
        for (int l : s.test().labels()) counts[l]++;
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts);
    }
}
