package dev.clmlp.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of IDX files (the MNIST format: big-endian magic 0x000008NN with NN dimensions of
 * unsigned bytes, then one int per dimension, then the data), raw or gzipped.
 */
public final class Idx {
    /** An unsigned-byte array with its dimensions. */
    public record Array(int[] dims, byte[] data) {
        public int count() { return dims[0]; }

        /** Product of the dimensions after the first. */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) s *= dims[i];
            return s;
        }
    }

    private Idx() {}

    /** Reads an IDX file of unsigned bytes with the expected number of dimensions. */
    public static Array read(Path file, int expectedDims) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            boolean gz = b0 == 0x1f && b1 == 0x8b;
            try (DataInputStream in = new DataInputStream(gz ? new GZIPInputStream(raw, 1 << 16) : raw)) {
                return read(in, file.toString(), expectedDims);
            } catch (java.util.zip.ZipException e) {
                throw new IdxFormatException(file + ": corrupt gzip data (" + e.getMessage() + ")");
            }
        }
    }

    static Array read(DataInputStream in, String file, int expectedDims) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file + ": truncated: file ends before the 4-byte magic number");
        }
        int expectedMagic = 0x00000800 | expectedDims;
        if (magic != expectedMagic)
            throw new IdxFormatException(String.format("%s: wrong magic number: expected 0x%08X (unsigned bytes, %d dimension%s), found 0x%08X",
                    file, expectedMagic, expectedDims, expectedDims == 1 ? "" : "s", magic));
        int[] dims = new int[expectedDims];
        long size = 1;
        for (int i = 0; i < expectedDims; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new IdxFormatException(file + ": truncated: header ends before dimension " + (i + 1) + " of " + expectedDims);
            }
            if (dims[i] <= 0) throw new IdxFormatException(file + ": dimension " + (i + 1) + " is " + dims[i] + ", expected a positive size");
            size *= dims[i];
        }
        if (size > Integer.MAX_VALUE - 8) throw new IdxFormatException(file + ": " + size + " bytes of data is too large");
        byte[] data = new byte[(int) size];
        int got = in.readNBytes(data, 0, data.length);
        if (got < data.length)
            throw new IdxFormatException(file + ": truncated: expected " + data.length + " data bytes for dimensions "
                    + java.util.Arrays.toString(dims) + ", found " + got);
        if (in.read() != -1)
            throw new IdxFormatException(file + ": trailing bytes after the " + data.length + " data bytes that dimensions "
                    + java.util.Arrays.toString(dims) + " declare");
        return new Array(dims, data);
    }
}
