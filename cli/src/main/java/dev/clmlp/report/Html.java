package dev.clmlp.report;

import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page: styles inline, images as data: URIs, no script, and a
 * Content-Security-Policy that forbids the page any network access, so it reads the same offline,
 * attached to a mail or years later.
 */
final class Html {
    private final StringBuilder body = new StringBuilder();
    private final String title;

    private static final String STYLE = """
            body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2329; margin: 0 auto; padding: 24px; max-width: 1320px; }
            h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 10px; border-bottom: 1px solid #d8dee4; padding-bottom: 4px; }
            .sub { color: #57606a; margin: 0 0 16px; }
            pre, code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
            pre { background: #f6f8fa; border: 1px solid #d8dee4; border-radius: 6px; padding: 10px 12px; overflow-x: auto; }
            table { border-collapse: collapse; margin: 6px 0 12px; } th, td { border: 1px solid #d8dee4; padding: 3px 9px; text-align: right; }
            th { background: #f6f8fa; } td.l, th.l { text-align: left; }
            .cards { display: flex; flex-wrap: wrap; gap: 12px; } .card { border: 1px solid #d8dee4; border-radius: 8px; padding: 8px 14px; min-width: 150px; }
            .card b { display: block; font-size: 22px; } .card span { color: #57606a; font-size: 13px; }
            img { max-width: 100%; height: auto; border: 1px solid #eaeef2; } .cm td { min-width: 34px; } .wrong { color: #c62828; } .right { color: #1b7a1b; }
            details summary { cursor: pointer; color: #0969da; }
            """;

    Html(String title, String subtitle) {
        this.title = title;
        body.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"sub\">").append(esc(subtitle)).append("</p>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    Html h2(String text) { body.append("<h2>").append(esc(text)).append("</h2>\n"); return this; }

    Html p(String text) { body.append("<p>").append(esc(text)).append("</p>\n"); return this; }

    Html pre(String text) { body.append("<pre>").append(esc(text)).append("</pre>\n"); return this; }

    /** Raw markup built by the caller from escaped parts. */
    Html raw(String html) { body.append(html).append('\n'); return this; }

    /** Figures: name and value side by side, large. */
    Html cards(List<String[]> nameValue) {
        body.append("<div class=\"cards\">");
        for (String[] c : nameValue) body.append("<div class=\"card\"><b>").append(esc(c[1])).append("</b><span>").append(esc(c[0])).append("</span></div>");
        body.append("</div>\n");
        return this;
    }

    /** A table; cells of the first column are left-aligned. */
    Html table(List<String> header, List<List<String>> rows) {
        body.append("<table><tr>");
        for (int j = 0; j < header.size(); j++) body.append(j == 0 ? "<th class=\"l\">" : "<th>").append(esc(header.get(j))).append("</th>");
        body.append("</tr>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            for (int j = 0; j < r.size(); j++) body.append(j == 0 ? "<td class=\"l\">" : "<td>").append(esc(r.get(j))).append("</td>");
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    /** An image, inlined as a PNG data: URI. */
    Html img(BufferedImage image, String alt) {
        body.append("<img alt=\"").append(esc(alt)).append("\" width=\"").append(image.getWidth()).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(Png.bytes(image))).append("\">\n");
        return this;
    }

    /** @return the whole page */
    String page() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + esc(title) + "</title>\n<style>\n" + STYLE
                + "</style>\n</head>\n<body>\n" + body + "<p class=\"sub\">Written by clmlp. This page is self-contained: it loads nothing from the network.</p>\n</body>\n</html>\n";
    }
}
