package dev.skci.override;

import dev.skci.SkciException;
import dev.skci.trace.KubeObject;
import dev.skci.trace.TraceEvent;
import dev.skci.trace.TrackedKinds;
import dev.skci.trace.codec.TraceFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tries every override on every object the trace applies within the replayed window, before the cluster
 * boots: an override that matches nothing is almost always a typo, and one that does not apply to an
 * object it matches would only fail mid-replay. Both are invalid input (exit 2).
 */
public final class OverrideCheck {
    private OverrideCheck() {}

    /**
     * @param endTs the end of the replayed window (exclusive when {@code windowed})
     * @return how often each override matched, for the caller to log
     */
    public static List<Overrides.Use> check(TraceFile trace, List<Patch> overrides, long endTs, boolean windowed) {
        if (overrides.isEmpty()) {
            return List.of();
        }
        Overrides o = new Overrides(overrides, TrackedKinds.normalize(trace.config()));
        Set<String> seen = new LinkedHashSet<>();
        try (TraceFile.EventCursor c = trace.events()) {
            while (c.hasNext()) {
                TraceEvent e = c.next();
                if (windowed && e.ts() >= endTs) {
                    break;
                }
                for (KubeObject k : e.applied()) {
                    if (k.gvk() == null) {
                        continue;
                    }
                    seen.add(Overrides.name(k));
                    try {
                        o.apply(k);
                    } catch (StrategicMerge.PatchException x) {
                        throw SkciException.invalidInput(trace.name() + ": override " + x.getMessage()
                                + " (trace time +" + (e.ts() - trace.firstTs()) + " s)");
                    }
                }
            }
        }
        List<Overrides.Use> uses = o.uses();
        for (int i = 0; i < uses.size(); i++) {
            if (uses.get(i).objects().isEmpty()) {
                Patch unmatched = overrides.get(i);
                throw SkciException.invalidInput(unmatched.source() + ": the override matches no object " + trace.name()
                        + " applies" + (windowed ? " in the replayed window" : "") + " (target: " + unmatched.target()
                        + "); check its kind, namespace and name against the trace's (production namespaces, not virtual-*)"
                        + candidates(unmatched, seen));
            }
        }
        return uses;
    }

    /** A few traced objects of the same kind, to spot the typo by. */
    private static String candidates(Patch o, Set<String> seen) {
        List<String> same = new ArrayList<>();
        String kind = o.target().kind().orElse(null);
        for (String s : seen) {
            if (kind == null || s.startsWith(kind + " ")) {
                same.add(s);
            }
        }
        if (same.isEmpty()) {
            return "; the trace has no " + (kind == null ? "objects" : kind + " at all");
        }
        return "; the trace has " + String.join(", ", same.subList(0, Math.min(5, same.size())))
                + (same.size() > 5 ? " and " + (same.size() - 5) + " more" : "");
    }
}
