package dev.clmlp.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of IDX files (the MNIST format: big-endian magic 0x000008NN with NN dimensions of
 * unsigned bytes, then one int per dimension, then the data), raw or gzipped.
 * <p>
 * It never allocates more than the file can hold: a raw file's header is checked against the
 * file's size before the data is allocated, and a gzipped file's data is read in growing steps,
 * so a header that claims billions of bytes fails at the end of the real data.
 */
public final class Idx {
    /**
     * An unsigned-byte array with its dimensions.
     *
     * @param dims the dimensions, first the number of items
     * @param data the bytes, row-major
     */
    public record Array(int[] dims, byte[] data) {
        /** @return the number of items: the first dimension */
        public int count() { return dims[0]; }

        /** @return the size of an item: the product of the dimensions after the first */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) s *= dims[i];
            return s;
        }
    }

    /** The first allocation for gzipped data, which then doubles up to the size the header claims. */
    static final int FIRST_CHUNK = 1 << 20;

    private Idx() {}

    /**
     * Reads an IDX file of unsigned bytes, raw or gzipped.
     *
     * @param file         the file
     * @param expectedDims the number of dimensions it must have (3 for images, 1 for labels)
     * @return its array
     * @throws IOException when it cannot be read; IdxFormatException naming the file and the problem when malformed
     */
    public static Array read(Path file, int expectedDims) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            boolean gz = b0 == 0x1f && b1 == 0x8b;
            try (DataInputStream in = new DataInputStream(gz ? new GZIPInputStream(raw, 1 << 16) : raw)) {
                return read(in, file.toString(), expectedDims, gz ? -1 : Files.size(file));
            } catch (ZipException e) {
                throw new IdxFormatException(file.toString(), "corrupt gzip data (" + e.getMessage() + ")");
            } catch (EOFException e) {
                throw new IdxFormatException(file.toString(), "truncated gzip stream (" + e.getMessage() + ")");
            }
        }
    }

    /** Reads from in; fileSize is the raw file's size in bytes, or -1 when in is decompressed. */
    static Array read(DataInputStream in, String file, int expectedDims, long fileSize) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated: file ends before the 4-byte magic number");
        }
        int expectedMagic = 0x00000800 | expectedDims;
        if (magic != expectedMagic)
            throw new IdxFormatException(file, String.format("wrong magic number: expected 0x%08X (unsigned bytes, %d dimension%s), found 0x%08X",
                    expectedMagic, expectedDims, expectedDims == 1 ? "" : "s", magic));
        int[] dims = new int[expectedDims];
        long size = 1;
        for (int i = 0; i < expectedDims; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new IdxFormatException(file, "truncated: header ends before dimension " + (i + 1) + " of " + expectedDims);
            }
            if (dims[i] <= 0) throw new IdxFormatException(file, "dimension " + (i + 1) + " is " + dims[i] + ", expected a positive size");
            size *= dims[i];
            if (size > Integer.MAX_VALUE - 8)
                throw new IdxFormatException(file, "dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + " declare more than 2^31 data bytes");
        }
        long header = 4 + 4L * expectedDims;
        if (fileSize >= 0 && size != fileSize - header)
            throw new IdxFormatException(file, (size > fileSize - header ? "truncated: " : "trailing bytes: ") + "expected " + size
                    + " data bytes for dimensions " + Arrays.toString(dims) + ", found " + (fileSize - header));
        byte[] data = readData(in, (int) size);
        if (data.length < size)
            throw new IdxFormatException(file, "truncated: expected " + size + " data bytes for dimensions " + Arrays.toString(dims)
                    + ", found " + data.length);
        if (in.read() != -1)
            throw new IdxFormatException(file, "trailing bytes after the " + size + " data bytes that dimensions "
                    + Arrays.toString(dims) + " declare");
        return new Array(dims, data);
    }

    /** Up to size bytes, in a buffer that grows only as data arrives; shorter if the stream ends first. */
    private static byte[] readData(InputStream in, int size) throws IOException {
        byte[] buf = new byte[Math.min(size, FIRST_CHUNK)];
        int got = 0;
        while (true) {
            got += in.readNBytes(buf, got, buf.length - got);
            if (got < buf.length || buf.length == size) return got == buf.length ? buf : Arrays.copyOf(buf, got);
            buf = Arrays.copyOf(buf, (int) Math.min(size, 2L * buf.length));
        }
    }
}
