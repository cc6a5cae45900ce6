package dev.clmlp.nn;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.clmlp.data.Scaling;
import dev.clmlp.io.JsonFields;
import dev.clmlp.optim.Optimizer;
import dev.clmlp.table.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * A model's configuration as JSON (config.json, and the metadata of weights files and
 * checkpoints): format, input size, the layers with Keras' names and fields, the loss, and
 * once compiled the optimizer and seed. Reading reports the field, expected and found.
 */
final class ModelConfig {
    private ModelConfig() {}

    static String toJson(Sequential m) {
        JsonObject root = new JsonObject();
        root.addProperty("format", "clmlp.Sequential");
        root.addProperty("version", 1);
        if (m.inputSize() > 0) root.addProperty("input_size", m.inputSize());
        JsonArray ls = new JsonArray();
        List<Layer> layers = m.layers();
        List<String> names = m.layerNames();
        for (int i = 0; i < layers.size(); i++) {
            JsonObject o = new JsonObject();
            o.addProperty("name", names.get(i));
            if (layers.get(i) instanceof Dense d) {
                o.addProperty("type", "dense");
                o.addProperty("units", d.units());
                o.addProperty("activation", d.activation());
                o.addProperty("kernel_initializer", d.initializer());
            } else if (layers.get(i) instanceof Dropout d) {
                o.addProperty("type", "dropout");
                o.addProperty("rate", d.rate());
            }
            ls.add(o);
        }
        root.add("layers", ls);
        if (m.table() != null) root.add("table", m.table().toJson());
        if (m.inputScaling() != null) root.add("input_scaling", m.inputScaling().toJson());
        if (m.targetScaling() != null) root.add("target_scaling", m.targetScaling().toJson());
        if (m.classNames() != null) {
            JsonArray classes = new JsonArray();
            m.classNames().forEach(classes::add);
            root.add("class_names", classes);
        }
        root.addProperty("loss", m.loss());
        if (m.optimizer != null) {
            root.add("optimizer", m.optimizer.config());
            root.addProperty("seed", m.seed);
        }
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }

    static Sequential.Config fromJson(String json) {
        try {
            JsonFields root = JsonFields.parse(json);
            if (!root.string("format").equals("clmlp.Sequential"))
                throw new IllegalArgumentException("field 'format': expected \"clmlp.Sequential\", found \"" + root.string("format") + "\"");
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < root.array("layers").size(); i++) {
                JsonFields o = root.element("layers", i);
                String type = o.string("type");
                layers.add(switch (type) {
                    case "dense" -> new Dense(o.integer("units", 1, 1 << 24), o.string("activation"),
                            o.has("kernel_initializer") ? o.string("kernel_initializer") : Dense.GLOROT_UNIFORM);
                    case "dropout" -> new Dropout((float) o.number("rate"));
                    default -> throw new IllegalArgumentException("field 'layers[" + i + "].type': expected dense or dropout, found \"" + type + "\"");
                });
            }
            Sequential model = new Sequential(root.has("input_size") ? root.integer("input_size", 1, 1 << 24) : 0, layers);
            if (root.has("input_scaling")) {
                Scaling s = Scaling.fromJson(root.object("input_scaling"));
                if (model.inputSize() > 0 && s.offset().length != model.inputSize())
                    throw new IllegalArgumentException("field 'input_scaling.offset': expected " + model.inputSize()
                            + " numbers (the input size), found " + s.offset().length);
                model.scaleInputs(s);
            }
            if (root.has("target_scaling")) {
                Scaling s = Scaling.fromJson(root.object("target_scaling"));
                if (!model.regression() || s.offset().length != model.outputs())
                    throw new IllegalArgumentException("field 'target_scaling.offset': expected " + (model.regression() ? model.outputs() + " numbers (the outputs)"
                            : "none (only a regression scales its targets)") + ", found " + s.offset().length);
                model.scaleTargets(s);
            }
            if (root.has("class_names")) {
                List<String> names = root.strings("class_names");
                if (names.size() != model.classes())
                    throw new IllegalArgumentException("field 'class_names': expected " + model.classes() + " names (the last layer's units), found " + names.size());
                model.nameClasses(names);
            }
            if (root.has("table")) {
                List<String> names = new ArrayList<>();
                for (int c = 0; c < model.classes(); c++) names.add(model.className(c));
                Schema table = Schema.fromJson(root.object("table"), model.usesTargets() ? List.of() : names);
                if (model.inputSize() > 0 && table.width() != model.inputSize())
                    throw new IllegalArgumentException("field 'table.features': expected " + model.inputSize() + " inputs (the input size), found " + table.width());
                model.readTables(table);
            }
            if (root.has("loss")) {
                try {
                    model.loss(root.string("loss"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("field 'loss': " + e.getMessage());
                }
            }
                        Optimizer opt = root.has("optimizer") ? Optimizer.fromConfig(root.object("optimizer")) : null;
            Long seed = root.has("seed") ? root.integer("seed") : null;
            return new Sequential.Config(model, opt, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model config: " + e.getMessage(), e);
        }
    }
}
