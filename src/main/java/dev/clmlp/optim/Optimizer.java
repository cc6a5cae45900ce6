package dev.clmlp.optim;

import com.google.gson.JsonObject;
import dev.clmlp.io.JsonFields;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;

/**
 * Updates a flat parameter vector from its gradient in one backend call per step. Its state
 * (moment vectors, step count) is explicit: {@link #state()} and {@link #steps()}, so a
 * checkpoint can save and restore it.
 */
public abstract sealed class Optimizer implements AutoCloseable permits Sgd, Adam {
    protected Backend backend;
    protected long steps;

    /** Allocates the state for {@code size} parameters on the backend (zeros). */
    public void attach(Backend backend, int size) {
        close();
        this.backend = backend;
        this.steps = 0;
        allocate(size);
    }

    /** One update of params from grads (both 1 x size). */
    public final void update(Tensor params, Tensor grads) {
        if (backend == null) throw new IllegalStateException(name() + ": update before attach");
        steps++;
        apply(params, grads);
    }

    /** Updates done so far. */
    public long steps() { return steps; }

    /** Puts back the state a checkpoint saved: the update count and each state tensor's values. */
    public void restore(long steps, java.util.List<float[]> state) {
        Tensor[] mine = state();
        if (state.size() != mine.length)
            throw new IllegalArgumentException(name() + ": " + state.size() + " state tensors to restore, this optimizer has " + mine.length);
        for (int i = 0; i < mine.length; i++) {
            if (state.get(i).length != mine[i].size())
                throw new IllegalArgumentException(name() + ": state tensor " + i + " has " + state.get(i).length + " values, expected " + mine[i].size());
            mine[i].upload(state.get(i));
        }
        this.steps = steps;
    }

    public abstract String name();

    public abstract float learningRate();

    /** The state tensors in a fixed order (empty for plain SGD). */
    public abstract Tensor[] state();

    /** Keras-like configuration: {"name": "adam", "learning_rate": ...}. */
    public abstract JsonObject config();

    protected abstract void allocate(int size);

    protected abstract void apply(Tensor params, Tensor grads);

    @Override public void close() {
        for (Tensor t : state()) if (t != null) t.close();
    }

    /** Reads {@link #config()}; errors name the field (optimizer.learning_rate, ...). */
    public static Optimizer fromConfig(JsonFields c) {
        String name = c.string("name");
        float lr = (float) c.number("learning_rate");
        return switch (name) {
            case "sgd" -> new Sgd(lr, c.has("momentum") ? (float) c.number("momentum") : 0f);
            case "adam" -> new Adam(lr, (float) c.number("beta_1"), (float) c.number("beta_2"), (float) c.number("epsilon"));
            default -> throw new IllegalArgumentException("field '" + c.path() + ".name': expected sgd or adam, found \"" + name + "\"");
        };
    }

    /** "sgd" or "adam" with the given learning rate and defaults otherwise. */
    public static Optimizer named(String name, float lr, float momentum) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "sgd" -> new Sgd(lr, momentum);
            case "adam" -> new Adam(lr);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "': expected sgd or adam");
        };
    }

    @Override public String toString() { return config().toString(); }
}
