package dev.skci.override;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its string form, as {@code kubectl -l} and kustomize's
 * {@code target.labelSelector} take it: comma-separated requirements {@code key}, {@code !key},
 * {@code key=value} ({@code ==} too), {@code key!=value}, {@code key in (a,b)} and {@code key notin (a,b)},
 * all of which must hold.
 */
public record LabelSelector(String text, List<Requirement> requirements) {
    private static final Pattern KEY = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
            + "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    /** One requirement on one key. */
    public record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (op) {
                case EXISTS -> v != null;
                case NOT_EXISTS -> v == null;
                case IN -> v != null && values.contains(v);
                case NOT_IN -> v == null || !values.contains(v);
            };
        }
    }

    /** {@code key=value} is IN with one value, {@code key!=value} NOT_IN with one value. */
    public enum Op { EXISTS, NOT_EXISTS, IN, NOT_IN }

    /** @throws IllegalArgumentException saying what is wrong and how a selector is written */
    public static LabelSelector parse(String text) {
        List<Requirement> out = new ArrayList<>();
        for (String term : split(text)) {
            String t = term.strip();
            if (t.isEmpty()) {
                throw bad(text, "an empty requirement");
            }
            out.add(requirement(text, t));
        }
        if (out.isEmpty()) {
            throw bad(text, "no requirement");
        }
        return new LabelSelector(text, out);
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    /** Splits at commas outside parentheses. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw bad(text, "a ')' without '('");
                }
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw bad(text, "a '(' without ')'");
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Requirement requirement(String text, String t) {
        if (t.startsWith("!")) {
            return new Requirement(key(text, t.substring(1).strip()), Op.NOT_EXISTS, Set.of());
        }
        int ne = t.indexOf("!=");
        if (ne > 0) {
            return new Requirement(key(text, t.substring(0, ne).strip()), Op.NOT_IN, Set.of(value(text, t.substring(ne + 2).strip())));
        }
        int eq = t.indexOf('=');
        if (eq > 0) {
            String v = t.substring(t.startsWith("==", eq) ? eq + 2 : eq + 1).strip();
            return new Requirement(key(text, t.substring(0, eq).strip()), Op.IN, Set.of(value(text, v)));
        }
        String[] words = t.split("\\s+", 2);
        if (words.length == 2 && (words[1].startsWith("in") || words[1].startsWith("notin"))) {
            boolean in = words[1].startsWith("in");
            String rest = words[1].substring(in ? 2 : 5).strip();
            if (!rest.startsWith("(") || !rest.endsWith(")")) {
                throw bad(text, "'" + t + "': write " + words[0] + (in ? " in" : " notin") + " (a,b)");
            }
            List<String> values = new ArrayList<>();
            for (String v : rest.substring(1, rest.length() - 1).split(",", -1)) {
                values.add(value(text, v.strip()));
            }
            return new Requirement(key(text, words[0]), in ? Op.IN : Op.NOT_IN, Set.copyOf(values));
        }
        if (t.contains(" ") || t.contains("(")) {
            throw bad(text, "'" + t + "' is not a requirement");
        }
        return new Requirement(key(text, t), Op.EXISTS, Set.of());
    }

    private static String key(String text, String k) {
        if (!KEY.matcher(k).matches() || k.length() > 317) {
            throw bad(text, "'" + k + "' is not a label key");
        }
        return k;
    }

    private static String value(String text, String v) {
        if (!VALUE.matcher(v).matches() || v.length() > 63) {
            throw bad(text, "'" + v + "' is not a label value");
        }
        return v;
    }

    private static IllegalArgumentException bad(String text, String what) {
        return new IllegalArgumentException("label selector '" + text + "': " + what
                + "; write requirements like app=web,tier in (api,db),!legacy");
    }

    @Override
    public String toString() {
        return text;
    }
}
