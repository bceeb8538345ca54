package dev.skci.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.observe.Metrics;
import dev.skci.result.SimulationResult;
import dev.skci.verdict.Check;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (no network when it is viewed) per run of skci. The data
 * is embedded as JSON; a small script (report.js, in the jar) draws the charts over trace time as SVG
 * and fills the tables: pods by phase, pending and unschedulable pods, virtual nodes, CPU and memory
 * requested against allocatable, the scheduler's reasons, every check, fidelity per workload and the
 * baseline comparison.
 */
public final class HtmlReport {
    private HtmlReport() {}

    static String render(List<SimulationResult> results, List<CiReports.TraceError> errors, int exitCode) {
        return render(results, errors, exitCode, java.util.Optional.empty());
    }

    static String render(List<SimulationResult> results, List<CiReports.TraceError> errors, int exitCode,
            java.util.Optional<dev.skci.config.Shard> shard) {
        ObjectNode data = SummaryJson.JSON.createObjectNode();
        data.put("result", SummaryJson.result(exitCode)).put("exitCode", exitCode);
        shard.ifPresent(s -> data.put("shard", s.toString()));
        ArrayNode errs = data.putArray("errors");
        errors.forEach(e -> errs.addObject().put("trace", e.trace()).put("message", e.message()));
        ArrayNode traces = data.putArray("traces");
        for (Runs runs : Runs.of(results)) {
            SimulationResult last = runs.last();
            Metrics m = last.metrics();
            ObjectNode t = traces.addObject();
            t.put("trace", runs.trace()).put("outcome", runs.outcome().name().toLowerCase(Locale.ROOT))
                    .put("runs", runs.candidates().size()).put("run", last.runName())
                    .put("wallSeconds", last.harness().wall().toMillis() / 1000.0);
            ArrayNode samples = t.putArray("timeline");
            for (Metrics.Sample s : m.timeline()) {
                samples.addObject().put("t", s.t().toNanos() / 1e9).put("pending", s.pods().pending())
                        .put("unschedulable", s.pods().unschedulable()).put("running", s.pods().running())
                        .put("succeeded", s.pods().succeeded()).put("failed", s.pods().failed()).put("nodes", s.nodes())
                        .put("cpuRequested", s.cpu().requested()).put("cpuAllocatable", s.cpu().allocatable())
                        .put("memRequested", s.memory().requested() / (1 << 30)).put("memAllocatable", s.memory().allocatable() / (1 << 30));
            }
            ArrayNode checks = t.putArray("checks");
            for (Runs.CheckRuns c : runs.checks()) {
                Check k = c.last();
                checks.addObject().put("name", k.name()).put("kind", k.kind().name().toLowerCase(Locale.ROOT))
                        .put("status", k.status().name().toLowerCase(Locale.ROOT)).put("counts", k.counts())
                        .put("severity", k.severity().name().toLowerCase(Locale.ROOT)).put("message", k.message()).put("flake", c.flake());
            }
            ArrayNode reasons = t.putArray("reasons");
            m.pods().reasons().forEach(r -> reasons.addObject().put("message", r.message()).put("pods", r.pods()));
            ArrayNode workloads = t.putArray("workloads");
            for (Map.Entry<String, Metrics.Workload> w : m.workloads().entrySet()) {
                Metrics.Workload v = w.getValue();
                workloads.addObject().put("name", w.getKey()).put("kind", v.kind()).put("desired", v.desired())
                        .put("realised", v.realised()).put("created", v.created()).put("lagSeconds", v.lag().toNanos() / 1e9)
                        .put("podSeconds", v.podSeconds()).put("countsRequested", v.countsRequested()).put("countsReached", v.countsReached());
            }
            t.put("fidelity", m.fidelity().applicable() ? m.fidelity().podSeconds() : -1);
            last.changes().setup().forEach(t.putArray("setup")::add);
            t.set("overrides", SummaryJson.overrides(last.changes()));
            ArrayNode rows = t.putArray("comparison");
            runs.comparison().forEach(r -> rows.addObject().put("metric", r.metric()).put("baseline", r.baselineText())
                    .put("now", r.nowText()).put("change", r.changeText()).put("assessment", r.assessment()));
        }
        return renderData(data);
    }

    /** The page for the data object {@code report.js} reads (merge-reports builds one from several shards' pages). */
    static String renderData(ObjectNode data) {
        String json;
        try {
            json = SummaryJson.JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Inside <script>, "</" would end the element; JSON allows the escaped form.
        json = json.replace("</", "<\\/");
        return TEMPLATE.replace("/*DATA*/", json).replace("/*SCRIPT*/", SCRIPT);
    }

    private static final String SCRIPT = resource("report.js");
    private static final String TEMPLATE = resource("report.html");

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream("/dev/skci/report/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the runner jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
