package dev.skci.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the pod templates inside an object, given the {@code podSpecTemplatePaths} of its kind
 * ({@link TrackedKinds#podTemplatePaths}). A path is a JSON pointer (RFC 6901) evaluated against the
 * object, with two SimKube extensions: {@code ""} means the object itself is the pod, and a {@code *}
 * token fans out over every element of an array ({@code /spec/tasks/*}{@code /template}). A path that
 * leads nowhere, or through something that is not a map (or an array at a {@code *}), yields nothing.
 *
 * <p>The returned nodes are the object's own subtrees, not copies: deep-copy before changing them
 * unless changing the object is the point.
 */
public final class PodTemplates {
    private PodTemplates() {}

    /** A template and the concrete pointer it was found at ({@code *} replaced by the array index). */
    public record Match(String pointer, ObjectNode template) {
        /** The pod spec inside the template ({@code template.spec}), or null when there is none. */
        public ObjectNode podSpec() {
            return template.get("spec") instanceof ObjectNode s ? s : null;
        }
    }

    /** The templates of {@code obj} at {@code paths}, in path order; each path may yield several. */
    public static List<ObjectNode> templates(KubeObject obj, List<String> paths) {
        List<ObjectNode> out = new ArrayList<>();
        for (Match m : matches(obj, paths)) {
            out.add(m.template());
        }
        return out;
    }

    public static List<Match> matches(KubeObject obj, List<String> paths) {
        List<Match> out = new ArrayList<>();
        for (String p : paths) {
            if (p.isEmpty()) {
                out.add(new Match("", obj.node()));
                continue;
            }
            if (!p.startsWith("/")) {
                continue; // TrackedKinds reports such paths; they point nowhere
            }
            String[] tokens = p.substring(1).split("/", -1);
            walk(obj.node(), tokens, 0, new StringBuilder(), out);
        }
        return out;
    }

    private static void walk(JsonNode at, String[] tokens, int i, StringBuilder pointer, List<Match> out) {
        if (i == tokens.length) {
            if (at instanceof ObjectNode o) {
                out.add(new Match(pointer.toString(), o));
            }
            return;
        }
        String token = tokens[i];
        int mark = pointer.length();
        if (token.equals("*")) {
            if (at instanceof ArrayNode a) {
                for (int k = 0; k < a.size(); k++) {
                    pointer.append('/').append(k);
                    walk(a.get(k), tokens, i + 1, pointer, out);
                    pointer.setLength(mark);
                }
            }
            return;
        }
        String key = unescape(token);
        JsonNode next = null;
        if (at instanceof ObjectNode o) {
            next = o.get(key);
        } else if (at instanceof ArrayNode a && isIndex(key)) {
            next = a.get(Integer.parseInt(key));
        }
        if (next != null) {
            pointer.append('/').append(token);
            walk(next, tokens, i + 1, pointer, out);
            pointer.setLength(mark);
        }
    }

    private static boolean isIndex(String s) {
        if (s.isEmpty() || s.length() > 9 || (s.length() > 1 && s.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 6901: {@code ~1} is '/', {@code ~0} is '~' (in that order). */
    static String unescape(String token) {
        return token.indexOf('~') < 0 ? token : token.replace("~1", "/").replace("~0", "~");
    }
}
