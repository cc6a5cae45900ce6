package dev.clmlp.optim;

import com.google.gson.JsonObject;
import dev.clmlp.io.JsonFields;

import java.util.Locale;

/**
 * A learning-rate schedule: the factor by which update t (from 1) scales an optimizer's
 * learning rate. A function of the update count alone, which checkpoints restore, so a resumed
 * run follows the same rates. As Keras' schedules: constant, step decay (Keras'
 * ExponentialDecay with staircase) and cosine decay (Keras' CosineDecay).
 */
public sealed interface Schedule permits Schedule.Constant, Schedule.Step, Schedule.Cosine {
    /** The rate as given, every update. */
    Schedule CONSTANT = new Constant();

    /**
     * @param t the update's number, from 1
     * @return the factor of the base learning rate for that update
     */
    double factor(long t);

    /** @return the schedule as JSON, which {@link #fromConfig} reads */
    JsonObject config();

    /** The factor 1. */
    record Constant() implements Schedule {
        @Override public double factor(long t) { return 1; }

        @Override public JsonObject config() { return named("constant"); }
    }

    /**
     * The factor multiplied by {@code factor} after every {@code everySteps} updates.
     *
     * @param everySteps updates between two decays, at least 1
     * @param factor     the decay, in (0, 1]
     */
    record Step(long everySteps, double factor) implements Schedule {
        /**
         * Checks the values.
         *
         * @param everySteps updates between two decays
         * @param factor     the decay
         */
        public Step {
            if (everySteps < 1) throw new IllegalArgumentException("step schedule: every must be at least 1 update, got " + everySteps);
            if (!(factor > 0 && factor <= 1)) throw new IllegalArgumentException("step schedule: factor must be in (0, 1], got " + factor);
        }

        @Override public double factor(long t) { return Math.pow(factor, (t - 1) / everySteps); }

        @Override public JsonObject config() {
            JsonObject o = named("step");
            o.addProperty("every_steps", everySteps);
            o.addProperty("factor", factor);
            return o;
        }
    }

    /**
     * Half a cosine from 1 down to alpha over decaySteps updates, then alpha.
     *
     * @param decaySteps the updates of the decay, at least 1
     * @param alpha      the final factor, in [0, 1]
     */
    record Cosine(long decaySteps, double alpha) implements Schedule {
        /**
         * Checks the values.
         *
         * @param decaySteps the updates of the decay
         * @param alpha      the final factor
         */
        public Cosine {
            if (decaySteps < 1) throw new IllegalArgumentException("cosine schedule: decay must last at least 1 update, got " + decaySteps);
            if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("cosine schedule: alpha must be in [0, 1], got " + alpha);
        }

        @Override public double factor(long t) {
            double progress = Math.min(t - 1, decaySteps) / (double) decaySteps;
            return alpha + (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }

        @Override public JsonObject config() {
            JsonObject o = named("cosine");
            o.addProperty("decay_steps", decaySteps);
            o.addProperty("alpha", alpha);
            return o;
        }
    }

    private static JsonObject named(String name) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        return o;
    }

    /**
     * @param c {@link #config()}'s output
     * @return the schedule
     * @throws IllegalArgumentException naming the field when it is malformed
     */
    static Schedule fromConfig(JsonFields c) {
        return switch (c.string("name")) {
            case "constant" -> CONSTANT;
            case "step" -> new Step(c.integer("every_steps"), c.number("factor"));
            case "cosine" -> new Cosine(c.integer("decay_steps"), c.number("alpha"));
            default -> throw new IllegalArgumentException("field '" + c.path() + ".name': expected constant, step or cosine, found \"" + c.string("name") + "\"");
        };
    }

    /**
     * The command line's form: "constant", "step:EPOCHS:FACTOR" (multiply by FACTOR every EPOCHS
     * epochs) or "cosine[:ALPHA]" (down to ALPHA, default 0, over the whole run).
     *
     * @param spec          the option's value
     * @param stepsPerEpoch updates per epoch
     * @param totalSteps    updates of the whole run
     * @return the schedule
     * @throws IllegalArgumentException naming the forms when spec is none of them
     */
    static Schedule parse(String spec, long stepsPerEpoch, long totalSteps) {
        String[] p = spec.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            if (p[0].equals("constant") && p.length == 1) return CONSTANT;
            if (p[0].equals("step") && p.length == 3) return new Step(Long.parseLong(p[1]) * stepsPerEpoch, Double.parseDouble(p[2]));
            if (p[0].equals("cosine") && p.length <= 2) return new Cosine(totalSteps, p.length == 2 ? Double.parseDouble(p[1]) : 0);
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--lr-schedule: '" + spec + "' is not constant, step:EPOCHS:FACTOR or cosine[:ALPHA]");
    }
}
