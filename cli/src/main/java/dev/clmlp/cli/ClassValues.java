package dev.clmlp.cli;

import dev.clmlp.data.Dataset;
import dev.clmlp.io.DataFileException;
import dev.clmlp.nn.Sequential;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The classes of NumPy labels: values 0 .. k-1 are the classes themselves; any other set of
 * whole numbers (1 .. k, or 0, 1000, 2000) is named by its values, sorted, so that the model has
 * one output per class that occurs (a CSV's labels get this from {@link dev.clmlp.table.Schema}).
 */
final class ClassValues {
    private ClassValues() {}

    /** The split with its training part's label values as classes; a value only in the validation part is an error. */
    static Dataset.Split name(Dataset.Split s, Path valFile) throws DataFileException {
        Dataset train = s.train();
        int[] values = Arrays.stream(train.labels()).distinct().sorted().toArray();
        if (values.length < 2)
            throw new DataFileException(train.name(), "every example has the class " + values[0] + "; a classifier needs two classes or more");
        boolean numbers = values[values.length - 1] == values.length - 1; // 0 .. k-1, all present
        List<String> names = Arrays.stream(values).mapToObj(Integer::toString).toList();
        if (numbers) {
            relabel(s.validation(), names, valFile.toString()); // a class the training part lacks is an error
            return s;
        }
        return new Dataset.Split(relabel(train, names, train.name()), relabel(s.validation(), names, valFile.toString()));
    }

    /** Labeled data for a trained model: its label values mapped to the model's classes. */
    static Dataset asModel(Dataset d, Sequential model, Path file) throws DataFileException {
        if (model.classNames() == null) {
            if (d.classes() > model.classes())
                throw new DataFileException(file, "class " + (d.classes() - 1) + " is outside the model's " + model.classes() + " classes (0 to " + (model.classes() - 1) + ")");
            return d.withLabels(d.labels(), model.classes(), null);
        }
        return relabel(d, model.classNames(), file.toString());
    }

    private static Dataset relabel(Dataset d, List<String> names, String file) throws DataFileException {
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < names.size(); k++) index.put(names.get(k), k);
        int[] y = d.labels();
        for (int r = 0; r < y.length; r++) {
            Integer k = index.get(Integer.toString(y[r]));
            if (k == null)
                throw new DataFileException(file, "example " + r + ": class " + y[r] + " is not among the " + names.size() + " classes of the training data ("
                        + brief(String.join(", ", names)) + ")");
            y[r] = k;
        }
        return d.withLabels(y, names.size(), names);
    }

    private static String brief(String s) { return s.length() <= 60 ? s : s.substring(0, 60) + "..."; }
}
