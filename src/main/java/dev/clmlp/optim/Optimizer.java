package dev.clmlp.optim;

import com.google.gson.JsonObject;
import dev.clmlp.io.JsonFields;
import dev.clmlp.tensor.Activation;
import dev.clmlp.tensor.Backend;
import dev.clmlp.tensor.Tensor;

/**
 * Updates a flat parameter vector from its gradient in one backend call per step. Its state
 * (moment vectors, step count) is explicit: {@link #state()} and {@link #steps()}, so a
 * checkpoint can save and restore it.
 */
public abstract sealed class Optimizer implements AutoCloseable permits Sgd, Adam, Rmsprop {
    /** The backend the state lives on, set by {@link #attach}. */
    protected Backend backend;
    /** Updates done since {@link #attach}. */
    protected long steps;
    private Schedule schedule = Schedule.CONSTANT;
    private float weightDecay;

    /** Keras AdamW's default weight decay. */
    public static final float ADAMW_WEIGHT_DECAY = 0.004f;

    /**
     * Decays every parameter before each step, as Keras' optimizers do with weight_decay (AdamW is
     * Adam with it): param -= param * weightDecay * learning rate. With plain SGD it is an L2
     * penalty of weightDecay / 2 times the squared weights (biases included, as in Keras).
     *
     * @param weightDecay 0 (none) or more, below 1 / the learning rate
     * @return this optimizer
     */
    public Optimizer withWeightDecay(float weightDecay) {
        if (!(weightDecay >= 0 && weightDecay * learningRate() < 1))
            throw new IllegalArgumentException(name() + ": weight decay must be at least 0 and below 1 / the learning rate, got " + weightDecay);
        this.weightDecay = weightDecay;
        return this;
    }

    /** @return the weight decay (0: none) */
    public float weightDecay() { return weightDecay; }

    /**
     * Sets the learning-rate schedule (before training; checkpoints and config.json record it).
     *
     * @param schedule the schedule
     * @return this optimizer
     */
    public Optimizer withSchedule(Schedule schedule) {
        this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
        return this;
    }

    /** @return the learning-rate schedule */
    public Schedule schedule() { return schedule; }

    /** @return the learning rate of the update being applied: the base rate times the schedule's factor */
    protected float currentLearningRate() { return (float) (learningRate() * schedule.factor(steps)); }

    /**
     * Allocates zeroed state for the parameters on the backend, freeing any earlier state;
     * the optimizer owns it until {@link #close}.
     *
     * @param backend where the parameters live
     * @param size    the number of parameters
     */
    public void attach(Backend backend, int size) {
        close();
        this.backend = backend;
        this.steps = 0;
        allocate(size);
    }

    /**
     * One update of the parameters from their gradient.
     *
     * @param params 1 x size, updated
     * @param grads  1 x size
     */
    public final void update(Tensor params, Tensor grads) {
        countUpdate();
        if (weightDecay > 0) backend.weightDecay(params, weightDecay * currentLearningRate());
        apply(params, grads);
    }

    private void countUpdate() {
        if (backend == null) throw new IllegalStateException(name() + ": update before attach");
        steps++;
    }

    /**
     * @return whether this optimizer can update a dense layer inside its weight-gradient product
     *         ({@link #updateDense}): plain SGD does; SGD with momentum and Adam do not (Adam
     *         inside the product measured no faster: its moments are the traffic, not the gradient)
     */
    public boolean updatesInsideProducts() { return false; }

    /**
     * For a training loop that updates each dense layer inside its weight-gradient product
     * instead of calling {@link #update}: counts the update as update does. Call once per step,
     * before the layers' {@link #updateDense} calls.
     */
    public final void startUpdate() {
        if (!updatesInsideProducts()) throw new IllegalStateException(name() + " does not update inside the gradient products");
        countUpdate();
    }

    /**
     * One dense layer's part of the update {@link #startUpdate} began, from its input x and the
     * gradient dz of its pre-activation, through the backend's fused operation.
     *
     * @param x    rows x in: the layer's input
     * @param dz   rows x out
     * @param w    in x out: a view of the parameters given to {@link #attach}'s layout, updated
     * @param bias 1 x out: likewise
     * @param dw   in x out: the gradient buffer of w (written by optimizers that need it)
     * @param db   1 x out: the gradient buffer of bias, written
     */
    public void updateDense(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor dw, Tensor db) {
        throw new IllegalStateException(name() + " does not update inside the gradient products");
    }

    /**
     * {@link #updateDense} of a layer that also sends a gradient down, computed from its weights
     * before the update: dx = (dz W^T) * mask * f'(yPrev), as {@link Backend#denseInputGrad}.
     * By default the two one after the other; plain SGD asks the backend for both at once.
     *
     * @param x     rows x in: the layer's input
     * @param dz    rows x out
     * @param w     in x out: as in {@link #updateDense(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)}, updated
     * @param bias  1 x out: likewise
     * @param dw    in x out: the gradient buffer of w (written by optimizers that need it)
     * @param db    1 x out: the gradient buffer of bias, written
     * @param f     the activation of the layer below
     * @param yPrev rows x in: the output of the layer below
     * @param mask  rows x in: the dropout mask between them, or null
     * @param dx    rows x in, written
     */
    public void updateDense(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor dw, Tensor db,
                            Activation f, Tensor yPrev, Tensor mask, Tensor dx) {
        backend.denseInputGrad(dz, w, f, yPrev, mask, dx);
        updateDense(x, dz, w, bias, dw, db);
    }

    /** @return the updates done since {@link #attach} (Adam's t) */
    public long steps() { return steps; }

    /**
     * Puts back the state a checkpoint saved.
     *
     * @param steps the update count
     * @param state each state tensor's values, in {@link #state()}'s order
     */
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

    /** @return "sgd", "adam" or "rmsprop" */
    public abstract String name();

    /** @return the learning rate */
    public abstract float learningRate();

    /** @return the state tensors in a fixed order (empty for plain SGD) */
    public abstract Tensor[] state();

    /** @return the Keras-like configuration: {"name": "adam", "learning_rate": ...}, and the schedule unless constant */
    public final JsonObject config() {
        JsonObject c = settings();
        if (weightDecay > 0) c.addProperty("weight_decay", weightDecay);
        if (!(schedule instanceof Schedule.Constant)) c.add("schedule", schedule.config());
        return c;
    }

    /** @return the optimizer's own settings: {"name": ..., "learning_rate": ...} */
    protected abstract JsonObject settings();

    /**
     * @param more the settings after the name and learning rate: key, value, key, value, ...
     * @return {"name": name(), "learning_rate": learningRate(), key: value, ...}
     */
    protected final JsonObject settings(Object... more) {
        JsonObject c = new JsonObject();
        c.addProperty("name", name());
        c.addProperty("learning_rate", learningRate());
        for (int i = 0; i < more.length; i += 2) c.addProperty((String) more[i], (Number) more[i + 1]);
        return c;
    }

    /**
     * Allocates the state tensors on {@link #backend}.
     *
     * @param size the number of parameters
     */
    protected abstract void allocate(int size);

    /**
     * The update itself, after {@link #steps} was counted up.
     *
     * @param params 1 x size, updated
     * @param grads  1 x size
     */
    protected abstract void apply(Tensor params, Tensor grads);

    /** Frees the state tensors. */
    @Override public void close() {
        for (Tensor t : state()) if (t != null) t.close();
    }

    /**
     * @param c {@link #config()}'s output
     * @return a new optimizer so configured
     * @throws IllegalArgumentException naming the field (optimizer.learning_rate, ...)
     */
    public static Optimizer fromConfig(JsonFields c) {
        String name = c.string("name");
        float lr = (float) c.number("learning_rate");
        Optimizer o = switch (name) {
            case "sgd" -> new Sgd(lr, c.has("momentum") ? (float) c.number("momentum") : 0f);
            case "adam" -> new Adam(lr, (float) c.number("beta_1"), (float) c.number("beta_2"), (float) c.number("epsilon"));
            case "rmsprop" -> new Rmsprop(lr, (float) c.number("rho"), (float) c.number("epsilon"));
            default -> throw new IllegalArgumentException("field '" + c.path() + ".name': expected sgd, adam or rmsprop, found \"" + name + "\"");
        };
        if (c.has("weight_decay")) o.withWeightDecay((float) c.number("weight_decay"));
        return c.has("schedule") ? o.withSchedule(Schedule.fromConfig(c.object("schedule"))) : o;
    }

    /**
     * @param name     "sgd", "adam", "adamw" (Adam with Keras AdamW's weight decay, 0.004) or "rmsprop", in any case
     * @param lr       the learning rate, positive and finite
     * @param momentum SGD's momentum in [0, 1) (Adam ignores it)
     * @return a new optimizer with these settings and the defaults otherwise
     */
    public static Optimizer named(String name, float lr, float momentum) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "sgd" -> new Sgd(lr, momentum);
            case "adam" -> new Adam(lr);
            case "adamw" -> new Adam(lr).withWeightDecay(ADAMW_WEIGHT_DECAY);
            case "rmsprop" -> new Rmsprop(lr);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "': expected sgd, adam, adamw or rmsprop");
        };
    }

    @Override public String toString() { return config().toString(); }
}
