package dev.clmlp.optim;

import com.google.gson.JsonObject;
import dev.clmlp.tensor.Activation;
import dev.clmlp.tensor.Tensor;

/** Stochastic gradient descent, optionally with (Keras-style) momentum. */
public final class Sgd extends Optimizer {
    private final float lr, momentum;
    private Tensor velocity;

    /**
     * @param lr the learning rate, positive and finite
     */
    public Sgd(float lr) { this(lr, 0f); }

    /**
     * @param lr       the learning rate, positive and finite
     * @param momentum Keras-style momentum in [0, 1); 0 for plain SGD
     */
    public Sgd(float lr, float momentum) {
        if (!(lr > 0 && Float.isFinite(lr))) throw new IllegalArgumentException("sgd: learning rate must be a positive finite number, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("sgd: momentum must be in [0, 1), got " + momentum);
        this.lr = lr;
        this.momentum = momentum;
    }

    @Override public String name() { return "sgd"; }

    @Override public float learningRate() { return lr; }

    @Override public boolean updatesInsideProducts() { return momentum == 0f && weightDecay() == 0f; }

    @Override public void updateDense(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor dw, Tensor db) {
        backend.denseSgd(x, dz, w, bias, db, currentLearningRate());
    }

    @Override public void updateDense(Tensor x, Tensor dz, Tensor w, Tensor bias, Tensor dw, Tensor db,
                                      Activation f, Tensor yPrev, Tensor mask, Tensor dx) {
        backend.denseBackwardSgd(x, dz, w, bias, db, currentLearningRate(), f, yPrev, mask, dx);
    }

    @Override protected void allocate(int size) { velocity = momentum > 0 ? backend.zeros(1, size) : null; }

    @Override protected void apply(Tensor params, Tensor grads) { backend.sgd(params, grads, velocity, currentLearningRate(), momentum); }

    @Override public Tensor[] state() { return velocity == null ? new Tensor[0] : new Tensor[] {velocity}; }

    @Override protected JsonObject settings() { return settings("momentum", momentum); }
}
