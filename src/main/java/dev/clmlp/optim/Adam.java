package dev.clmlp.optim;

import com.google.gson.JsonObject;
import dev.clmlp.tensor.Tensor;

/** Adam as in Keras: beta_1 0.9, beta_2 0.999, epsilon 1e-7, bias correction folded into the step size. */
public final class Adam extends Optimizer {
    private final float lr, beta1, beta2, eps;
    private Tensor m, v;

    /**
     * Keras' defaults: beta_1 0.9, beta_2 0.999, epsilon 1e-7.
     *
     * @param lr the learning rate, positive and finite
     */
    public Adam(float lr) { this(lr, 0.9f, 0.999f, 1e-7f); }

    /**
     * @param lr    the learning rate, positive and finite
     * @param beta1 the first moments' decay, in [0, 1)
     * @param beta2 the second moments' decay, in [0, 1)
     * @param eps   added to sqrt(v), positive and finite
     */
    public Adam(float lr, float beta1, float beta2, float eps) {
        if (!(lr > 0 && Float.isFinite(lr))) throw new IllegalArgumentException("adam: learning rate must be a positive finite number, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1))
            throw new IllegalArgumentException("adam: betas must be in [0, 1), got " + beta1 + ", " + beta2);
        if (!(eps > 0 && Float.isFinite(eps))) throw new IllegalArgumentException("adam: epsilon must be a positive finite number, got " + eps);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override public String name() { return "adam"; }

    @Override public float learningRate() { return lr; }

    @Override protected void allocate(int size) {
        m = backend.zeros(1, size);
        v = backend.zeros(1, size);
    }

    @Override protected void apply(Tensor params, Tensor grads) { backend.adam(params, grads, m, v, currentLearningRate(), beta1, beta2, eps, steps); }

    @Override public Tensor[] state() { return m == null ? new Tensor[0] : new Tensor[] {m, v}; }

    @Override protected JsonObject settings() { return settings("beta_1", beta1, "beta_2", beta2, "epsilon", eps); }
}
