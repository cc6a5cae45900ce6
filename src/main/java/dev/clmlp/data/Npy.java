package dev.clmlp.data;

import dev.clmlp.io.DataFileException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * NumPy's {@code .npy} arrays (format versions 1 to 3, little- or big-endian) and {@code .npz}
 * archives of them, as {@code numpy.save}/{@code savez} write them
 * (<a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">the format</a>).
 * Features are float32, float64 or integer arrays of any rank (each example flattened); labels
 * are a 1-D integer array (or n x 1, or floats that are whole numbers).
 *
 * @param where   the file, and the array's name inside an .npz, for messages
 * @param dtype   the descr, e.g. "&lt;f4"
 * @param shape   the dimensions
 * @param fortran whether the data is in column-major order
 * @param data    the elements as stored, in the file's byte order
 */
public record Npy(String where, String dtype, int[] shape, boolean fortran, ByteBuffer data) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiub])(\\d+)'"),
            FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)"),
            SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /**
     * @param file a .npy file
     * @return its array
     * @throws DataFileException when it is not a .npy array of a supported type
     */
    public static Npy read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(file.toString(), in, Files.size(file));
        }
    }

    /**
     * @param file a .npz archive
     * @return its arrays by name (the entry name without ".npy"), in archive order
     * @throws DataFileException when it is not a zip of .npy arrays
     */
    public static Map<String, Npy> readNpz(Path file) throws IOException {
        Map<String, Npy> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.getName().endsWith(".npy")) continue;
                String name = e.getName().substring(0, e.getName().length() - 4);
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name, parse(file + "[" + name + "]", in, e.getSize()));
                }
            }
        } catch (DataFileException e) {
            throw e;
        } catch (java.util.zip.ZipException e) {
            throw new DataFileException(file, "not an .npz archive (a zip of .npy files): " + e.getMessage());
        } catch (IOException e) { // a damaged compressed entry
            throw new DataFileException(file, "damaged .npz archive: " + e);
        }
        if (out.isEmpty()) throw new DataFileException(file, "no .npy arrays in the archive");
        return out;
    }

    private static Npy parse(String where, InputStream in, long size) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC))
            throw new DataFileException(where, "not a NumPy .npy array (expected the magic \\x93NUMPY)");
        int major = magic[6];
        if (major < 1 || major > 3) throw new DataFileException(where, "expected .npy format version 1 to 3, found " + major);
        byte[] len = in.readNBytes(major == 1 ? 2 : 4);
        long headerLen = ByteBuffer.wrap(Arrays.copyOf(len, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (len.length < (major == 1 ? 2 : 4) || headerLen > 1 << 20) throw new DataFileException(where, "truncated or oversized .npy header");
        String header = new String(in.readNBytes((int) headerLen), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find())
            throw new DataFileException(where, "field 'descr': expected a float, integer or unsigned type (f4, f8, i1-i8, u1-u8), found " + brief(header));
        if (!f.find() || !s.find()) throw new DataFileException(where, "header without 'fortran_order' or 'shape': " + brief(header));
        char kind = d.group(2).charAt(0);
        int bytes = Integer.parseInt(d.group(3));
        boolean ok = kind == 'f' ? bytes == 4 || bytes == 8 : kind == 'b' ? bytes == 1 : bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8;
        String dtype = d.group(1) + d.group(2) + d.group(3);
        if (!ok) throw new DataFileException(where, "field 'descr': expected f4, f8, i1-i8 or u1-u8, found '" + dtype + "'");
        int[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty()).mapToInt(t -> {
            try { return Integer.parseInt(t); } catch (NumberFormatException e) { return -1; }
        }).toArray();
        long count = 1;
        for (int dim : shape) {
            if (dim < 0) throw new DataFileException(where, "field 'shape': expected non-negative dimensions, found (" + s.group(1) + ")");
            count *= dim;
            if (count > Integer.MAX_VALUE - 8) throw new DataFileException(where, "shape (" + s.group(1) + ") has more than 2^31 elements");
        }
        long data = count * bytes, available = size - 8 - len.length - headerLen;
        if (size >= 0 && available != data)
            throw new DataFileException(where, (available < data ? "truncated" : "trailing bytes") + ": expected " + data
                    + " data bytes for shape (" + s.group(1) + ") of " + dtype + ", found " + available);
        Runtime rt = Runtime.getRuntime();
        long needed = data + count * 4, left = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()); // the bytes, then the float features
        if (needed > left)
            throw new DataFileException(where, String.format(java.util.Locale.ROOT, "shape (%s) of %s needs %,d MB, more than the %,d MB left of the Java heap:"
                    + " give Java more (CLMLP_JAVA_OPTS=-Xmx8g ./clmlp ...) or use a smaller file", s.group(1), dtype, needed >> 20, left >> 20));
        byte[] raw = in.readNBytes((int) data);
        if (raw.length != data) throw new DataFileException(where, "truncated: expected " + data + " data bytes, found " + raw.length);
        ByteBuffer b = ByteBuffer.wrap(raw).order(d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return new Npy(where, dtype, shape, f.group(1).equals("True") && shape.length > 1, b);
    }

    /** @return the number of elements */
    public int size() { return data.capacity() / itemSize(); }

    /** @return the bytes of one element: the digits of the descr after its byte order and kind */
    private int itemSize() { return Integer.parseInt(dtype.substring(2)); }

    /**
     * @param i an index in C (row-major) order
     * @return that element, as a double (exact for every supported type, int64 up to 2^53)
     */
    public double element(int i) { return element(i, dtype.charAt(1), itemSize(), size()); }

    /** {@link #element(int)} with the type and size taken once by a loop over all elements. */
    private double element(int i, char kind, int bytes, int count) {
        int at = (fortran ? fortranIndex(i, count) : i) * bytes;
        return switch (kind) {
            case 'f' -> bytes == 4 ? data.getFloat(at) : data.getDouble(at);
            case 'u' -> bytes == 1 ? data.get(at) & 0xFF : bytes == 2 ? data.getShort(at) & 0xFFFF
                    : bytes == 4 ? data.getInt(at) & 0xFFFFFFFFL : unsigned(data.getLong(at));
            case 'b' -> data.get(at);
            default -> bytes == 1 ? data.get(at) : bytes == 2 ? data.getShort(at) : bytes == 4 ? data.getInt(at) : data.getLong(at);
        };
    }

    private static double unsigned(long x) { return x >= 0 ? x : (x >>> 1) * 2.0; }

    /** The position in column-major storage of the element at row-major index c, of count elements. */
    private int fortranIndex(int c, int count) {
        int f = 0, stride = count; // stride of dimension k in column-major order: the product of the dimensions before it
        for (int k = shape.length - 1; k >= 0; k--) {
            stride /= shape[k];
            f += c % shape[k] * stride;
            c /= shape[k];
        }
        return f;
    }

    /** @return the number of examples: the first dimension */
    public int rows() { return shape.length == 0 ? 1 : shape[0]; }

    /**
     * @return each example's features, flattened, row-major
     * @throws DataFileException for a NaN or infinite element, or a scalar
     */
    public float[] features() throws DataFileException {
        if (shape.length == 0) throw new DataFileException(where, "expected an array of examples, found a scalar");
        int width = width(), bytes = itemSize();
        char kind = dtype.charAt(1);
        float[] x = new float[size()];
        for (int i = 0; i < x.length; i++) {
            double v = element(i, kind, bytes, x.length);
            x[i] = (float) v;
            if (!Float.isFinite(x[i]))
                throw new DataFileException(where, "example " + i / Math.max(1, width) + ", feature " + i % Math.max(1, width)
                        + ": expected a finite number, found " + v);
        }
        return x;
    }

    /** @return the number of features per example: the product of the dimensions after the first */
    public int width() {
        int w = 1;
        for (int k = 1; k < shape.length; k++) w *= shape[k];
        return w;
    }

    /**
     * @param classes labels must stay below this, or 0 for no bound
     * @return the class of each example
     * @throws DataFileException for a shape other than (n) or (n, 1), or a label that is not a class
     */
    public int[] labels(int classes) throws DataFileException {
        if (shape.length != 1 && !(shape.length == 2 && shape[1] == 1))
            throw new DataFileException(where, "labels: expected shape (n,) or (n, 1), found " + Arrays.toString(shape));
        int[] y = new int[size()];
        int bytes = itemSize();
        char kind = dtype.charAt(1);
        for (int i = 0; i < y.length; i++) {
            double v = element(i, kind, bytes, y.length);
            try {
                y[i] = Dataset.classOf(v, classes, Double.toString(v));
            } catch (IllegalArgumentException e) {
                throw new DataFileException(where, "example " + i + ": " + e.getMessage());
            }
        }
        return y;
    }

    /**
     * @param features the features array
     * @param labels   the labels array, or null for unlabeled data
     * @param classes  labels must stay below this, or 0 to take one more than the largest
     * @param name     the dataset's name
     * @return the dataset
     * @throws DataFileException when the two disagree on the number of examples, or either is malformed
     */
    public static Dataset dataset(Npy features, Npy labels, int classes, String name) throws DataFileException {
        float[] x = features.features();
        if (labels == null) return Dataset.unlabeled(name, x, features.rows(), features.width());
        int[] y = labels.labels(classes);
        if (y.length != features.rows())
            throw new DataFileException(labels.where, y.length + " labels, expected one per example of " + features.where + " (" + features.rows() + ")");
        int k = classes > 0 ? classes : Arrays.stream(y).max().orElse(0) + 1;
        return Dataset.ofFloats(name, x, features.rows(), features.width(), y, k);
    }

    /**
     * The datasets in an .npz archive: arrays {@code x} and {@code y}, or {@code x_train},
     * {@code y_train} and, if present, {@code x_test}, {@code y_test} (Keras' mnist.npz layout).
     *
     * @param file    the archive
     * @param classes labels must stay below this, or 0 to take one more than the largest (over both parts)
     * @return the training part, and the test part as validation (null when the archive has none)
     * @throws DataFileException when the archive holds neither layout
     */
    public static Dataset.Split npz(Path file, int classes) throws IOException {
        Map<String, Npy> a = readNpz(file);
        String name = file.getFileName().toString();
        if (a.containsKey("x") && a.containsKey("y")) return new Dataset.Split(dataset(a.get("x"), a.get("y"), classes, name), null);
        if (a.containsKey("x_train") && a.containsKey("y_train")) {
            int k = classes;
            if (k == 0) { // the same classes in both parts
                k = Arrays.stream(a.get("y_train").labels(0)).max().orElse(0) + 1;
                if (a.containsKey("y_test")) k = Math.max(k, Arrays.stream(a.get("y_test").labels(0)).max().orElse(0) + 1);
            }
            Dataset train = dataset(a.get("x_train"), a.get("y_train"), k, name + " (train)");
            Dataset test = a.containsKey("x_test") && a.containsKey("y_test") ? dataset(a.get("x_test"), a.get("y_test"), k, name + " (test)") : null;
            return new Dataset.Split(train, test);
        }
        throw new DataFileException(file, "expected arrays 'x' and 'y', or 'x_train' and 'y_train', found " + a.keySet());
    }

    private static String brief(String s) { return s.length() <= 80 ? s.strip() : s.substring(0, 80) + "..."; }
}
