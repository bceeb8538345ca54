package dev.skci.trace.validate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.trace.KubeObject;
import dev.skci.trace.PodTemplates;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TraceTime;
import dev.skci.trace.TrackedKinds;
import dev.skci.trace.codec.TraceFile;
import java.util.List;

/**
 * Checks a trace against what SimKube and skci need to replay it, reporting every finding at once
 * ({@link Rule} lists them). Events are streamed from the file, never loaded together; the only state
 * kept grows with the number of distinct objects. A file that turns out to be unreadable part-way
 * throws {@link dev.skci.trace.codec.TraceFormatException}.
 */
public final class Validator {
    private Validator() {}

    public static ValidationReport validate(TraceFile trace) {
        Findings out = new Findings();
        TrackedKinds kinds = TrackedKinds.normalize(trace.config());
        FileRules.check(trace, kinds, out);

        ObjectHistory history = new ObjectHistory();
        PodReferences refs = new PodReferences();
        PerKindCount status = new PerKindCount();
        PerKindCount noTemplate = new PerKindCount();
        long objects = 0;
        try (TraceFile.EventCursor events = trace.events()) {
            Long previousTs = null;
            while (events.hasNext()) {
                int i = events.nextIndex();
                TraceEvent e = events.next();
                long ts = e.ts();
                if (previousTs != null && ts < previousTs) {
                    out.add(Rule.TS_BACKWARDS, i, ts, null, "ts " + ts + " (" + TraceTime.rfc3339(ts) + ") is "
                            + TraceTime.duration(TraceTime.span(ts, previousTs)) + " earlier than event " + (i - 1)
                            + "'s; events must be in time order");
                }
                previousTs = ts;
                for (KubeObject o : e.applied()) {
                    objects++;
                    if (!ObjectRules.check(o, "applied", i, ts, out)) {
                        continue;
                    }
                    history.applied(o, i, ts);
                    refs.applied(o);
                    if (hasStatus(o)) {
                        status.add(gvkKind(o), i, ts, o.describe());
                    }
                    List<String> paths = kinds.podTemplatePaths(o.gvk());
                    if (!paths.isEmpty()) {
                        List<PodTemplates.Match> templates = PodTemplates.matches(o, paths);
                        if (templates.isEmpty()) {
                            noTemplate.add(gvkKind(o), i, ts, o.describe(), paths.toString());
                        }
                        refs.scan(o, templates, i, ts);
                    }
                }
                for (KubeObject o : e.deleted()) {
                    objects++;
                    if (ObjectRules.check(o, "deleted", i, ts, out)) {
                        history.deleted(o, i, ts, out);
                    }
                }
            }
        }
        status.report(Rule.STATUS_POPULATED, (kind, n, d) -> n + " applied " + kind + (n == 1 ? " object carries" : " objects carry")
                + " a status (this is the first); the replay drops it, but strip it from the trace to keep it small", out);
        noTemplate.report(Rule.POD_TEMPLATE_MISSING, (kind, n, paths) -> n + " applied " + kind + (n == 1 ? " object has" : " objects have")
                + " no pod template at " + paths + " (this is the first); their pods cannot be prepared for the simulation", out);
        refs.finish(out);
        history.finish(trace.index(), out);
        return new ValidationReport(trace.name(), trace.format(), trace.eventCount(), objects, out.finish());
    }

    private static boolean hasStatus(KubeObject o) {
        JsonNode s = o.get("status");
        return s != null && !s.isNull() && !(s.isObject() && s.isEmpty());
    }

    private static String gvkKind(KubeObject o) {
        return o.gvk().toString();
    }
}
