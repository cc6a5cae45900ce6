package dev.clmlp.report;

import dev.clmlp.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Writes images as PNG, atomically. */
final class Png {
    private Png() {}

    static void write(Path file, BufferedImage image) { AtomicFiles.write(file, bytes(image)); }

    /** @return the image encoded as PNG */
    static byte[] bytes(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Charts laid out in a grid of the given number of columns. */
    static BufferedImage grid(java.util.List<BufferedImage> tiles, int cols) {
        int w = tiles.get(0).getWidth(), h = tiles.get(0).getHeight(), rows = (tiles.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(w * Math.min(cols, tiles.size()), h * rows, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < tiles.size(); i++) g.drawImage(tiles.get(i), (i % cols) * w, (i / cols) * h, null);
        g.dispose();
        return out;
    }
}
