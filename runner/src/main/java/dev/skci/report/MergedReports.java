package dev.skci.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.SkciException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code skci merge-reports}: the reports of several shards ({@code skci run --shard I/N}) as the reports of one
 * run. The merged {@code summary.json} has the same schema (so it works as a {@code --baseline}), plus the list of
 * shards; {@code junit.xml}, {@code timeline.json} and {@code report.html} hold every shard's simulations. It fails
 * closed: a shard that left no reports is an error of the merged run (exit 3: its job died before it could write
 * them), never a silent pass.
 */
public final class MergedReports {
    /** Which exit code wins when shards disagree: a stop beats a failure of the environment beats a verdict. */
    private static final List<Integer> PRECEDENCE = List.of(130, 143, 4, 70, 2, 3, 1, 5, 0);
    private static final String DATA_START = "<script type=\"application/json\" id=\"skci-data\">";

    private MergedReports() {}

    /** One shard's report directory, read. */
    record Part(Path dir, JsonNode summary) {
        Optional<int[]> shard() {
            JsonNode s = summary.path("shard");
            return s.isObject() ? Optional.of(new int[] {s.path("index").asInt(), s.path("total").asInt()}) : Optional.empty();
        }

        String label() {
            return shard().map(s -> s[0] + "/" + s[1]).orElse(dir.toString());
        }
    }

    /** A shard that left no reports: which one (or which input), and why that matters. */
    record Missing(String label, String message) {}

    /** What was merged: the exit code of the merged run and the lines to print. */
    public record Result(int exitCode, List<String> lines) {}

    /**
     * Merges the report directories (or their summary.json files) {@code inputs} into {@code out}. Invalid input
     * (a path that does not exist, a file that is not an skci summary, shards of different splits or the same shard
     * twice) is found before anything is written.
     */
    public static Result merge(List<Path> inputs, Path out, Map<String, String> env, java.io.PrintStream stdout) throws IOException {
        if (inputs.isEmpty()) {
            throw SkciException.invalidInput("merge-reports: give the report directories of the shards, e.g. skci merge-reports shards/*");
        }
        List<Part> parts = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        for (Path in : inputs) {
            Path dir = Files.isRegularFile(in) ? in.toAbsolutePath().getParent() : in;
            if (!Files.exists(in)) {
                throw SkciException.invalidInput("merge-reports: " + in + " does not exist; give a shard's report directory or its summary.json");
            }
            if (dir.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw SkciException.invalidInput("merge-reports: " + in + " is also the output directory (-o); write the merged reports elsewhere");
            }
            Path summary = Files.isRegularFile(in) ? in : dir.resolve("summary.json");
            if (!Files.isRegularFile(summary)) {
                missing.add(new Missing(in.toString(), in + " has no summary.json (that shard's job ended before it wrote its reports; "
                        + "see its log)"));
                continue;
            }
            JsonNode root;
            try {
                root = SummaryJson.JSON.readTree(summary.toFile());
            } catch (IOException e) {
                throw SkciException.invalidInput("merge-reports: " + summary + " is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            if (root == null || root.path("schemaVersion").asInt(0) != SummaryJson.SCHEMA_VERSION) {
                throw SkciException.invalidInput("merge-reports: " + summary + " is not an skci summary.json of schema version "
                        + SummaryJson.SCHEMA_VERSION);
            }
            parts.add(new Part(dir, root));
        }
        missing.addAll(missingShards(parts));
        parts.sort(Comparator.comparingInt((Part p) -> p.shard().map(s -> s[0]).orElse(Integer.MAX_VALUE)));

        int exitCode = missing.isEmpty() ? 0 : 3;
        for (Part p : parts) {
            exitCode = worse(exitCode, p.summary().path("exitCode").asInt(70));
        }

        ObjectNode summary = SummaryJson.JSON.createObjectNode();
        summary.put("schemaVersion", SummaryJson.SCHEMA_VERSION).put("passed", exitCode == 0).put("exitCode", exitCode)
                .put("result", SummaryJson.result(exitCode));
        ArrayNode sims = summary.putArray("simulations");
        ArrayNode errors = summary.putArray("errors");
        ArrayNode shards = summary.putArray("shards");
        ArrayNode timelines = SummaryJson.JSON.createArrayNode();
        for (Part p : parts) {
            p.summary().path("simulations").forEach(sims::add);
            p.summary().path("errors").forEach(errors::add);
            ObjectNode s = shards.addObject().put("shard", p.label()).put("exitCode", p.summary().path("exitCode").asInt())
                    .put("result", p.summary().path("result").asText()).put("from", p.dir().toString());
            JsonNode timeline = readJson(p.dir().resolve("timeline.json"));
            if (timeline != null && timeline.isArray()) {
                timeline.forEach(timelines::add);
            }
            s.put("simulations", p.summary().path("simulations").size());
        }
        missing.forEach(m -> errors.addObject().put("trace", "(shard " + m.label() + ")").put("error", m.message()));

        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.json"), SummaryJson.JSON.writeValueAsString(summary));
        Files.writeString(out.resolve("timeline.json"), SummaryJson.JSON.writeValueAsString(timelines));
        Files.writeString(out.resolve("junit.xml"), junit(parts, missing));
        Files.writeString(out.resolve("report.html"), html(parts, missing, exitCode));

        List<String> lines = new ArrayList<>();
        for (Part p : parts) {
            lines.add(String.format(Locale.ROOT, "shard %-6s %-18s exit %-3d %d simulation(s)  (%s)", p.label(),
                    p.summary().path("result").asText(), p.summary().path("exitCode").asInt(), p.summary().path("simulations").size(), p.dir()));
        }
        missing.forEach(m -> lines.add("missing: " + m.message()));
        lines.add(String.format(Locale.ROOT, "merged: %s (exit %d), %d simulation(s) from %d shard(s) into %s", SummaryJson.result(exitCode),
                exitCode, sims.size(), parts.size(), out));
        if ("true".equals(env.get("GITHUB_ACTIONS"))) {
            for (Missing m : missing) {
                stdout.println("::error title=skci merge-reports::" + m.message().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"));
            }
            append(env.get("GITHUB_STEP_SUMMARY"), markdown(parts, missing, exitCode));
            append(env.get("GITHUB_OUTPUT"), "result=" + SummaryJson.result(exitCode) + "\nexit-code=" + exitCode + "\nreport-dir=" + out + "\n");
        }
        return new Result(exitCode, lines);
    }

    /** The shards of a split that no input holds; shards of different splits, or one shard twice, are invalid input. */
    static List<Missing> missingShards(List<Part> parts) {
        Map<Integer, Path> seen = new HashMap<>();
        Integer total = null;
        for (Part p : parts) {
            Optional<int[]> s = p.shard();
            if (s.isEmpty()) {
                continue;
            }
            if (total != null && total != s.get()[1]) {
                throw SkciException.invalidInput("merge-reports: " + p.dir() + " is shard " + p.label() + " but another input is of "
                        + total + " shards; merge the shards of one run");
            }
            total = s.get()[1];
            Path other = seen.put(s.get()[0], p.dir());
            if (other != null) {
                throw SkciException.invalidInput("merge-reports: shard " + p.label() + " is given twice (" + other + " and " + p.dir() + ")");
            }
        }
        List<Missing> missing = new ArrayList<>();
        if (total != null) {
            for (int i = 1; i <= total; i++) {
                if (!seen.containsKey(i)) {
                    missing.add(new Missing(i + "/" + total, "shard " + i + "/" + total + " left no reports (its job ended before "
                            + "writing them, or its artifact was not downloaded)"));
                }
            }
        }
        return missing;
    }

    static int worse(int a, int b) {
        int ia = PRECEDENCE.indexOf(a);
        int ib = PRECEDENCE.indexOf(b);
        if (ia < 0 || ib < 0) {
            return ia < 0 ? a : b; // an unknown code is the most serious: it is not what skci writes
        }
        return ia <= ib ? a : b;
    }

    // ---------------------------------------------------------------- junit.xml

    static String junit(List<Part> parts, List<Missing> missing) throws IOException {
        try {
            DocumentBuilder builder = secureFactory().newDocumentBuilder();
            Document merged = builder.newDocument();
            Element root = merged.createElement("testsuites");
            root.setAttribute("name", "skci (merged)");
            merged.appendChild(root);
            for (Part p : parts) {
                Path f = p.dir().resolve("junit.xml");
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                Document d;
                try {
                    d = builder.parse(f.toFile());
                } catch (org.xml.sax.SAXException e) {
                    throw SkciException.invalidInput("merge-reports: " + f + " is not XML: " + e.getMessage());
                }
                NodeList suites = d.getDocumentElement().getElementsByTagName("testsuite");
                for (int i = 0; i < suites.getLength(); i++) {
                    Element suite = (Element) merged.importNode(suites.item(i), true);
                    if (p.shard().isPresent()) {
                        Element props = merged.createElement("properties");
                        Element prop = merged.createElement("property");
                        prop.setAttribute("name", "skci.shard");
                        prop.setAttribute("value", p.label());
                        props.appendChild(prop);
                        suite.insertBefore(props, suite.getFirstChild());
                    }
                    root.appendChild(suite);
                }
            }
            if (!missing.isEmpty()) {
                Element suite = merged.createElement("testsuite");
                suite.setAttribute("name", "skci: shards without reports");
                for (Missing m : missing) {
                    Element c = merged.createElement("testcase");
                    c.setAttribute("classname", "skci: shards without reports");
                    c.setAttribute("name", "shard " + m.label());
                    c.setAttribute("time", "0");
                    Element err = merged.createElement("error");
                    err.setAttribute("message", m.message());
                    c.appendChild(err);
                    suite.appendChild(c);
                }
                root.appendChild(suite);
            }
            // The root's totals are the sums of its suites'.
            double time = 0;
            long tests = 0, failures = 0, errors = 0, skipped = 0;
            NodeList all = root.getChildNodes();
            for (int i = 0; i < all.getLength(); i++) {
                if (all.item(i) instanceof Element s) {
                    long cases = count(s, "testcase");
                    long f = count(s, "failure");
                    long e = count(s, "error");
                    long k = count(s, "skipped");
                    s.setAttribute("tests", Long.toString(cases));
                    s.setAttribute("failures", Long.toString(f));
                    s.setAttribute("errors", Long.toString(e));
                    s.setAttribute("skipped", Long.toString(k));
                    tests += cases;
                    failures += f;
                    errors += e;
                    skipped += k;
                    time += parse(s.getAttribute("time"));
                }
            }
            root.setAttribute("tests", Long.toString(tests));
            root.setAttribute("failures", Long.toString(failures));
            root.setAttribute("errors", Long.toString(errors));
            root.setAttribute("skipped", Long.toString(skipped));
            root.setAttribute("time", String.format(Locale.ROOT, "%.3f", time));
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(merged), new StreamResult(w));
            return w.toString();
        } catch (javax.xml.parsers.ParserConfigurationException | javax.xml.transform.TransformerException e) {
            throw new IllegalStateException("the JDK's XML support is broken", e);
        }
    }

    /** No DTDs, no external entities: the inputs are artifacts of other CI jobs. */
    private static DocumentBuilderFactory secureFactory() throws javax.xml.parsers.ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    private static long count(Element e, String tag) {
        return e.getElementsByTagName(tag).getLength();
    }

    private static double parse(String s) {
        try {
            return s.isEmpty() ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- report.html

    static String html(List<Part> parts, List<Missing> missing, int exitCode) throws IOException {
        ObjectNode data = SummaryJson.JSON.createObjectNode();
        data.put("result", SummaryJson.result(exitCode)).put("exitCode", exitCode);
        ArrayNode errors = data.putArray("errors");
        ArrayNode traces = data.putArray("traces");
        ArrayNode shards = data.putArray("shards");
        for (Part p : parts) {
            shards.addObject().put("shard", p.label()).put("result", p.summary().path("result").asText())
                    .put("exitCode", p.summary().path("exitCode").asInt()).put("from", p.dir().toString());
            JsonNode page = pageData(p.dir().resolve("report.html"));
            if (page != null) {
                page.path("traces").forEach(traces::add);
                page.path("errors").forEach(errors::add);
            } else {
                p.summary().path("errors").forEach(e -> errors.addObject().put("trace", e.path("trace").asText())
                        .put("message", e.path("error").asText()));
            }
        }
        missing.forEach(m -> errors.addObject().put("trace", "(shard " + m.label() + ")").put("message", m.message()));
        return HtmlReport.renderData(data);
    }

    /** A JSON file, or null when it is missing or not JSON (timeline.json is optional). */
    private static JsonNode readJson(Path f) {
        try {
            return Files.isRegularFile(f) ? SummaryJson.JSON.readTree(f.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The data object an skci report.html carries, or null when there is no such page. */
    static JsonNode pageData(Path page) throws IOException {
        if (!Files.isRegularFile(page)) {
            return null;
        }
        String html = Files.readString(page);
        int start = html.indexOf(DATA_START);
        int end = start < 0 ? -1 : html.indexOf("</script>", start);
        if (end < 0) {
            return null;
        }
        String json = html.substring(start + DATA_START.length(), end).replace("<\\/", "</");
        try {
            return SummaryJson.JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- GitHub job summary

    static String markdown(List<Part> parts, List<Missing> missing, int exitCode) {
        StringBuilder b = new StringBuilder("### skci (merged): " + SummaryJson.result(exitCode) + " (exit code " + exitCode + ")\n\n");
        b.append("| shard | result | simulations |\n|---|---|---|\n");
        for (Part p : parts) {
            b.append("| ").append(p.label()).append(" | ").append(p.summary().path("result").asText()).append(" (")
                    .append(p.summary().path("exitCode").asInt()).append(") | ").append(p.summary().path("simulations").size()).append(" |\n");
        }
        missing.forEach(m -> b.append("| ").append(m.label().replace("|", "\\|")).append(" | no reports | |\n"));
        b.append("\n| trace | outcome | broken checks |\n|---|---|---|\n");
        TreeSet<String> done = new TreeSet<>();
        for (Part p : parts) {
            for (JsonNode s : p.summary().path("simulations")) {
                if (!"candidate".equals(s.path("role").asText("candidate")) || !done.add(s.path("trace").asText() + "#" + s.path("repeat").asInt())) {
                    continue;
                }
                List<String> broken = new ArrayList<>();
                s.path("checks").forEach(c -> {
                    if (!List.of("passed", "off").contains(c.path("status").asText())) {
                        broken.add(c.path("name").asText());
                    }
                });
                b.append("| `").append(s.path("trace").asText().replace("|", "\\|")).append("` | ").append(s.path("outcome").asText())
                        .append(" | ").append(String.join(", ", broken)).append(" |\n");
            }
        }
        return b.append('\n').toString();
    }

    private static void append(String file, String text) throws IOException {
        if (file != null && !file.isBlank()) {
            Files.writeString(Path.of(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
