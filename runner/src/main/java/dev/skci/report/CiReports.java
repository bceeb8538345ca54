package dev.skci.report;

import dev.skci.result.SimulationResult;
import dev.skci.verdict.Check;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import dev.skci.config.Shard;

/**
 * The run's results in the forms people and CI systems read: {@code junit.xml} (one test case per
 * check; GitLab's {@code artifacts:reports:junit}, GitHub test-report actions), {@code summary.json}
 * ({@link SummaryJson}) and {@code timeline.json} for scripts and baselines, {@code report.html}
 * ({@link HtmlReport}) for people, and, under GitHub Actions, a job summary ({@code $GITHUB_STEP_SUMMARY}),
 * {@code ::error} and {@code ::warning} annotations and step outputs ({@code $GITHUB_OUTPUT}).
 */
public final class CiReports {
    private CiReports() {}

    /** A trace that did not get a verdict: invalid (exit 2) or its setup failed (exit 3). */
    public record TraceError(String trace, String message) {}

    public static ObjectNode summary(List<SimulationResult> results, List<TraceError> errors, int exitCode) {
        return SummaryJson.summary(results, errors, exitCode);
    }

    /** Writes every report into {@code dir}, and the GitHub Actions outputs when running there. */
    public static void write(Path dir, List<SimulationResult> results, int exitCode, Map<String, String> env,
            PrintStream stdout) throws IOException {
        write(dir, results, List.of(), exitCode, env, stdout);
    }

    public static void write(Path dir, List<SimulationResult> results, List<TraceError> errors, int exitCode,
            Map<String, String> env, PrintStream stdout) throws IOException {
        write(dir, results, errors, exitCode, Optional.empty(), env, stdout);
    }

    /** @param shard this runner's share of the run ({@code --shard}); the reports name it */
    public static void write(Path dir, List<SimulationResult> results, List<TraceError> errors, int exitCode, Optional<Shard> shard,
            Map<String, String> env, PrintStream stdout) throws IOException {
        Files.createDirectories(dir);
        ObjectNode summary = summary(results, errors, exitCode);
        shard.ifPresent(s -> summary.putObject("shard").put("index", s.index()).put("total", s.total()));
        Files.writeString(dir.resolve("summary.json"), SummaryJson.JSON.writeValueAsString(summary));
        Files.writeString(dir.resolve("timeline.json"), SummaryJson.JSON.writeValueAsString(SummaryJson.timelines(results)));
        Files.writeString(dir.resolve("junit.xml"), junit(results, errors, shard));
        Files.writeString(dir.resolve("report.html"), HtmlReport.render(results, errors, exitCode, shard));
        if ("true".equals(env.get("GITHUB_ACTIONS"))) {
            for (SimulationResult r : results) {
                for (Check c : r.verdict().checks()) {
                    if (c.broken() && r.attempt().role() == SimulationResult.Role.CANDIDATE) {
                        String level = c.counts() ? "error" : "warning";
                        stdout.println("::" + level + " title=skci " + escapeProperty(r.trace() + ": " + c.name()) + "::"
                                + escapeCommand(c.message()));
                    }
                }
            }
            for (TraceError e : errors) {
                stdout.println("::error title=skci " + escapeProperty(e.trace()) + "::" + escapeCommand(withoutPrefix(e.message(), e.trace())));
            }
            append(env.get("GITHUB_STEP_SUMMARY"), Markdown.summary(results, errors, exitCode, shard));
            append(env.get("GITHUB_OUTPUT"), "result=" + SummaryJson.result(exitCode) + "\nexit-code=" + exitCode
                    + "\nreport-dir=" + dir + "\n");
        }
    }

    /** "t.sktrace: byte 12: truncated" under the title "t.sktrace" reads "byte 12: truncated". */
    private static String withoutPrefix(String message, String trace) {
        return message.startsWith(trace + ": ") ? message.substring(trace.length() + 2) : message;
    }

    /** A test suite per simulation run, a test case per check; errors for traces that got no verdict. */
    static String junit(List<SimulationResult> results, List<TraceError> errors) {
        return junit(results, errors, Optional.empty());
    }

    static String junit(List<SimulationResult> results, List<TraceError> errors, Optional<Shard> shard) {
        int tests = errors.size();
        int failures = 0;
        int skipped = 0;
        double total = 0;
        StringBuilder suites = new StringBuilder();
        if (!errors.isEmpty()) {
            suites.append(String.format(Locale.ROOT, "  <testsuite name=\"skci: traces without a verdict\" tests=\"%d\" failures=\"0\" errors=\"%d\" skipped=\"0\" time=\"0\">%n",
                    errors.size(), errors.size()));
            for (TraceError e : errors) {
                suites.append("    <testcase classname=\"").append(xml(e.trace())).append("\" name=\"setup\" time=\"0\">\n")
                        .append("      <error message=\"").append(xml(e.message())).append("\"/>\n    </testcase>\n");
            }
            suites.append("  </testsuite>\n");
        }
        for (SimulationResult r : results) {
            String suite = suiteName(r);
            List<Check> checks = r.verdict().checks();
            long f = checks.stream().filter(Check::counts).count();
            long s = checks.stream().filter(c -> !c.counts() && (c.broken() || c.status() == Check.Status.OFF)).count();
            double time = r.harness().wall().toMillis() / 1000.0;
            tests += checks.size();
            failures += (int) f;
            skipped += (int) s;
            total += time;
            suites.append(String.format(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">%n",
                    xml(suite), checks.size(), f, s, time));
            for (Check c : checks) {
                suites.append("    <testcase classname=\"").append(xml(suite)).append("\" name=\"").append(xml(c.name())).append("\" time=\"0\">\n");
                if (c.counts()) {
                    suites.append("      <failure type=\"").append(c.kind().name().toLowerCase(Locale.ROOT)).append("\" message=\"")
                            .append(xml(firstLine(c.message()))).append("\">").append(xml(c.message())).append("</failure>\n");
                } else if (c.broken()) {
                    suites.append("      <skipped message=\"").append(xml("warning: " + firstLine(c.message()))).append("\"/>\n");
                } else if (c.status() == Check.Status.OFF) {
                    suites.append("      <skipped message=\"").append(xml(c.message())).append("\"/>\n");
                }
                suites.append("    </testcase>\n");
            }
            suites.append("    <system-out>").append(xml("run " + r.runName() + ", outcome " + r.outcome().name().toLowerCase(Locale.ROOT)
                    + ", pods by phase " + r.pods().byPhase() + r.harness().diagnostics().map(p -> ", diagnostics " + p).orElse("")
                    + (r.changes().setup().isEmpty() ? "" : "\nsetup: " + String.join(", ", r.changes().setup()))
                    + r.changes().overrides().stream().map(u -> "\noverride " + u.override() + " patched " + RunSummary.patched(u))
                            .collect(java.util.stream.Collectors.joining())))
                    .append("</system-out>\n");
            suites.append("  </testsuite>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + String.format(Locale.ROOT, "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                        shard.map(s -> "skci shard " + s).orElse("skci"), tests, failures, errors.size(), skipped, total)
                + suites + "</testsuites>\n";
    }

    /** The trace, plus which run of it when it was repeated or paired. */
    static String suiteName(SimulationResult r) {
        String s = r.trace();
        if (r.attempt().role() == SimulationResult.Role.BASELINE) {
            s += " (baseline)";
        }
        if (r.attempt().of() > 1) {
            s += " #" + r.attempt().repeat();
        }
        return s;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
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

    /** A workflow command property also ends at ':' and ','. */
    static String escapeProperty(String s) {
        return escapeCommand(s).replace(":", "%3A").replace(",", "%2C");
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
