package dev.clmlp.examples;

import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;

import java.nio.IntBuffer;
import java.util.Random;

import static org.lwjgl.opencl.CL10.clGetPlatformIDs;

/**
 * Example 4: example 1 in an app that already uses LWJGL. The app talks to OpenCL through
 * LWJGL itself (here it counts the platforms), and clmlp runs through the same binding
 * ("lwjgl:0"), so no second OpenCL binding is loaded. Same kernels, same device: the result is
 * bit for bit what JOCL ("opencl:0") gives.
 * Run: java -cp ... dev.clmlp.examples.LwjglApp
 */
public final class LwjglApp {
    public static void main(String[] args) {
        try (MemoryStack stack = MemoryStack.stackPush()) { // the app's own LWJGL code
            IntBuffer count = stack.mallocInt(1);
            clGetPlatformIDs((PointerBuffer) null, count);
            System.out.println("the app sees " + count.get(0) + " OpenCL platform(s) through LWJGL");
        }
        int n = 5, in = 7, out = 3;
        Random r = new Random(1);
        float[] x = new float[n * in], w = new float[in * out], bias = new float[out];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.5f;
        float[] viaLwjgl = ComputeApi.probabilities("lwjgl:0", x, w, bias, n, in, out);
        float[] viaJocl = ComputeApi.probabilities("opencl:0", x, w, bias, n, in, out);
        if (!java.util.Arrays.equals(viaLwjgl, viaJocl)) throw new AssertionError("LWJGL and JOCL differ");
        System.out.printf("row 0: %.4f %.4f %.4f; identical through LWJGL and JOCL%n", viaLwjgl[0], viaLwjgl[1], viaLwjgl[2]);
    }
}
