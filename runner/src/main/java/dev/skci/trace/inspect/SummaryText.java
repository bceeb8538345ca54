package dev.skci.trace.inspect;

import dev.skci.trace.TraceTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a {@link TraceSummary} for people; long lifecycle lists are cut unless {@code all} is set. */
public final class SummaryText {
    private SummaryText() {}

    static final int MAX_OWNERS = 20;
    static final int MAX_ENTRIES = 10;

    public static List<String> render(TraceSummary s, boolean unicode, boolean all) {
        List<String> out = new ArrayList<>();
        out.add(row("trace", s.file() + " (" + s.sizeBytes() + " bytes)"));
        out.add(row("format", "version " + s.version() + (s.upgradedFromLegacy() ? ", upgraded from " + s.sourceFormat() : "")));
        if (s.firstTs() == null) {
            out.add(row("span", "no events"));
        } else {
            out.add(row("span", s.start() + " .. " + s.end() + " (" + TraceTime.duration(s.durationSeconds()) + ")"));
        }
        out.add(row("events", s.events() + (s.emptyEvents() > 0 ? " (" + s.emptyEvents() + " empty)" : "")));
        kinds(out, "applied", s.applied(), "object", s.appliedByKind(), null);
        kinds(out, "deleted", s.deleted(), "object", s.deletedByKind(), null);
        kinds(out, "namespaces", s.objectsByNamespace().size(), "namespace", s.objectsByNamespace(), "object");
        kinds(out, "index", s.indexEntries(), "entry", s.indexByKind(), null);
        out.add(row("lifecycles", plural(s.lifecycleOwners(), "owner") + ", " + plural(s.lifecycleEntries(), "pod")));
        lifecycles(out, s, all);
        if (s.firstTs() != null) {
            TraceSummary.Activity a = s.activity();
            out.add(row("activity", "objects per " + TraceTime.duration(a.bucketSeconds()) + " (max " + a.max() + ")"));
            for (String l : ActivityChart.render(a, s.durationSeconds(), unicode)) {
                out.add("  " + l);
            }
        }
        return out.stream().map(dev.skci.trace.OneLine::of).toList();
    }

    private static void lifecycles(List<String> out, TraceSummary s, boolean all) {
        int owners = 0;
        for (TraceSummary.Owner o : s.lifecycles()) {
            if (!all && owners++ == MAX_OWNERS) {
                out.add("  ... " + (s.lifecycles().size() - MAX_OWNERS) + " more owners (--all shows them)");
                break;
            }
            out.add("  " + o.gvk() + " " + o.nsName() + (o.indexed() ? "" : "  (not in the index: never used)"));
            for (TraceSummary.Bucket b : o.hashes()) {
                out.add("    pod-spec hash " + b.hash() + ": " + plural(b.lifecycles().size(), "pod"));
                int n = 0;
                for (TraceSummary.Entry e : b.lifecycles()) {
                    if (!all && n++ == MAX_ENTRIES) {
                        out.add("      ... " + (b.lifecycles().size() - MAX_ENTRIES) + " more (--all shows them)");
                        break;
                    }
                    out.add("      " + entry(e, s.firstTs()));
                }
            }
        }
    }

    /** {@code Finished  +38s .. +1m8s  (30s)}: times relative to the trace start, absolute when there are no events. */
    static String entry(TraceSummary.Entry e, Long origin) {
        return switch (e.state()) {
            case "Running" -> String.format("%-9s %s ..", "Running", at(e.start(), origin));
            case "Finished" -> String.format("%-9s %s .. %s (%s)", "Finished", at(e.start(), origin), at(e.end(), origin),
                    TraceTime.duration(e.durationSeconds()));
            default -> e.state();
        };
    }

    private static String at(long ts, Long origin) {
        if (origin == null) {
            return TraceTime.rfc3339(ts);
        }
        long d = TraceTime.span(origin, ts);
        return d < 0 ? TraceTime.duration(d) : "+" + TraceTime.duration(d);
    }

    private static <V extends Number> void kinds(List<String> out, String title, long total, String noun,
            Map<String, V> byKey, String unit) {
        out.add(row(title, plural(total, noun)));
        int w = byKey.keySet().stream().mapToInt(String::length).max().orElse(0);
        byKey.forEach((k, v) -> out.add("              " + k + " ".repeat(w - k.length() + 2)
                + (unit == null ? v.toString() : plural(v.longValue(), unit))));
    }

    private static String row(String title, String value) {
        return String.format("%-12s  %s", title, value);
    }

    static String plural(long n, String noun) {
        String s = n == 1 ? noun : noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
        return n + " " + s;
    }
}
