package dev.clmlp.opencl;

import dev.clmlp.Backends;

/** Run in a child JVM by BindingsTest with LWJGL's jars left off the class path. */
public final class NoLwjglProbe {
    public static void main(String[] args) {
        try {
            Backends.open("lwjgl:0").close();
            System.out.println("lwjgl: unexpectedly opened");
        } catch (IllegalStateException e) {
            System.out.println("lwjgl: " + e.getMessage());
        }
        try (var b = Backends.open("opencl:0")) {
            System.out.println("jocl: " + b.name());
        }
    }
}
