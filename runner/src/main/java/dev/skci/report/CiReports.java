package dev.skci.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.result.SimulationResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's results in the forms CI systems read: {@code junit.xml} (GitLab's
 * {@code artifacts:reports:junit}, GitHub test-report actions), {@code summary.json} for scripts, and,
 * under GitHub Actions, a job summary ({@code $GITHUB_STEP_SUMMARY}), {@code ::error} annotations and
 * step outputs ({@code $GITHUB_OUTPUT}).
 */
public final class CiReports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CiReports() {}

    /** A trace that did not get a verdict: invalid (exit 2) or its setup failed (exit 3). */
    public record TraceError(String trace, String message) {}

    public static ObjectNode summary(List<SimulationResult> results, int exitCode) {
        return summary(results, List.of(), exitCode);
    }

    public static ObjectNode summary(List<SimulationResult> results, List<TraceError> errors, int exitCode) {
        ObjectNode root = JSON.createObjectNode();
        root.put("passed", exitCode == 0);
        root.put("exitCode", exitCode);
        ArrayNode sims = root.putArray("simulations");
        for (SimulationResult r : results) {
            ObjectNode s = sims.addObject();
            s.put("trace", r.trace());
            s.put("run", r.runName());
            s.put("passed", r.verdict().passed());
            r.verdict().reasons().forEach(s.putArray("reasons")::add);
            s.put("wallSeconds", r.harness().wall().toMillis() / 1000.0);
            s.set("applied", JSON.valueToTree(r.replay().stats().appliedByKind()));
            s.set("deleted", JSON.valueToTree(r.replay().stats().deletedByKind()));
            s.set("skipped", JSON.valueToTree(r.replay().stats().skippedByKind()));
            s.set("podsByPhase", JSON.valueToTree(r.pods().byPhase()));
            s.put("podsMutated", r.admission().mutated());
            s.put("lifecyclesCompleting", r.admission().completing());
            s.put("latenessP50Ms", r.replay().lateness().quantileMillis(0.5));
            s.put("latenessP99Ms", r.replay().lateness().quantileMillis(0.99));
            s.put("latenessMaxMs", r.replay().lateness().maxMillis());
            s.put("cleanupComplete", r.harness().cleanup().complete());
            r.harness().diagnostics().ifPresent(p -> s.put("diagnostics", p.toString()));
        }
        ArrayNode errs = root.putArray("errors");
        for (TraceError e : errors) {
            errs.addObject().put("trace", e.trace()).put("error", e.message());
        }
        return root;
    }

    /** Writes junit.xml and summary.json into {@code dir}, and the GitHub Actions outputs when running there. */
    public static void write(Path dir, List<SimulationResult> results, int exitCode, Map<String, String> env,
            PrintStream stdout) throws IOException {
        write(dir, results, List.of(), exitCode, env, stdout);
    }

    public static void write(Path dir, List<SimulationResult> results, List<TraceError> errors, int exitCode,
            Map<String, String> env, PrintStream stdout) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), JSON.writeValueAsString(summary(results, errors, exitCode)));
        Files.writeString(dir.resolve("junit.xml"), junit(results, errors));
        if ("true".equals(env.get("GITHUB_ACTIONS"))) {
            for (SimulationResult r : results) {
                if (!r.verdict().passed()) {
                    stdout.println("::error title=skci: simulation failed::" + escapeCommand(r.trace() + ": "
                            + String.join("; ", r.verdict().reasons())));
                }
            }
            for (TraceError e : errors) {
                stdout.println("::error title=skci: no verdict::" + escapeCommand(e.trace() + ": " + e.message()));
            }
            append(env.get("GITHUB_STEP_SUMMARY"), markdown(results));
            append(env.get("GITHUB_OUTPUT"), "result=" + (exitCode == 0 ? "passed" : "failed") + "\nexit-code=" + exitCode
                    + "\nreport-dir=" + dir + "\n");
        }
    }

    static String junit(List<SimulationResult> results, List<TraceError> errors) {
        long failures = results.stream().filter(r -> !r.verdict().passed()).count();
        double total = results.stream().mapToDouble(r -> r.harness().wall().toMillis() / 1000.0).sum();
        int tests = results.size() + errors.size();
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT, "<testsuites name=\"skci\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">%n",
                tests, failures, errors.size(), total));
        b.append(String.format(Locale.ROOT, "  <testsuite name=\"skci simulations\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">%n",
                tests, failures, errors.size(), total));
        for (TraceError e : errors) {
            b.append("    <testcase classname=\"skci\" name=\"").append(xml(e.trace())).append("\" time=\"0\">\n")
                    .append("      <error message=\"").append(xml(e.message())).append("\"/>\n    </testcase>\n");
        }
        for (SimulationResult r : results) {
            b.append(String.format(Locale.ROOT, "    <testcase classname=\"skci\" name=\"%s\" time=\"%.3f\">%n", xml(r.trace()),
                    r.harness().wall().toMillis() / 1000.0));
            if (!r.verdict().passed()) {
                b.append("      <failure message=\"").append(xml(r.verdict().reasons().get(0))).append("\">")
                        .append(xml(String.join("\n", r.verdict().reasons()))).append("</failure>\n");
            }
            b.append("      <system-out>").append(xml("run " + r.runName() + ", pods by phase " + r.pods().byPhase()
                    + r.harness().diagnostics().map(p -> ", diagnostics " + p).orElse(""))).append("</system-out>\n");
            b.append("    </testcase>\n");
        }
        return b.append("  </testsuite>\n</testsuites>\n").toString();
    }

    static String markdown(List<SimulationResult> results) {
        StringBuilder b = new StringBuilder("### skci simulations\n\n| trace | result | wall | pods | reason |\n|---|---|---|---|---|\n");
        for (SimulationResult r : results) {
            int pods = r.pods().total();
            b.append(String.format(Locale.ROOT, "| `%s` | %s | %.1f s | %d | %s |%n", r.trace(),
                    r.verdict().passed() ? "✅ passed" : "❌ failed", r.harness().wall().toMillis() / 1000.0, pods,
                    r.verdict().reasons().isEmpty() ? "" : r.verdict().reasons().get(0).replace("|", "\\|")));
        }
        return b.append('\n').toString();
    }

    private static void append(String file, String text) throws IOException {
        if (file != null && !file.isBlank()) {
            Files.writeString(Path.of(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** GitHub workflow commands end at a newline; '%' must be escaped first. */
    static String escapeCommand(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
