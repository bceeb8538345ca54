package dev.skci.trace.validate;

import dev.skci.trace.Gvk;
import dev.skci.trace.LifecycleOwner;
import dev.skci.trace.PodLifecycle;
import dev.skci.trace.TrackedKinds;
import dev.skci.trace.codec.TraceFile;
import dev.skci.trace.validate.Finding.Severity;
import java.util.List;
import java.util.Map;

/** Rules about the parts of a trace that are not events: reader notes, config, index, pod lifecycles. */
final class FileRules {
    private FileRules() {}

    static void check(TraceFile trace, TrackedKinds kinds, Findings out) {
        for (String note : trace.notes()) {
            out.add(Rule.READER_NOTE, null, null, null, note);
        }
        for (TrackedKinds.Problem p : kinds.problems()) {
            String where = p.gvkKey() == null ? "config: " : "config.trackedObjects[" + p.gvkKey() + "]: ";
            Rule rule = switch (p.type()) {
                case UNKNOWN_KEY -> Rule.CONFIG_UNKNOWN_KEY;
                case INVALID -> Rule.CONFIG_INVALID;
                case NOTICE -> Rule.CONFIG_NOTICE;
            };
            out.add(rule, p.error() ? Severity.ERROR : Severity.WARNING, null, null, null, where + p.message());
        }
        if (trace.eventCount() == 0) {
            out.add(Rule.TRACE_EMPTY, null, null, null, "the trace has no events, so a replay does nothing");
        }
        for (String key : trace.index().entries().keySet()) {
            try {
                Gvk.parse(key);
            } catch (IllegalArgumentException e) {
                out.add(Rule.INDEX_INVALID_GVK, null, null, null, "index: " + e.getMessage());
            }
        }
        lifecycles(trace, out);
    }

    private static void lifecycles(TraceFile trace, Findings out) {
        for (Map.Entry<LifecycleOwner, Map<Long, List<PodLifecycle>>> e : trace.lifecycles().entries().entrySet()) {
            LifecycleOwner owner = e.getKey();
            Gvk gvk;
            try {
                gvk = owner.parsedGvk();
            } catch (IllegalArgumentException ex) {
                out.add(Rule.LIFECYCLE_OWNER_INVALID, null, null, owner.gvk() + " " + owner.nsName(),
                        "pod_lifecycles owner: " + ex.getMessage());
                continue;
            }
            String object = gvk.apiVersion() + " " + gvk.kind() + " " + owner.nsName();
            if (!trace.index().contains(gvk, owner.nsName())) {
                out.add(Rule.LIFECYCLE_OWNER_NOT_INDEXED, null, null, object,
                        "has pod lifecycles but is not in the index, so SimKube never looks them up; add it to the index "
                                + "(" + gvk + " → " + owner.nsName() + ") or drop its lifecycles");
            }
            if (e.getValue().isEmpty()) {
                out.add(Rule.LIFECYCLE_OWNER_EMPTY, null, null, object, "has a pod_lifecycles entry without any pod-spec hash");
            }
            for (Map.Entry<Long, List<PodLifecycle>> b : e.getValue().entrySet()) {
                String hash = Long.toUnsignedString(b.getKey());
                List<PodLifecycle> list = b.getValue();
                if (list.isEmpty()) {
                    out.add(Rule.LIFECYCLE_EMPTY, null, null, object, "the lifecycle list for pod-spec hash " + hash
                            + " is empty; SimKube picks entry (n mod length) and would divide by zero. Remove the hash or add an entry");
                }
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof PodLifecycle.Finished f && f.end() < f.start()) {
                        out.add(Rule.LIFECYCLE_END_BEFORE_START, null, f.start(), object, "lifecycle " + i + " of pod-spec hash "
                                + hash + " is Finished(" + f.start() + ", " + f.end() + "): it ends "
                                + dev.skci.trace.TraceTime.duration(dev.skci.trace.TraceTime.span(f.end(), f.start()))
                                + " before it starts");
                    }
                }
            }
        }
    }
}
