package dev.skci.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.skci.SkciException;
import dev.skci.observe.Metrics;
import dev.skci.override.Overrides;
import dev.skci.result.SimulationResult;
import dev.skci.verdict.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code summary.json}: everything a run found, in the versioned shape docs/summary-json.md describes,
 * for scripts and for {@code --baseline}, which reads it back. Metrics are written as the expectations
 * see them (without the timeline, which goes to {@code timeline.json}).
 */
public final class SummaryJson {
    public static final int SCHEMA_VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {}

    /** The word for an exit code, from the contract's one declaration ({@link dev.skci.ExitCode}). */
    public static String result(int exitCode) {
        return dev.skci.ExitCode.resultOf(exitCode);
    }

    static ObjectNode summary(List<SimulationResult> results, List<CiReports.TraceError> errors, int exitCode) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("passed", exitCode == 0);
        root.put("exitCode", exitCode);
        root.put("result", result(exitCode));
        ArrayNode sims = root.putArray("simulations");
        Map<String, String> hashes = new LinkedHashMap<>();
        for (SimulationResult r : results) {
            ObjectNode s = sims.addObject();
            s.put("trace", r.trace());
            String sha = hashes.computeIfAbsent(r.trace(), SummaryJson::sha256);
            if (sha != null) {
                s.put("traceSha256", sha);
            }
            s.put("run", r.runName());
            s.put("role", r.attempt().role().name().toLowerCase(Locale.ROOT));
            s.put("repeat", r.attempt().repeat());
            s.put("repeats", r.attempt().of());
            s.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
            s.put("passed", r.verdict().passed());
            r.verdict().reasons().forEach(s.putArray("reasons")::add);
            ArrayNode checks = s.putArray("checks");
            for (Check c : r.verdict().checks()) {
                checks.addObject().put("name", c.name()).put("kind", c.kind().name().toLowerCase(Locale.ROOT))
                        .put("severity", c.severity().name().toLowerCase(Locale.ROOT))
                        .put("status", c.status().name().toLowerCase(Locale.ROOT)).put("message", c.message());
            }
            s.set("metrics", metrics(r.metrics()));
            r.baseline().ifPresent(b -> {
                ArrayNode rows = s.putArray("comparison");
                for (Comparison.Row row : Comparison.rows(List.of(b), List.of(r.metrics()))) {
                    rows.addObject().put("metric", row.metric()).put("baseline", row.baseline()).put("now", row.now())
                            .put("change", row.change()).put("assessment", row.assessment());
                }
            });
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
            s.put("cleanupSeconds", r.harness().cleanup().took().toMillis() / 1000.0);
            r.changes().setup().forEach(s.putArray("setup")::add);
            s.set("overrides", overrides(r.changes()));
            r.harness().diagnostics().ifPresent(p -> s.put("diagnostics", p.toString()));
        }
        ArrayNode errs = root.putArray("errors");
        for (CiReports.TraceError e : errors) {
            errs.addObject().put("trace", e.trace()).put("error", e.message());
        }
        return root;
    }

    /** Each override: where it was written, its target, and the traced objects it patched with how many versions. */
    static ArrayNode overrides(SimulationResult.Changes changes) {
        ArrayNode out = JSON.createArrayNode();
        for (Overrides.Use u : changes.overrides()) {
            ObjectNode o = out.addObject().put("override", u.override()).put("target", u.target());
            ArrayNode objects = o.putArray("objects");
            new java.util.TreeMap<>(u.objects()).forEach((k, v) -> objects.addObject().put("object", k).put("versions", v));
        }
        return out;
    }

    /** The metrics as JSON, without the timeline. */
    static ObjectNode metrics(Metrics m) {
        ObjectNode o = JSON.valueToTree(m);
        o.remove("timeline");
        return o;
    }

    /** {@code timeline.json}: every simulation's samples. */
    static ArrayNode timelines(List<SimulationResult> results) {
        ArrayNode out = JSON.createArrayNode();
        for (SimulationResult r : results) {
            ObjectNode t = out.addObject();
            t.put("trace", r.trace()).put("run", r.runName()).put("role", r.attempt().role().name().toLowerCase(Locale.ROOT))
                    .put("repeat", r.attempt().repeat());
            t.set("samples", JSON.valueToTree(r.metrics().timeline()));
        }
        return out;
    }

    /**
     * The baseline metrics of each trace in an earlier run's summary.json (the last run of the change, if it
     * was repeated). A file that is not such a summary is invalid input.
     */
    public static Map<String, Baseline> baselines(Path summary) {
        JsonNode root;
        try {
            root = JSON.readTree(summary.toFile());
        } catch (IOException e) {
            throw SkciException.invalidInput("--baseline " + summary + ": cannot read it as JSON (" + e.getMessage().lines().findFirst()
                    .orElse("") + "); give the summary.json of an earlier skci run");
        }
        if (root == null || root.path("schemaVersion").asInt(0) != SCHEMA_VERSION) {
            throw SkciException.invalidInput("--baseline " + summary + ": not a summary.json of schema version " + SCHEMA_VERSION
                    + " (written by an skci run)");
        }
        Map<String, Baseline> out = new LinkedHashMap<>();
        for (JsonNode s : root.path("simulations")) {
            if (!"candidate".equals(s.path("role").asText()) || !s.has("metrics")) {
                continue;
            }
            try {
                ObjectNode m = ((ObjectNode) s.get("metrics")).deepCopy();
                m.putArray("timeline");
                out.put(s.path("trace").asText(), new Baseline(JSON.treeToValue(m, Metrics.class), s.path("traceSha256").asText(null)));
            } catch (IOException | IllegalArgumentException e) {
                throw SkciException.invalidInput("--baseline " + summary + ": the metrics of " + s.path("trace").asText()
                        + " cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return out;
    }

    /** A baseline read from a summary: its metrics, and the hash of the trace it was recorded with. */
    public record Baseline(Metrics metrics, String traceSha256) {}

    /** The SHA-256 of a trace file, or null when it cannot be read. */
    public static String sha256(String path) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of(path)));
            return HexFormat.of().formatHex(d);
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return null;
        }
    }
}
