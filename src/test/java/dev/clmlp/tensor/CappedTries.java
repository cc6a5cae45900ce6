package dev.clmlp.tensor;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Caps every property's tries at the system property clmlp.test.maxTries when it is set: the
 * simulator and second-implementation passes (-Poclgrind, -Prusticl) run each kernel variant on
 * a few random shapes, not each property's full count, which the main pass runs.
 */
public final class CappedTries implements AroundPropertyHook {
    @Override public net.jqwik.api.lifecycle.PropagationMode propagateTo() { return net.jqwik.api.lifecycle.PropagationMode.ALL_DESCENDANTS; }

    @Override public boolean appliesTo(java.util.Optional<java.lang.reflect.AnnotatedElement> element) { return true; }

    /** Before jqwik's own hooks, so that the tries are set before the property's generators are made. */
    @Override public int aroundPropertyProximity() { return -100; }

    @Override public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String cap = System.getProperty("clmlp.test.maxTries");
        if (cap != null && !cap.isBlank()) {
            int max = Integer.parseInt(cap.trim());
            int tries = context.attributes().tries().orElse(1000);
            context.attributes().setTries(Math.min(tries, max));
        }
        return property.execute();
    }
}
