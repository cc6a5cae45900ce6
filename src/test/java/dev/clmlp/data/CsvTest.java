package dev.clmlp.data;

import dev.clmlp.io.DataFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV datasets: the label column by name, index or default, the header found or not, and each malformed file named to the cell. */
class CsvTest {
    @TempDir Path tmp;

    private Path file(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsFeaturesAndTheColumnNamedLabelWhereverItIs() throws IOException {
        Dataset d = Csv.read(file("a.csv", "label,x,y\n2,1.5,-2\n0, 3e-1 ,4\n\n1,.5,+6\n"), null, 0);
        assertEquals(3, d.rows());
        assertEquals(2, d.features());
        assertEquals(3, d.classes());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        assertArrayEquals(new float[] {0.3f, 4f}, d.example(1));
        assertArrayEquals(new float[] {0.5f, 6f}, d.example(2));
    }

    @Test
    void withoutAHeaderTheLastColumnOrTheGivenIndexIsTheLabel() throws IOException {
        Path p = file("b.csv", "1,2,3\n4,5,0\n");
        Dataset last = Csv.read(p, null, 0);
        assertArrayEquals(new int[] {3, 0}, last.labels());
        assertEquals(4, last.classes());
        Dataset first = Csv.read(p, "0", 0);
        assertArrayEquals(new int[] {1, 4}, first.labels());
        assertArrayEquals(new float[] {5f, 0f}, first.example(1));
        Dataset named = Csv.read(file("c.csv", "a,b,kind\n1,2,1\n"), "kind", 3);
        assertEquals(3, named.classes());
        assertArrayEquals(new float[] {1f, 2f}, named.example(0));
    }

    @Test
    void forAModelTheLabelColumnIsOptional() throws IOException {
        Dataset features = Csv.readForModel(file("f.csv", "1,2\n3,4\n"), null, 2, 5);
        assertFalse(features.labeled());
        assertArrayEquals(new float[] {3f, 4f}, features.example(1));
        Dataset labeled = Csv.readForModel(file("g.csv", "1,2,4\n3,4,0\n"), null, 2, 5);
        assertTrue(labeled.labeled());
        assertArrayEquals(new int[] {4, 0}, labeled.labels());
        String msg = assertThrows(DataFileException.class, () -> Csv.readForModel(file("h.csv", "1,2,3,4\n"), null, 2, 5)).getMessage();
        assertTrue(msg.contains("h.csv") && msg.contains("4 feature columns, the model takes 2"), msg);
    }

    private String error(String text, String label, int classes) throws IOException {
        Path p = file("bad.csv", text);
        return assertThrows(DataFileException.class, () -> Csv.read(p, label, classes)).getMessage();
    }

    @Test
    void eachMalformedFileIsNamedToTheRowAndColumn() throws IOException {
        assertEquals(tmp.resolve("bad.csv") + ": row 3: 2 columns, expected 3 as in the header", error("a,b,label\n1,2,0\n3,4\n", null, 0));
        assertEquals(tmp.resolve("bad.csv") + ": row 2: 4 columns, expected 3 as in the first row", error("1,2,0\n3,4,5,0\n", null, 0));
        assertTrue(error("a,b,label\n1,2,0\n3,x,1\n", null, 0).endsWith("row 3, column 2 'b': expected a number, found \"x\""));
        assertTrue(error("a,b,label\n1,,0\n", null, 0).endsWith("row 2, column 2 'b': expected a number, found an empty cell"));
        assertTrue(error("a,b,label\n1,2,0\nNaN,4,1\n", null, 0).endsWith("row 3, column 1 'a': expected a number, found NaN (not a finite number)"));
        assertTrue(error("1,2,0\n1,1e39,1\n", null, 0).endsWith("row 2, column 2: expected a number within float range, found \"1e39\""));
        assertTrue(error("a,b,label\n1,2,0\n3,4,7\n", null, 5).endsWith("row 3, column 3 'label': class 7 is outside the 5 classes (0 to 4)"));
        assertTrue(error("a,b,label\n1,2,1.5\n", null, 0).endsWith("row 2, column 3 'label': expected an integer class label 0 or more, found \"1.5\""));
        assertTrue(error("a,b,label\n1,2,-1\n", null, 0).contains("found \"-1\""));
        assertTrue(error("", null, 0).endsWith("bad.csv: empty: expected a header or data rows, found no rows"));
        assertTrue(error("\n\n", null, 0).contains("empty"));
        assertTrue(error("a,b,label\n", null, 0).contains("no data rows after the header"));
        assertTrue(error("a,b\n1,2\n", "c", 0).endsWith("no column named 'c'; the header has [a, b]"));
        assertTrue(error("1,2\n", "5", 0).contains("label column 5 (0-based) does not exist: the rows have 2 columns"));
        assertTrue(error("label\n1\n", null, 0).contains("expected at least one feature column"));
        assertTrue(error("a,\"b\n1,2\n", null, 0).contains("not valid CSV"));
    }

    @Test
    void aBinaryFileIsNotTakenForText() throws IOException {
        Path p = tmp.resolve("x.csv");
        Files.write(p, new byte[] {(byte) 0x93, 'N', 'U', (byte) 0xff, (byte) 0xfe, 0, 1});
        String msg = assertThrows(DataFileException.class, () -> Csv.read(p, null, 0)).getMessage();
        assertTrue(msg.startsWith(p.toString()), msg);
    }
}
