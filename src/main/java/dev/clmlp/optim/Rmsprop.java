package dev.clmlp.optim;

import com.google.gson.JsonObject;
import dev.clmlp.tensor.Tensor;

/** RMSprop as in Keras (no momentum, not centred): rho 0.9, epsilon 1e-7 added to the mean square under the root. */
public final class Rmsprop extends Optimizer {
    private final float lr, rho, eps;
    private Tensor v;

    /**
     * Keras' defaults: rho 0.9, epsilon 1e-7.
     *
     * @param lr the learning rate, positive and finite
     */
    public Rmsprop(float lr) { this(lr, 0.9f, 1e-7f); }

    /**
     * @param lr  the learning rate, positive and finite
     * @param rho the mean square's decay, in [0, 1)
     * @param eps added to the mean square under the root, positive and finite
     */
    public Rmsprop(float lr, float rho, float eps) {
        if (!(lr > 0 && Float.isFinite(lr))) throw new IllegalArgumentException("rmsprop: learning rate must be a positive finite number, got " + lr);
        if (!(rho >= 0 && rho < 1)) throw new IllegalArgumentException("rmsprop: rho must be in [0, 1), got " + rho);
        if (!(eps > 0 && Float.isFinite(eps))) throw new IllegalArgumentException("rmsprop: epsilon must be a positive finite number, got " + eps);
        this.lr = lr;
        this.rho = rho;
        this.eps = eps;
    }

    @Override public String name() { return "rmsprop"; }

    @Override public float learningRate() { return lr; }

    @Override protected void allocate(int size) { v = backend.zeros(1, size); }

    @Override protected void apply(Tensor params, Tensor grads) { backend.rmsprop(params, grads, v, currentLearningRate(), rho, eps); }

    @Override public Tensor[] state() { return v == null ? new Tensor[0] : new Tensor[] {v}; }

    @Override protected JsonObject settings() { return settings("rho", rho, "epsilon", eps); }
}
