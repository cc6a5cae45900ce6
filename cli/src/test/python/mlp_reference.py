#!/usr/bin/env python3
"""A float64 numpy MLP, the reference OwnDataTest holds clmlp to on the same CSV files.

Same model and training as `clmlp train --layers L --activation relu --init he_normal
--optimizer adam --lr LR --batch B --epochs E --scale standard`: He-normal init, ReLU hidden
layers, softmax + cross-entropy, Adam (Keras defaults: beta 0.9/0.999, eps 1e-7), minibatches
reshuffled each epoch, the last partial batch used, features standardised with the training
set's mean and population deviation. Its own random stream, so only the accuracy compares.

With a last argument `regression`: a linear output for the last column as a real-valued target,
the mean squared error as the loss (`clmlp train --loss mse`), and the validation R^2 printed
(scikit-learn's r2_score).

usage: mlp_reference.py TRAIN.csv VAL.csv LAYERS LR BATCH EPOCHS SEED [regression]
       (prints the validation accuracy, or R^2)
"""
import sys
import numpy as np


def load(path, regression):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1] if regression else data[:, -1].astype(int)


def main(train, val, layers, lr, batch, epochs, seed, regression=False):
    rng = np.random.default_rng(seed)
    x, y = load(train, regression)
    vx, vy = load(val, regression)
    mean, std = x.mean(0), x.std(0)
    std[std == 0] = 1
    x, vx = (x - mean) / std, (vx - mean) / std
    sizes = [x.shape[1]] + layers + [1 if regression else int(max(y.max(), vy.max())) + 1]
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        params += [rng.normal(0, np.sqrt(2 / n_in), (n_in, n_out)), np.zeros(n_out)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0

    def forward(xb):
        acts = [xb]
        for i in range(0, len(params), 2):
            z = acts[-1] @ params[i] + params[i + 1]
            if i + 2 < len(params):
                acts.append(np.maximum(z, 0))
            elif regression:
                acts.append(z)
            else:
                z = z - z.max(1, keepdims=True)
                e = np.exp(z)
                acts.append(e / e.sum(1, keepdims=True))
        return acts

    for _ in range(epochs):
        order = rng.permutation(len(x))
        for s in range(0, len(x), batch):
            idx = order[s:s + batch]
            acts = forward(x[idx])
            if regression:
                delta = 2 * (acts[-1] - y[idx, None]) / len(idx)
            else:
                delta = acts[-1].copy()
                delta[np.arange(len(idx)), y[idx]] -= 1
                delta /= len(idx)
            grads = [None] * len(params)
            for i in range(len(params) - 2, -1, -2):
                grads[i], grads[i + 1] = acts[i // 2].T @ delta, delta.sum(0)
                if i > 0:
                    delta = (delta @ params[i].T) * (acts[i // 2] > 0)
            t += 1
            for p, g, mp, vp in zip(params, grads, m, v):
                mp[:] = 0.9 * mp + 0.1 * g
                vp[:] = 0.999 * vp + 0.001 * g * g
                p -= lr * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t) * mp / (np.sqrt(vp) + 1e-7)
    if regression:
        pred = forward(vx)[-1][:, 0]
        print(f"{1 - ((pred - vy) ** 2).sum() / ((vy - vy.mean()) ** 2).sum():.4f}")
    else:
        print(f"{(forward(vx)[-1].argmax(1) == vy).mean():.4f}")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], a[1], [int(n) for n in a[2].split(",")], float(a[3]), int(a[4]), int(a[5]), int(a[6]), len(a) > 7 and a[7] == "regression")
