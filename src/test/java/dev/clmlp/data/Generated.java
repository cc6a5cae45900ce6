package dev.clmlp.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small generated data for tests: learnable "digit" images and IDX files of them. */
public final class Generated {
    private Generated() {}

    /** n images of side x side pixels in 10 classes: a class-specific blob of strokes plus noise. */
    public static Dataset digits(int n, int side, long seed) {
        Random r = new Random(seed);
        int d = side * side;
        byte[] px = new byte[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(10);
            labels[i] = c;
            for (int p = 0; p < d; p++) {
                int row = p / side, col = p % side;
                boolean on = (row * 10 / side == c) || (col * 10 / side == (c * 3) % 10); // a class-specific cross
                int v = (on ? 200 : 0) + r.nextInt(56);
                px[i * d + p] = (byte) Math.min(255, v);
            }
        }
        return Dataset.ofPixels("generated", px, n, d, labels, 10);
    }

    /** IDX bytes of images (n x side x side) or labels (n). */
    public static byte[] idx(Dataset data, boolean images) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        int side = (int) Math.round(Math.sqrt(data.features()));
        out.writeInt(images ? 0x00000803 : 0x00000801);
        out.writeInt(data.rows());
        if (images) {
            out.writeInt(side);
            out.writeInt(side);
            for (int i = 0; i < data.rows(); i++) for (float v : data.example(i)) out.writeByte(Math.round(v * 255));
        } else {
            for (int i = 0; i < data.rows(); i++) out.writeByte(data.label(i));
        }
        out.flush();
        return bytes.toByteArray();
    }

    public static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) { gz.write(raw); }
        return bytes.toByteArray();
    }

    /** Writes the four MNIST files (gzipped) of generated train and test sets into dir. */
    public static Path mnistDir(Path dir, int train, int test) throws IOException {
        Dataset tr = digits(train, 28, 1), te = digits(test, 28, 2);
        Files.createDirectories(dir);
        Files.write(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"), gzip(idx(tr, true)));
        Files.write(dir.resolve(Mnist.TRAIN_LABELS + ".gz"), gzip(idx(tr, false)));
        Files.write(dir.resolve(Mnist.TEST_IMAGES + ".gz"), gzip(idx(te, true)));
        Files.write(dir.resolve(Mnist.TEST_LABELS + ".gz"), gzip(idx(te, false)));
        return dir;
    }

    /** The real MNIST directory when $MNIST_DIR names one (CI sets it), else null. */
    public static Path realMnist() {
        String env = System.getenv("MNIST_DIR");
        return env != null && Files.isDirectory(Path.of(env)) ? Path.of(env) : null;
    }

    /** A version-1 .npy as numpy lays it out: magic, version, header padded to 64 bytes, then the data as given. */
    public static byte[] npy(String descr, String shape, byte[] data) {
        String h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        h += " ".repeat(63 - (10 + h.length()) % 64) + "\n";
        byte[] head = h.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + head.length + data.length];
        System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) head.length, (byte) (head.length >> 8)}, 0, out, 0, 10);
        System.arraycopy(head, 0, out, 10, head.length);
        System.arraycopy(data, 0, out, 10 + head.length, data.length);
        return out;
    }

    /** An .npz archive (stored or deflated, as np.savez / savez_compressed write) of the named .npy files. */
    public static byte[] npz(java.util.Map<String, byte[]> arrays, boolean compressed) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.setLevel(compressed ? 6 : 0);
            for (var e : arrays.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey() + ".npy"));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
