package dev.skci.cli;

import dev.skci.ExitCode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.SkciException;
import dev.skci.trace.OneLine;
import dev.skci.trace.TraceTime;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.validate.Finding;
import dev.skci.trace.validate.ValidationReport;
import dev.skci.trace.validate.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import dev.skci.config.Simulations;
import dev.skci.override.OverrideCheck;
import dev.skci.replay.ReplayPlan;
import dev.skci.config.SkciConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skci validate}: every problem in one or more traces, all at once. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Checks traces, and with --config an skci config (and the traces it lists), and reports every problem at once.",
            "%nEach finding is one line naming the file, event, timestamp, object and a rule id (listed below), "
                + "followed by a summary line. Errors make the exit code 2; warnings alone leave it 0. Events are "
                + "streamed, so traces larger than the memory validate too. A directory stands for the .sktrace "
                + "files directly inside it."
        },
        footerHeading = "%nRules:%n",
        footer = {
            "  reader-note                 warning  something the reader tolerated: a legacy layout upgraded, an ignored key",
            "  config-invalid              error    a config value SimKube refuses when it imports the trace",
            "  config-unknown-key          err/warn a config key SimKube does not know",
            "  config-notice               warning  a config setting SimKube accepts but that is probably not meant",
            "  trace-empty                 warning  the trace has no events",
            "  ts-backwards                error    an event's ts is earlier than the previous event's",
            "  object-missing-field        error    an object without apiVersion, kind, metadata.name or metadata.namespace",
            "  object-cluster-scoped       error    a cluster-scoped object; skci replays only namespaced objects",
            "  deleted-never-applied       warning  an object is deleted that no earlier event applied",
            "  status-populated            warning  applied objects carry a status (one finding per kind)",
            "  pod-template-missing        warning  objects of a kind with podSpecTemplatePaths where no template is found (one per kind)",
            "  missing-service-account     warning  a pod template names a ServiceAccount the trace never creates",
            "  missing-secret              warning  a pod template refers to a Secret the trace never creates",
            "  missing-configmap           warning  a pod template refers to a ConfigMap the trace never creates",
            "  index-invalid-gvk           warning  an index key is not a GVK string; its entries never match",
            "  index-stale-hash            warning  index hashes that differ from the spec of the last applied version (one finding with a count)",
            "  index-missing-object        warning  applied objects that are not in the index (one finding with a count)",
            "  lifecycle-owner-invalid     error    a pod_lifecycles owner whose GVK cannot be parsed",
            "  lifecycle-owner-not-indexed error    a pod_lifecycles owner that is not in the index, so its lifecycles are never used",
            "  lifecycle-owner-empty       warning  a pod_lifecycles owner without any pod-spec hash",
            "  lifecycle-empty             error    an empty lifecycle list (SimKube divides by its length)",
            "  lifecycle-end-before-start  error    a Finished lifecycle that ends before it starts",
            "  too-many-findings           warning  a rule fired more often than skci lists; the count says how often",
            "",
            "Examples:",
            "  skci validate traces/cronjob.sktrace",
            "  skci validate traces/",
            "  skci validate --config skci.yaml",
            "  skci validate --json my.sktrace | jq '.files[].findings[] | select(.severity == \"error\")'"})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "TRACE", description = "Trace files (.sktrace) or directories holding them.")
    List<Path> traces = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "An skci config (skci.yaml) to check against its schema, with every expectation compiled; the traces "
                    + "under its simulations: are checked too.")
    Path config;

    @Option(names = "--json", description = "Print one JSON document with every finding, for scripts.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The config given with --config, once it is read. */
    private SkciConfig withConfig;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> files = new ArrayList<>(expand(traces));
        if (config != null) {
            SkciConfig c = Simulations.config(java.util.Optional.of(config)); // invalid: one line, exit 2
            c.simulations().forEach(e -> files.add(e.trace()));
            err.println("skci: " + config + ": valid (" + c.simulations().size() + " simulation(s), "
                    + c.global().expectations().size() + " global expectation(s)"
                    + (c.global().setup().isEmpty() ? "" : ", " + c.global().setup().size() + " global setup object(s)")
                    + (c.global().overrides().isEmpty() ? "" : ", " + c.global().overrides().size() + " global override(s)") + ")");
            withConfig = c;
            err.flush();
        }
        if (files.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give traces to check, or --config FILE");
        }
        List<ValidationReport> reports = new ArrayList<>();
        List<String[]> unreadable = new ArrayList<>(); // {file, message}
        List<Simulations.Resolved> resolved = withConfig == null || withConfig.simulations().isEmpty() ? List.of()
                : Simulations.resolve(withConfig, List.of(), Simulations.Flags.NONE);
        for (Path p : files) {
            try {
                TraceFile f = TraceFile.open(p);
                reports.add(Validator.validate(f));
                // The config's overrides must match what its traces apply, as skci run checks before any cluster work.
                for (Simulations.Resolved r : resolved) {
                    if (r.trace().equals(p) && !reports.getLast().hasErrors()) {
                        ReplayPlan plan = ReplayPlan.scan(f, r.duration());
                        OverrideCheck.check(f, r.overrides(), plan.endTs(), plan.durationGiven());
                    }
                }
            } catch (SkciException e) {
                unreadable.add(new String[] {p.toString(), e.getMessage()});
                err.println("skci: " + e.getMessage());
                if (SkciCommand.debug()) {
                    e.printStackTrace(err);
                }
                err.flush();
            }
        }
        if (json) {
            Json.print(out, toJson(reports, unreadable));
        } else {
            for (ValidationReport r : reports) {
                r.lines().forEach(out::println);
                out.println(r.summary());
            }
            if (files.size() > 1) {
                long e = reports.stream().mapToLong(ValidationReport::errorCount).sum();
                long w = reports.stream().mapToLong(ValidationReport::warningCount).sum();
                out.println("total: " + files.size() + " traces, " + e + (e == 1 ? " error, " : " errors, ")
                        + w + (w == 1 ? " warning" : " warnings")
                        + (unreadable.isEmpty() ? "" : ", " + unreadable.size() + " unreadable"));
            }
            out.flush();
        }
        boolean failed = !unreadable.isEmpty() || reports.stream().anyMatch(ValidationReport::hasErrors);
        return failed ? ExitCode.INVALID_INPUT.code() : ExitCode.PASSED.code();
    }

    /** Directories stand for the .sktrace files directly inside them, in name order. */
    static List<Path> expand(List<Path> args) {
        List<Path> out = new ArrayList<>();
        for (Path p : args) {
            if (!Files.isDirectory(p)) {
                out.add(p);
                continue;
            }
            List<Path> inside;
            try (Stream<Path> s = Files.list(p)) {
                inside = s.filter(f -> f.getFileName().toString().endsWith(".sktrace") && Files.isRegularFile(f))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw SkciException.invalidInput(OneLine.of(p + ": byte 0: cannot list the directory: " + e.getMessage()));
            }
            if (inside.isEmpty()) {
                throw SkciException.invalidInput(OneLine.of(p + ": byte 0: is a directory without .sktrace files; give trace "
                        + "files or a directory that holds some"));
            }
            out.addAll(inside);
        }
        return out;
    }

    private static ObjectNode toJson(List<ValidationReport> reports, List<String[]> unreadable) {
        ObjectNode root = Json.object();
        ArrayNode files = root.putArray("files");
        long errors = 0;
        long warnings = 0;
        for (ValidationReport r : reports) {
            ObjectNode f = files.addObject();
            f.put("file", r.file());
            f.put("format", r.format().description());
            f.put("events", r.eventCount());
            f.put("objects", r.objectCount());
            f.put("errors", r.errorCount());
            f.put("warnings", r.warningCount());
            ArrayNode list = f.putArray("findings");
            for (Finding x : r.findings()) {
                ObjectNode o = list.addObject();
                o.put("severity", x.severity().label());
                o.put("rule", x.rule());
                o.put("eventIndex", x.eventIndex());
                o.put("ts", x.ts());
                if (x.ts() == null) {
                    o.putNull("time");
                } else {
                    o.put("time", TraceTime.rfc3339(x.ts()));
                }
                o.put("object", x.object());
                o.put("message", x.message());
            }
            errors += r.errorCount();
            warnings += r.warningCount();
        }
        for (String[] u : unreadable) {
            ObjectNode f = files.addObject();
            f.put("file", u[0]);
            f.put("error", u[1]);
        }
        root.put("errors", errors);
        root.put("warnings", warnings);
        root.put("unreadable", unreadable.size());
        root.put("ok", errors == 0 && unreadable.isEmpty());
        return root;
    }
}
