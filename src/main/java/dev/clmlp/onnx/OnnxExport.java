package dev.clmlp.onnx;

import com.google.protobuf.ByteString;
import dev.clmlp.data.Scaling;
import dev.clmlp.io.AtomicFiles;
import dev.clmlp.nn.Dense;
import dev.clmlp.nn.Layer;
import dev.clmlp.nn.Sequential;
import dev.clmlp.onnx.proto.Onnx.AttributeProto;
import dev.clmlp.onnx.proto.Onnx.GraphProto;
import dev.clmlp.onnx.proto.Onnx.ModelProto;
import dev.clmlp.onnx.proto.Onnx.NodeProto;
import dev.clmlp.onnx.proto.Onnx.OperatorSetIdProto;
import dev.clmlp.onnx.proto.Onnx.StringStringEntryProto;
import dev.clmlp.onnx.proto.Onnx.TensorProto;
import dev.clmlp.onnx.proto.Onnx.TensorShapeProto;
import dev.clmlp.onnx.proto.Onnx.TypeProto;
import dev.clmlp.onnx.proto.Onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A trained {@link Sequential} as a standard ONNX model, for ONNX Runtime, OpenCV DNN, Netron and
 * the other tools that read ONNX. The graph takes {@code input} (float, batch x features, the
 * batch size free) and gives {@code probabilities} (float, batch x classes):
 * <pre>
 * [Sub offset, Mul factor]       the model's input scaling, if it has one
 * Gemm(x, NAME.kernel, NAME.bias) per Dense layer, then Relu / Sigmoid / Tanh / nothing (linear)
 * Softmax(axis 1)                 the last layer of a classifier; a regression's linear outputs are {@code predictions}
 * [Sub(1, p), Concat]             a binary model's one sigmoid p as both classes' probabilities, 1 - p and p
 * [Div factor, Add offset]        a regression trained on scaled targets, back in their units
 * </pre>
 * Dropout is left out (it is the identity at inference). The metadata holds the model's
 * config.json ({@code clmlp.config}) and, for named classes, {@code class_names} (a JSON array in
 * the order of the probabilities). A model trained on a table takes the table's encoded columns
 * (gaps filled, categories one-hot, missing flags: {@link dev.clmlp.table.Schema}); the input's
 * doc string says so. MNIST models take pixels scaled to
 * [0, 1], as {@link dev.clmlp.data.Dataset#example} gives them. Built with protobuf-java from the
 * official onnx.proto; protobuf-java is an optional dependency of clmlp that exporting apps add.
 */
public final class OnnxExport {
    private OnnxExport() {}

    /** The operator set the graph uses (Gemm, Relu, Sigmoid, Tanh, Softmax with an axis, Sub, Mul, Div, Add, Concat, Identity). */
    public static final int OPSET = 13;
    /** The IR version that goes with {@link #OPSET}. */
    public static final int IR_VERSION = 7;
    /** The graph's input and output names. */
    public static final String INPUT = "input", OUTPUT = "probabilities";
    /** A regression's output: its last layer's linear values. */
    public static final String PREDICTIONS = "predictions";

    /**
     * @param model a model
     * @return the name of its graph's output: {@link #OUTPUT} for a classifier (or a multi-label model's sigmoid probabilities), {@link #PREDICTIONS} for a regression
     */
    public static String outputName(Sequential model) { return model.regression() ? PREDICTIONS : OUTPUT; }

    private static final Map<String, String> OPS = Map.of("relu", "Relu", "sigmoid", "Sigmoid", "tanh", "Tanh");

    /**
     * Writes the model as an ONNX file, atomically.
     *
     * @param model a compiled model (its weights are read from the backend)
     * @param file  the .onnx file
     * @throws IllegalStateException when protobuf-java is not on the class path
     */
    public static void write(Sequential model, Path file) {
        AtomicFiles.write(file, toBytes(model));
    }

    /**
     * @param model a compiled model
     * @return the serialized ModelProto
     * @throws IllegalStateException when protobuf-java is not on the class path
     */
    public static byte[] toBytes(Sequential model) {
        try {
            return build(model).toByteArray();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("ONNX export needs com.google.protobuf:protobuf-java on the class path (an optional dependency of clmlp)", e);
        }
    }

    private static ModelProto build(Sequential m) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("clmlp_sequential");
        ValueInfoProto input = value(INPUT, m.inputSize());
        if (m.table() != null) // ONNX's standard operators cannot parse a CSV row: the graph starts after the table's encoding
            input = input.toBuilder().setDocString("the table's columns encoded as metadata clmlp.config's \"table\" says: numbers with gaps filled by"
                    + " the training mean, categories one-hot in its order, a 0/1 input after each column with a missing_flag (" + m.table().width() + " inputs)").build();
        g.addInput(input);
        String x = INPUT;
        Scaling s = m.inputScaling();
        if (s != null) {
            g.addInitializer(tensor("input_scaling.offset", s.offset(), s.offset().length));
            g.addInitializer(tensor("input_scaling.factor", s.factor(), s.factor().length));
            x = node(g, "Sub", "input_scaling/sub", x, "input_scaling.offset");
            x = node(g, "Mul", "input_scaling/mul", x, "input_scaling.factor");
        }
        List<Layer> layers = m.layers();
        List<String> names = m.layerNames();
        int in = m.inputSize();
        for (int i = 0; i < layers.size(); i++) {
            if (!(layers.get(i) instanceof Dense d)) continue; // Dropout: the identity at inference
            String name = names.get(i);
            g.addInitializer(tensor(name + ".kernel", m.weights(i), in, d.units()));
            g.addInitializer(tensor(name + ".bias", m.bias(i), d.units()));
            x = node(g, "Gemm", name + "/gemm", x, name + ".kernel", name + ".bias");
            if (d.isSoftmax()) {
                g.addNode(NodeProto.newBuilder().setOpType("Softmax").setName(name + "/softmax").addInput(x).addOutput(OUTPUT)
                        .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)));
                x = OUTPUT;
            } else if (OPS.containsKey(d.activation())) {
                x = node(g, OPS.get(d.activation()), name + "/" + d.activation(), x);
            }
            if (i == layers.size() - 1 && m.binary()) { // one sigmoid p: both classes' probabilities, [1 - p, p], as predict gives them
                g.addInitializer(tensor("binary/one", new float[] {1f}));
                String q = node(g, "Sub", "binary/complement", "binary/one", x);
                g.addNode(NodeProto.newBuilder().setOpType("Concat").setName(name + "/classes").addInput(q).addInput(x).addOutput(OUTPUT)
                        .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)));
                x = OUTPUT;
            } else if (i == layers.size() - 1 && !d.isSoftmax()) { // a regression's linear or a multi-label model's sigmoid outputs, by their name
                Scaling t = m.targetScaling();
                if (t != null) { // trained on scaled targets: undone as predict does, value / factor + offset
                    g.addInitializer(tensor("target_scaling.factor", t.factor(), t.factor().length));
                    g.addInitializer(tensor("target_scaling.offset", t.offset(), t.offset().length));
                    x = node(g, "Div", "target_scaling/div", x, "target_scaling.factor");
                    x = node(g, "Add", "target_scaling/add", x, "target_scaling.offset");
                }
                g.addNode(NodeProto.newBuilder().setOpType("Identity").setName(name + "/output").addInput(x).addOutput(outputName(m)));
                x = outputName(m);
            }
            in = d.units();
        }
        g.addOutput(value(outputName(m), m.classes()));
        ModelProto.Builder model = ModelProto.newBuilder();
        if (m.classNames() != null) {
            com.google.gson.JsonArray classes = new com.google.gson.JsonArray();
            m.classNames().forEach(classes::add);
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey("class_names").setValue(classes.toString()));
        }
        return model
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("clmlp")
                .setProducerVersion(version())
                .setDocString(m.summary())
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("clmlp.config").setValue(m.toJson()))
                .setGraph(g)
                .build();
    }

    /** Adds a node with one output named after it; returns that output. */
    private static String node(GraphProto.Builder g, String op, String name, String... inputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(name);
        for (String in : inputs) n.addInput(in);
        g.addNode(n);
        return name;
    }

    /** A float32 initializer, little-endian raw data as ONNX stores it. */
    private static TensorProto tensor(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    /** A float input or output of shape (batch, width), the batch size left free. */
    private static ValueInfoProto value(String name, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width)).build();
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    private static String version() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
