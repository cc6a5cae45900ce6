package dev.clmlp.data;

import dev.clmlp.io.DataFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .npy and .npz as numpy 2.4 wrote them (the bytes below come from np.save / np.savez_compressed), and each malformed file named. */
class NpyTest {
    @TempDir Path tmp;

    // np.save(np.asfortranarray(np.array([[1,2,3],[4,5,6]], dtype='>f8')))
    static final String FORTRAN_BIG_ENDIAN_F8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/8AAAAAAAAEAQAAAAAAAAQAAAAAAAAABAFAAAAAAAAEAIAAAAAAAAQBgAAAAAAAA=";
    // np.save(np.array([[[1,2],[3,4]],[[5,6],[7,255]]], dtype=np.uint8))
    static final String U1_RANK3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAgMEBQYH/w==";
    // np.save(np.array([2,0,1], dtype=np.int64))
    static final String I8_LABELS = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoCAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAA=";
    // np.savez_compressed(x_train=arange(6, f4).reshape(3,2), y_train=[0,1,1] (u1), x_test=[[9,9]] (f4), y_test=[2])
    static final String KERAS_LAYOUT_NPZ = "UEsDBC0AAAAIAAAAIQDMypy9//////////8LABQAeF90cmFpbi5ucHkBABAAmAAAAAAAAABVAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GsY6CkaaOgq1CmQDLgYwaLAHEg5ABMQNQLzAAQBQSwMELQAAAAgAAAAhAPK7b3X//////////wsAFAB5X3RyYWluLm5weQEAEACDAAAAAAAAAEcAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgXlNqqK6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaxjqaOgq1ChQALgZGRgBQSwMELQAAAAgAAAAhAJssBIz//////////woAFAB4X3Rlc3QubnB5AQAQAIgAAAAAAAAATAAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBuk2airqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RqGOgpGmjoKtQpkAy4GBgFHEAYAUEsDBC0AAAAIAAAAIQDdnZvQ//////////8KABQAeV90ZXN0Lm5weQEAEACIAAAAAAAAAEgAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNpoa6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkahjqaOgq1ChQALiYGCAAAUEsBAi0DLQAAAAgAAAAhAMzKnL1VAAAAmAAAAAsAAAAAAAAAAAAAAIABAAAAAHhfdHJhaW4ubnB5UEsBAi0DLQAAAAgAAAAhAPK7b3VHAAAAgwAAAAsAAAAAAAAAAAAAAIABkgAAAHlfdHJhaW4ubnB5UEsBAi0DLQAAAAgAAAAhAJssBIxMAAAAiAAAAAoAAAAAAAAAAAAAAIABFgEAAHhfdGVzdC5ucHlQSwECLQMtAAAACAAAACEA3Z2b0EgAAACIAAAACgAAAAAAAAAAAAAAgAGeAQAAeV90ZXN0Lm5weVBLBQYAAAAABAAEAOIAAAAiAgAAAAA=";

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path file(String name, String base64) throws IOException { return file(name, Base64.getDecoder().decode(base64)); }

    @Test
    void readsFortranOrderBigEndianDoublesInRowMajorOrder() throws IOException {
        Npy a = Npy.read(file("f.npy", FORTRAN_BIG_ENDIAN_F8));
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.features());
    }

    // np.save(np.asfortranarray(np.arange(24, dtype=np.float32).reshape(2, 3, 4)))
    static final String FORTRAN_RANK3_F4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgNCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQQAAgEAAAIBBAAAAQQAAoEEAAIA/AABQQQAAoEAAAIhBAAAQQQAAqEEAAABAAABgQQAAwEAAAJBBAAAgQQAAsEEAAEBAAABwQQAA4EAAAJhBAAAwQQAAuEE=";

    @Test
    void readsARank3FortranArrayInRowMajorOrder() throws IOException {
        Npy a = Npy.read(file("f3.npy", FORTRAN_RANK3_F4));
        assertArrayEquals(new int[] {2, 3, 4}, a.shape());
        float[] x = a.features();
        for (int i = 0; i < 24; i++) assertEquals(i, x[i], "element " + i);
    }

    @Test
    void flattensEachExampleOfAHigherRankArray() throws IOException {
        Npy a = Npy.read(file("u.npy", U1_RANK3));
        assertEquals(2, a.rows());
        assertEquals(4, a.width());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 255}, a.features());
        Dataset d = Npy.dataset(a, Npy.read(file("y.npy", Generated.npy("|u1", "(2,)", new byte[] {1, 0}))), 0, "d");
        assertArrayEquals(new float[] {5, 6, 7, 255}, d.example(1));
        assertEquals(2, d.classes());
    }

    @Test
    void readsTheKerasLayoutOfAnNpzArchive() throws IOException {
        Dataset.Split s = Npy.npz(file("k.npz", KERAS_LAYOUT_NPZ), 0);
        assertArrayEquals(new float[] {4, 5}, s.train().example(2));
        assertArrayEquals(new int[] {0, 1, 1}, s.train().labels());
        assertEquals(3, s.train().classes(), "the classes of both parts: y_test holds a 2");
        assertArrayEquals(new int[] {2}, s.validation().labels());
        assertArrayEquals(Npy.read(file("i.npy", I8_LABELS)).labels(0), new int[] {2, 0, 1});
    }

    @Test
    void anNpzWithXAndYHasNoValidationPart() throws IOException {
        Path p = tmp.resolve("xy.npz");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(p))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("x.npy"));
            zip.write(Generated.npy("<f4", "(1, 2)", new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}));
            zip.putNextEntry(new java.util.zip.ZipEntry("y.npy"));
            zip.write(Generated.npy("<i4", "(1,)", new byte[] {3, 0, 0, 0}));
        }
        Dataset.Split s = Npy.npz(p, 0);
        assertArrayEquals(new float[] {1, 2}, s.train().example(0));
        assertEquals(4, s.train().classes());
        assertNull(s.validation());
    }

    private String error(byte[] features, byte[] labels, int classes) throws IOException {
        Path x = file("x.npy", features), y = labels == null ? null : file("y.npy", labels);
        return assertThrows(DataFileException.class, () -> Npy.dataset(Npy.read(x), y == null ? null : Npy.read(y), classes, "d")).getMessage();
    }

    @Test
    void eachMalformedArrayIsNamed() throws IOException {
        byte[] two = {0, 0, (byte) 0x80, 0x3f, 0, 0, (byte) 0xc0, 0x7f}; // 1.0f, NaN
        assertTrue(error(Generated.npy("<f4", "(2,)", two), null, 0).contains("x.npy: example 1, feature 0: expected a finite number, found NaN"));
        assertTrue(error(Generated.npy("<f4", "(3,)", two), null, 0).contains("truncated: expected 12 data bytes for shape (3,) of <f4, found 8"));
        assertTrue(error(Generated.npy("<c8", "(1,)", two), null, 0).contains("field 'descr': expected a float, integer or unsigned type"));
        assertTrue(error(Generated.npy("<f2", "(4,)", two), null, 0).contains("expected f4, f8, i1-i8 or u1-u8, found '<f2'"));
        assertTrue(error("PK\3\4 not numpy".getBytes(StandardCharsets.ISO_8859_1), null, 0).contains("not a NumPy .npy array"));
        byte[] x = Generated.npy("<f4", "(2, 1)", new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, (byte) 0x80, 0x3f});
        assertTrue(error(x, Generated.npy("|u1", "(3,)", new byte[] {0, 1, 2}), 0).contains("y.npy: 3 labels, expected one per example of"));
        assertTrue(error(x, Generated.npy("|u1", "(2,)", new byte[] {0, 9}), 5).contains("y.npy: example 1: class 9 is outside the 5 classes (0 to 4)"));
        assertTrue(error(x, Generated.npy("<f4", "(2,)", new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xc0, 0x3f}), 0)
                .contains("example 1: expected an integer class label 0 or more, found 1.5"));
        assertTrue(error(x, Generated.npy("|u1", "(1, 2)", new byte[] {0, 1}), 0).contains("labels: expected shape (n,) or (n, 1), found [1, 2]"));
        String msg = assertThrows(DataFileException.class, () -> Npy.npz(file("z.npz", "not a zip".getBytes(StandardCharsets.UTF_8)), 0)).getMessage();
        assertTrue(msg.contains("z.npz: not an .npz archive"), msg);
        byte[] zip = Base64.getDecoder().decode(KERAS_LAYOUT_NPZ);
        msg = assertThrows(DataFileException.class, () -> Npy.npz(file("cut.npz", Arrays.copyOf(zip, zip.length / 2)), 0)).getMessage();
        assertTrue(msg.contains("cut.npz"), msg);
    }
}
