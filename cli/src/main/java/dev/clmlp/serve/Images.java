package dev.clmlp.serve;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * A PNG body as an image model's input: grey levels / 255 (MNIST's scaling), resized to the
 * model's square input (28 x 28 for 784 inputs), and inverted when its border is light, so a
 * dark digit on white paper reads as MNIST's light digit on black.
 */
final class Images {
    private Images() {}

    /** PNG's signature: the first bytes of every PNG file. */
    static boolean isPng(byte[] body) {
        return body.length > 8 && (body[0] & 0xFF) == 0x89 && body[1] == 'P' && body[2] == 'N' && body[3] == 'G';
    }

    /**
     * @param png    the image file's bytes
     * @param inputs the model's input size, a square number
     * @return one row of inputs
     * @throws BadRequest when the model does not take square images or the bytes are not a readable image
     */
    static float[] features(byte[] png, int inputs) throws BadRequest {
        int side = (int) Math.round(Math.sqrt(inputs));
        if (side * side != inputs) throw new BadRequest("an image body needs a model of square images; this one takes " + inputs + " numbers: send {\"instances\": ...}");
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new BadRequest("the PNG body cannot be read: " + e.getMessage());
        }
        if (img == null) throw new BadRequest("the body is not an image ImageIO reads");
        BufferedImage grey = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, side, side, null);
        g.dispose();
        float[] x = new float[inputs];
        double border = 0;
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++) {
                int v = grey.getRaster().getSample(c, r, 0);
                x[r * side + c] = v;
                if (r == 0 || c == 0 || r == side - 1 || c == side - 1) border += v;
            }
        boolean invert = border / (4 * side - 4) > 127;
        for (int i = 0; i < inputs; i++) x[i] = (invert ? 255 - x[i] : x[i]) * (1f / 255f); // as Dataset.example scales pixels
        return x;
    }
}
