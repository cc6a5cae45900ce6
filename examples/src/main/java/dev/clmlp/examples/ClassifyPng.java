package dev.clmlp.examples;

import dev.clmlp.Backends;
import dev.clmlp.data.Dataset;
import dev.clmlp.nn.Sequential;
import dev.clmlp.tensor.Backend;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Example 3: load a saved run (a directory written by ./clmlp train) and classify one image.
 * The PNG is scaled to 28x28 and turned to gray; like MNIST, a digit is light on a dark
 * background (pass --invert for a dark digit on white paper).
 * Run: java -cp ... dev.clmlp.examples.ClassifyPng RUN_DIR IMAGE.png [--invert]
 */
public final class ClassifyPng {
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ClassifyPng RUN_DIR IMAGE.png [--invert]");
            System.exit(2);
        }
        float[] pixels = pixels(Path.of(args[1]), args.length > 2 && args[2].equals("--invert"));
        try (Backend b = Backends.open("auto"); Sequential model = Sequential.load(Path.of(args[0]), b)) {
            float[] p = model.predict(Dataset.ofFloats(args[1], pixels, 1, 784, new int[] {0}, model.classes()));
            int best = 0;
            for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
            System.out.printf("%s: %d (probability %.3f)%n", args[1], best, p[best]);
        }
    }

    /** 784 gray values in [0, 1], row by row. */
    static float[] pixels(Path png, boolean invert) throws IOException {
        BufferedImage in = ImageIO.read(png.toFile());
        if (in == null) throw new IOException(png + ": not an image ImageIO can read");
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(in, 0, 0, 28, 28, null);
        g.dispose();
        float[] out = new float[784];
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++) {
                float v = (gray.getRaster().getSample(x, y, 0)) / 255f;
                out[y * 28 + x] = invert ? 1 - v : v;
            }
        return out;
    }
}
