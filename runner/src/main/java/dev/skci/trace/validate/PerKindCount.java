package dev.skci.trace.validate;

import java.util.LinkedHashMap;
import java.util.Map;

/** Counts how often something happens per kind and remembers the first time, so a rule reports once per kind. */
final class PerKindCount {
    private record First(int event, long ts, String object, String detail) {}

    private final Map<String, First> first = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    void add(String kind, int event, long ts, String object) {
        add(kind, event, ts, object, "");
    }

    /** {@code detail} is kept from the first occurrence and handed to the message. */
    void add(String kind, int event, long ts, String object, String detail) {
        first.putIfAbsent(kind, new First(event, ts, object, detail));
        counts.merge(kind, 1, Integer::sum);
    }

    interface Message {
        String of(String kind, int count, String detail);
    }

    void report(Rule rule, Message message, Findings out) {
        first.forEach((kind, f) -> out.add(rule, f.event(), f.ts(), f.object(), message.of(kind, counts.get(kind), f.detail())));
    }
}
