package dev.clmlp.data;

import dev.clmlp.io.AtomicFiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * MNIST and Fashion-MNIST: the four IDX files, found in this order in the directory the user
 * gives, in the directory named by an environment variable (MNIST_DIR, FASHION_MNIST_DIR), or in
 * the cache (cache dir/datasets/NAME), where they are downloaded on first use and verified.
 */
public final class Mnist {
    /** The standard file names (without .gz). */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte", TRAIN_LABELS = "train-labels-idx1-ubyte",
            TEST_IMAGES = "t10k-images-idx3-ubyte", TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final String[] FILES = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};

    /**
     * The train and test splits.
     *
     * @param train the 60,000 training examples
     * @param test  the 10,000 test examples
     */
    public record Split(Dataset train, Dataset test) {}

    /**
     * A dataset in the MNIST format and where to get it. A checksum is "SHA-256 of the
     * decompressed file" (MNIST: the same whatever the mirror) or "MD5 of the .gz file"
     * (Fashion-MNIST publishes only that, for its single source).
     *
     * @param name                 "mnist" or "fashion-mnist"
     * @param envVar               the environment variable naming a directory that holds the files
     * @param mirrors              base URLs, tried in order
     * @param digest               "SHA-256" or "MD5"
     * @param digestOfDecompressed whether the checksums are of the decompressed files
     * @param checksums            per file name, the hex digest
     */
    public record Variant(String name, String envVar, List<String> mirrors, String digest, boolean digestOfDecompressed,
                          Map<String, String> checksums) {
        /** MNIST, from the public mirrors, checked against the SHA-256 of the decompressed files. */
        public static final Variant MNIST = new Variant("mnist", "MNIST_DIR",
                List.of("https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/",
                        "https://yann.lecun.com/exdb/mnist/"),
                "SHA-256", true, Map.of(
                        TRAIN_IMAGES, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                        TRAIN_LABELS, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                        TEST_IMAGES, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                        TEST_LABELS, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"));
        /** Fashion-MNIST, from its one source, checked against the MD5 of the .gz files. */
        public static final Variant FASHION = new Variant("fashion-mnist", "FASHION_MNIST_DIR",
                List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                "MD5", false, Map.of(
                        TRAIN_IMAGES, "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                        TRAIN_LABELS, "25c81989df183df01b3e8a0aad5dffbe",
                        TEST_IMAGES, "bef4ecab320f06d8554ea6380940ec79",
                        TEST_LABELS, "bb300cfdad3c16e7a12a480ee83cd310"));

        /**
         * @param name "mnist", "fashion" or "fashion-mnist", in any case
         * @return the variant
         */
        public static Variant named(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("mnist")) return MNIST;
            if (n.equals("fashion") || n.equals("fashion-mnist")) return FASHION;
            throw new IllegalArgumentException("unknown dataset '" + name + "': expected mnist or fashion-mnist");
        }

        /**
         * @param urls other base URLs (tests serve files from localhost)
         * @return the same variant fetched from them
         */
        public Variant withMirrors(List<String> urls) {
            return new Variant(name, envVar, urls, digest, digestOfDecompressed, checksums);
        }
    }

    private Mnist() {}

    /**
     * Locates (downloading if needed) and reads the variant's files.
     *
     * @param v       the dataset
     * @param userDir a directory the user gave (--data), or null
     * @param log     receives progress lines (downloads)
     * @return both splits
     * @throws IOException when a file cannot be read or downloaded; DataFileException when one is malformed
     */
    public static Split load(Variant v, Path userDir, Consumer<String> log) throws IOException {
        return read(locate(v, userDir, log));
    }

    /**
     * @param v       the dataset
     * @param userDir a directory the user gave (--data), or null
     * @param log     receives progress lines (downloads)
     * @return the directory holding the four files: userDir, $ENV, or the cache (downloaded into if incomplete)
     * @throws IOException when the files cannot be downloaded
     */
    public static Path locate(Variant v, Path userDir, Consumer<String> log) throws IOException {
        if (userDir != null) return requireComplete(userDir, "--data " + userDir);
        String env = System.getenv(v.envVar());
        if (env != null && !env.isBlank()) return requireComplete(Path.of(env), "$" + v.envVar() + "=" + env);
        Path cache = AtomicFiles.cacheDir().resolve("datasets").resolve(v.name());
        if (missing(cache).isEmpty()) return cache;
        download(v, cache, log);
        return cache;
    }

    private static Path requireComplete(Path dir, String origin) {
        List<String> missing = missing(dir);
        if (!missing.isEmpty())
            throw new IllegalArgumentException(origin + ": missing " + String.join(", ", missing)
                    + " (raw or .gz IDX files)");
        return dir;
    }

    private static List<String> missing(Path dir) {
        List<String> out = new ArrayList<>();
        for (String f : FILES) if (find(dir, f) == null) out.add(f);
        return out;
    }

    /** dir/name or dir/name.gz, whichever exists. */
    static Path find(Path dir, String name) {
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /**
     * Reads the four files of a directory, checking that images and labels agree.
     *
     * @param dir a directory holding the four files, raw or .gz
     * @return both splits
     * @throws IOException when a file cannot be read; DataFileException when one is malformed
     */
    public static Split read(Path dir) throws IOException {
        return new Split(read(dir, TRAIN_IMAGES, TRAIN_LABELS, "train"), read(dir, TEST_IMAGES, TEST_LABELS, "test"));
    }

    private static Dataset read(Path dir, String imagesName, String labelsName, String split) throws IOException {
        Path imagesFile = find(dir, imagesName), labelsFile = find(dir, labelsName);
        if (imagesFile == null || labelsFile == null)
            throw new IllegalArgumentException(dir + ": missing " + (imagesFile == null ? imagesName : labelsName));
        Idx.Array images = Idx.read(imagesFile, 3), labels = Idx.read(labelsFile, 1);
        if (images.count() != labels.count())
            throw new IdxFormatException(labelsFile.toString(), "has " + labels.count() + " labels, but " + imagesFile + " has "
                    + images.count() + " images: expected one label per image");
        int[] l = new int[labels.count()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.data()[i] & 0xFF;
            if (l[i] > 9) throw new IdxFormatException(labelsFile.toString(), "label of item " + i + " is " + l[i] + ", expected 0..9");
        }
        return Dataset.ofPixels(dir.getFileName() + "/" + split, images.data(), images.count(), images.itemSize(), l, 10);
    }

    /** Downloads each missing file from the first mirror that serves it with the right checksum. */
    static void download(Variant v, Path cache, Consumer<String> log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        for (String file : missing(cache)) {
            List<String> failures = new ArrayList<>();
            boolean done = false;
            for (String mirror : v.mirrors()) {
                String url = mirror + file + ".gz";
                try {
                    log.accept("downloading " + url);
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 200) { failures.add(url + ": HTTP " + r.statusCode()); continue; }
                    String actual = digest(v, r.body());
                    String expected = v.checksums().get(file);
                    if (!actual.equals(expected)) {
                        failures.add(url + ": " + v.digest() + (v.digestOfDecompressed() ? " of the decompressed file" : "")
                                + " is " + actual + ", expected " + expected);
                        continue;
                    }
                    AtomicFiles.write(cache.resolve(file + ".gz"), r.body());
                    done = true;
                    break;
                } catch (IOException e) {
                    failures.add(url + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("download interrupted", e);
                }
            }
            if (!done)
                throw new IOException("could not download " + file + " (" + v.name() + "):\n  " + String.join("\n  ", failures)
                        + "\nIf this machine is offline, copy the four files (" + String.join(", ", FILES)
                        + ", raw or .gz) into " + cache + ", or pass --data DIR, or set " + v.envVar() + ".");
        }
    }

    static String digest(Variant v, byte[] gz) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance(v.digest());
            if (!v.digestOfDecompressed()) return HexFormat.of().formatHex(md.digest(gz));
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            } catch (java.util.zip.ZipException e) {
                return "(not gzip: " + e.getMessage() + ")";
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
