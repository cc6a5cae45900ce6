package dev.clmlp.optim;

import com.google.gson.JsonObject;
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

    public static Optimizer fromConfig(JsonObject c) {
        String name = c.get("name").getAsString();
        float lr = c.get("learning_rate").getAsFloat();
        return switch (name) {
            case "sgd" -> new Sgd(lr, c.has("momentum") ? c.get("momentum").getAsFloat() : 0f);
            case "adam" -> new Adam(lr, c.get("beta_1").getAsFloat(), c.get("beta_2").getAsFloat(), c.get("epsilon").getAsFloat());
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "': expected sgd or adam");
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
