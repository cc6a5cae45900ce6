package dev.clmlp.table;

import dev.clmlp.data.Dataset;
import dev.clmlp.io.DataFileException;
import dev.clmlp.io.JsonFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV tables: the label column by name, index or default, the header found or not, each malformed file named to the line and column. */
class TableTest {
    @TempDir Path tmp;

    private Path file(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** The file fitted and encoded as training data, with the label column given or the default. */
    private Dataset train(Path p, String label) throws IOException {
        Table t = Table.read(p);
        return Schema.fit(t, t.labelColumn(label)).encode(t, true);
    }

    @Test
    void readsFeaturesAndTheColumnNamedLabelWhereverItIs() throws IOException {
        Dataset d = train(file("a.csv", "label,x,y\n2,1.5,-2\n0, 3e-1 ,4\n\n1,.5,+6\n"), null);
        assertEquals(3, d.rows());
        assertEquals(2, d.features());
        assertNull(d.classNames(), "labels 0, 1, 2 are their own names");
        assertEquals(3, d.classes());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        assertArrayEquals(new float[] {0.3f, 4f}, d.example(1));
        assertArrayEquals(new float[] {0.5f, 6f}, d.example(2));
    }

    @Test
    void withoutAHeaderTheLastColumnOrTheGivenIndexIsTheLabel() throws IOException {
        Path p = file("b.csv", "1,2,3\n4,5,0\n");
        Dataset last = train(p, null);
        assertArrayEquals(new int[] {1, 0}, last.labels());
        assertEquals(List.of("0", "3"), last.classNames());
        Dataset first = train(p, "0");
        assertArrayEquals(new int[] {0, 1}, first.labels());
        assertArrayEquals(new float[] {5f, 0f}, first.example(1));
    }

    @Test
    void labelsAreClassNamesSortedAndOnlyTheValuesThatOccurBecomeClasses() throws IOException {
        Dataset iris = train(file("iris.csv", "a,b,species\n1,2,virginica\n3,4,setosa\n5,6,versicolor\n7,8,setosa\n"), null);
        assertEquals(List.of("setosa", "versicolor", "virginica"), iris.classNames());
        assertArrayEquals(new int[] {2, 0, 1, 0}, iris.labels());
        Dataset sparse = train(file("k.csv", "a,label\n1,2000\n2,0\n3,1000\n4,1000.0\n"), null);
        assertEquals(List.of("0", "1000", "2000"), sparse.classNames(), "three classes, not 2,001");
        assertArrayEquals(new int[] {2, 0, 1, 1}, sparse.labels());
        Dataset fromOne = train(file("one.csv", "a,label\n1,10\n2,2\n3,1\n"), null);
        assertEquals(List.of("1", "2", "10"), fromOne.classNames(), "numbers sort by value, and 1..K has no class 0");
        assertEquals(3, fromOne.classes());
    }

    @Test
    void categoriesAreOneHotAndGapsAreFilledAndFlagged() throws IOException {
        Path p = file("c.csv", "age,port,fare,label\n20,S,,a\n,C,10,b\n40,S,30,a\n30,,20,b\n");
        Table t = Table.read(p);
        Schema s = Schema.fit(t, t.labelColumn(null));
        // age: number + flag; port: C, S + flag; fare: number + flag
        assertEquals(2 + 3 + 2, s.width());
        assertArrayEquals(new boolean[] {true, false, false, false, false, true, false}, s.scaledInputs());
        Dataset d = s.encode(t, true);
        assertArrayEquals(new float[] {20, 0, 0, 1, 0, 20, 1}, d.example(0), "fare filled with the mean of 10, 30, 20");
        assertArrayEquals(new float[] {30, 1, 1, 0, 0, 10, 0}, d.example(1), "age filled with the mean of 20, 40, 30");
        assertArrayEquals(new float[] {30, 0, 0, 1, 1, 20, 0}, d.example(3), "port filled with the most frequent, S");
        // the saved schema encodes a new file the same way; an unseen category is all zeros
        Schema back = Schema.fromJson(new JsonFields(s.toJson(), ""), s.classes());
        assertEquals(s, back);
        Dataset fresh = back.encode(Table.read(file("new.csv", "fare,port,age\n5,Q,50\n")), false);
        assertFalse(fresh.labeled());
        assertArrayEquals(new float[] {50, 0, 0, 0, 0, 5, 0}, fresh.example(0), "columns found by name, Q unseen");
    }

    @Test
    void aHeldOutPartIsNotPartOfTheVocabularyOrTheMeans() throws IOException {
        Table t = Table.read(file("h.csv", "x,c,label\n1,a,p\n,b,q\n3,z,p\n5,a,q\n"));
        Table train = t.select(new int[] {0, 1, 3}, "training part");
        Schema s = Schema.fit(train, 2);
        assertEquals(List.of("a", "b"), ((Schema.Categorical) s.features().get(1)).values());
        assertEquals(3f, ((Schema.Numeric) s.features().get(0)).fill(), "the mean of 1 and 5");
        Dataset held = s.encode(t.select(new int[] {2}, "held out"), true);
        assertArrayEquals(new float[] {3, 0, 0, 0}, held.example(0), "x = 3, not missing; z unseen: all zeros");
        assertEquals("h.csv (held out)", held.name());
    }

    @Test
    void aFileWrittenByExcelKeepsItsFirstColumnName() throws IOException {
        Path p = tmp.resolve("bom.csv");
        Files.write(p, ("\uFEFFlabel,x\n1,2\n0,3\n").getBytes(StandardCharsets.UTF_8));
        Table t = Table.read(p);
        assertEquals(0, t.labelColumn(null), "the column named label, not the last one");
        assertEquals("label", t.columns().get(0).header());
    }

    private String error(String text, String label) throws IOException {
        Path p = file("bad.csv", text);
        return assertThrows(DataFileException.class, () -> train(p, label)).getMessage();
    }

    @Test
    void eachMalformedFileIsNamedToTheLineAndColumn() throws IOException {
        assertEquals(tmp.resolve("bad.csv") + ": line 3: 2 columns, expected 3 as in the header", error("a,b,label\n1,2,0\n3,4\n", null));
        assertEquals(tmp.resolve("bad.csv") + ": line 2: 4 columns, expected 3 as in the first row", error("1,2,0\n3,4,5,0\n", null));
        assertTrue(error("a,b,label\n1,2,0\n\n\n3,4\n", null).contains("line 5: 2 columns"), "the file's line after blank lines");
        assertTrue(error("1,2,0\n1,1e39,1\n", null).endsWith("line 2, column 2: expected a number within float range, found \"1e39\""));
        assertTrue(error("a,b,label\n1,inf,0\n", null).endsWith("line 2, column 2 'b': expected a number, found inf (not a finite number)"));
        Path real = file("real.csv", "a,b,label\n1,2,1.5\n3,4,1\n");
        String msg = assertThrows(DataFileException.class, () -> Schema.fit(Table.read(real), new int[] {2}, Schema.Task.CLASSIFICATION)).getMessage();
        assertTrue(msg.contains("line 2, column 3 'label': found the real number 1.5, expected a class label"), msg);
        assertTrue(error("a,b,label\n1,2,\n3,4,1\n", null).endsWith("line 2, column 3 'label': the label is empty"));
        assertTrue(error("a,b,label\n1,2,x\n3,4,x\n", null).endsWith("column 3 'label': every row has the class \"x\"; a classifier needs two classes or more"));
        assertTrue(error("a,b,label\n1,,0\n2,,1\n", null).endsWith("column 2 'b': every cell is empty"));
        assertTrue(error("a,a,label\n1,2,0\n", null).endsWith("header: columns 1 and 2 are both named 'a'"));
        assertTrue(error("", null).endsWith("bad.csv: empty: expected a header or data rows, found no rows"));
        assertTrue(error("\n\n", null).contains("empty"));
        assertTrue(error("a,b,label\n", null).contains("no data rows after the header"));
        assertTrue(error("a,b\n1,2\n", "c").endsWith("no column named 'c'; the header has [a, b]"));
        assertTrue(error("1,2\n", "5").contains("column 5 (0-based) does not exist: the rows have 2 columns"));
        assertTrue(error("label\n1\n", null).contains("expected at least one feature column"));
        assertTrue(error("a,\"b\n1,2\n", null).contains("not valid CSV"));
        StringBuilder many = new StringBuilder("id,label\n");
        for (int i = 0; i <= Table.MAX_CATEGORIES; i++) many.append("id").append(i).append(',').append(i % 2).append('\n');
        assertTrue(error(many.toString(), null).contains("column 1 'id': more than 1000 distinct values, with text among them (first \"id0\" on line 2)"));
    }

    @Test
    void realNumbersOrSeveralTargetsAreARegression() throws IOException {
        Table t = Table.read(file("reg.csv", "x,c,y,z\n1,a,0.5,1\n2,b,,2\n3,a,2.25,3\n"));
        String msg = assertThrows(DataFileException.class, () -> Schema.fit(t, new int[] {2}, null)).getMessage();
        assertTrue(msg.endsWith("line 3, column 3 'y': the target is empty"), msg);
        Table ok = Table.read(file("reg2.csv", "x,c,y,z\n1,a,0.5,1\n2,b,1.5,2\n3,a,2.25,3\n"));
        Schema one = Schema.fit(ok, new int[] {2}, null);
        assertTrue(one.regression(), "0.5, 1.5, 2.25 are real numbers");
        Dataset d = one.encode(ok, true);
        assertTrue(d.hasTargets());
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.25f}, d.targets());
        assertArrayEquals(new float[] {1, 1, 0, 1}, d.example(0), "x, c one-hot, z");
        Schema two = Schema.fit(ok, new int[] {2, 3}, null);
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.25f, 3}, two.encode(ok, true).targets(), "two targets, row by row");
        assertEquals(two, Schema.fromJson(new JsonFields(two.toJson(), ""), List.of()));
        assertFalse(Schema.fit(ok, new int[] {3}, null).regression(), "whole numbers are classes unless asked");
        assertTrue(Schema.fit(ok, new int[] {3}, Schema.Task.REGRESSION).regression());
        msg = assertThrows(DataFileException.class, () -> Schema.fit(ok, new int[] {1}, Schema.Task.REGRESSION)).getMessage();
        assertTrue(msg.endsWith("line 2, column 2 'c': expected a number (a regression's target), found \"a\""), msg);
        msg = assertThrows(DataFileException.class, () -> Schema.fit(ok, new int[] {2, 3}, Schema.Task.CLASSIFICATION)).getMessage();
        assertTrue(msg.contains("several targets train a regression or multi-label model"), msg);
        Table flags = Table.read(file("flags.csv", "x,a,b\n1,0,1\n2,1,1\n3,0,0\n"));
        Schema multi = Schema.fit(flags, new int[] {1, 2}, null);
        assertEquals(Schema.Task.MULTILABEL, multi.task(), "several columns of 0 and 1");
        assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0}, multi.encode(flags, true).targets());
        msg = assertThrows(DataFileException.class, () -> Schema.fit(ok, new int[] {2, 3}, Schema.Task.MULTILABEL)).getMessage();
        assertTrue(msg.endsWith("line 2, column 3 'y': expected 0 or 1 (a multi-label target), found 0.5"), msg);
    }

    @Test
    void aClassTheTrainingDataLacksIsNamedNotAdded() throws IOException {
        Table t = Table.read(file("t.csv", "x,label\n1,a\n2,b\n"));
        Schema s = Schema.fit(t, 1);
        String msg = assertThrows(DataFileException.class, () -> s.encode(Table.read(file("v.csv", "x,label\n1,a\n\n2,c\n")), true)).getMessage();
        assertTrue(msg.endsWith("v.csv: line 4, column 2 'label': class \"c\" is not among the 2 classes the model was trained on (a, b)"), msg);
        msg = assertThrows(DataFileException.class, () -> s.encode(Table.read(file("w.csv", "y,label\n1,a\n")), false)).getMessage();
        assertTrue(msg.endsWith("no column 'x', which the model was trained with"), msg);
        msg = assertThrows(DataFileException.class, () -> s.encode(Table.read(file("n.csv", "x,label\nabc,a\n")), true)).getMessage();
        assertTrue(msg.endsWith("line 2, column 1 'x': expected a number, found \"abc\""), msg);
    }

    @Test
    void withoutAHeaderTheModelsFileIsReadByPositionWithOrWithoutTheLabel() throws IOException {
        Table t = Table.read(file("p.csv", "1,2,4\n3,4,0\n"));
        Schema s = Schema.fit(t, 2);
        Dataset features = s.encode(Table.read(file("f.csv", "1,2\n3,4\n")), false);
        assertFalse(features.labeled());
        assertArrayEquals(new float[] {3f, 4f}, features.example(1));
        Dataset labeled = s.encode(Table.read(file("g.csv", "1,2,4\n3,4,0\n")), false);
        assertArrayEquals(new int[] {1, 0}, labeled.labels());
        String msg = assertThrows(DataFileException.class, () -> s.encode(Table.read(file("h.csv", "1,2,3,4\n")), false)).getMessage();
        assertTrue(msg.contains("h.csv") && msg.contains("4 columns, the model takes 2 (3 with the label)"), msg);
    }

    @Test
    void aByteThatIsNotUtf8IsNamedByItsLine() throws IOException {
        Path p = tmp.resolve("latin1.csv");
        Files.write(p, "name,label\nJose,0\nJos\u00e9,1\n".getBytes(StandardCharsets.ISO_8859_1));
        String msg = assertThrows(DataFileException.class, () -> Table.read(p)).getMessage();
        assertTrue(msg.endsWith("latin1.csv: line 3: not UTF-8 text (save the file as UTF-8; a binary file?)"), msg);
        Path bin = tmp.resolve("x.csv");
        Files.write(bin, new byte[] {(byte) 0x93, 'N', 'U', (byte) 0xff, (byte) 0xfe, 0, 1});
        msg = assertThrows(DataFileException.class, () -> Table.read(bin)).getMessage();
        assertTrue(msg.startsWith(bin.toString()), msg);
    }

    @Test
    void aColumnOfManyRealNumbersKeepsNoVocabulary() throws IOException {
        StringBuilder sb = new StringBuilder("x,label\n");
        for (int i = 0; i < 3 * Table.MAX_CATEGORIES; i++) sb.append(i * 0.5).append(',').append(i % 3).append('\n');
        Table t = Table.read(file("r.csv", sb.toString()));
        Column x = t.columns().get(0);
        assertTrue(x.numeric());
        assertFalse(x.counted());
        assertTrue(t.columns().get(1).counted());
        Dataset d = Schema.fit(t, 1).encode(t, true);
        assertEquals(1499.5f, d.example(2999)[0]);
    }
}
