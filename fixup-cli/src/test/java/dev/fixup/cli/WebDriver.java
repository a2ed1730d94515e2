package dev.fixup.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small W3C WebDriver client for chromedriver and headless Chromium, over the JDK's HTTP client:
 * open a page, find and click elements, run a script, take a screenshot. Enough for the web
 * view's browser test, without a Selenium dependency.
 */
final class WebDriver implements AutoCloseable {
    private static final String ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";
    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String session;

    WebDriver(Path userDataDir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        driver = new ProcessBuilder("chromedriver", "--port=" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        base = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                if (call("GET", "/status", null).contains("\"ready\":true")) break;
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("chromedriver did not start");
            Thread.sleep(100);
        }
        List<String> args = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1600,1000", "--user-data-dir=" + userDataDir);
        String caps = "{\"capabilities\":{\"alwaysMatch\":{\"goog:chromeOptions\":{\"binary\":\"" + chromium()
                + "\",\"args\":[" + String.join(",", args.stream().map(a -> "\"" + a + "\"").toList()) + "]}}}}";
        String reply = call("POST", "/session", caps);
        session = field(reply, "sessionId");
    }

    private static String chromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (new java.io.File(p).canExecute()) return p;
        }
        return "chromium";
    }

    void open(String url) throws Exception {
        call("POST", path("/url"), "{\"url\":\"" + url + "\"}");
    }

    /** The ids of the elements matching a CSS selector. */
    List<String> find(String css) throws Exception {
        String reply = call("POST", path("/elements"), "{\"using\":\"css selector\",\"value\":\"" + css.replace("\"", "\\\"") + "\"}");
        Matcher m = Pattern.compile("\"" + ELEMENT_KEY + "\":\"([^\"]+)\"").matcher(reply);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    void click(String element) throws Exception {
        call("POST", path("/element/" + element + "/click"), "{}");
    }

    String text(String element) throws Exception {
        return stringValue(call("GET", path("/element/" + element + "/text"), null));
    }

    /** Runs a script that returns a string (or a value the script turns into one). */
    String script(String js) throws Exception {
        return stringValue(call("POST", path("/execute/sync"), "{\"script\":\"" + escape(js) + "\",\"args\":[]}"));
    }

    byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode(stringValue(call("GET", path("/screenshot"), null)));
    }

    /** Polls a script until it returns {@code expected}; the last value otherwise. */
    String waitFor(String js, String expected, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        String v;
        do {
            v = script(js);
            if (expected.equals(v)) return v;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return v;
    }

    private String path(String p) {
        return "/session/" + session + p;
    }

    private String call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
        else b.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("webdriver " + method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
        return m.group(1);
    }

    /** The "value" of a WebDriver reply, a JSON string (unescaped) or another value as written. */
    private static String stringValue(String json) {
        int at = json.indexOf("\"value\":");
        if (at < 0) return json;
        int i = at + 8;
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) i++;
        if (i < json.length() && json.charAt(i) == '"') {
            int end = i + 1;
            while (end < json.length() && json.charAt(end) != '"') end += json.charAt(end) == '\\' ? 2 : 1;
            return unescape(json.substring(i + 1, Math.min(end, json.length())));
        }
        int end = i;
        while (end < json.length() && json.charAt(end) != ',' && json.charAt(end) != '}') end++;
        return json.substring(i, end).trim();
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) { b.append(c); continue; }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'u' -> { b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16)); i += 4; }
                default -> b.append(n);
            }
        }
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public void close() {
        try {
            call("DELETE", path(""), null);
        } catch (Exception e) {
            // the browser is going away anyway
        }
        driver.destroy();
        try {
            if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) driver.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            driver.destroyForcibly();
        }
    }
}
