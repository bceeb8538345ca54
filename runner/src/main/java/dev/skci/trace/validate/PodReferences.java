package dev.skci.trace.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.trace.KubeObject;
import dev.skci.trace.PodTemplates;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tracks the ServiceAccounts, Secrets and ConfigMaps that pod templates refer to, and the ones the
 * trace creates; at the end, reports each reference to something never created once, at its first use.
 * Resources are matched as SimKube's validator does: by kind and {@code <namespace of the referring
 * object>/<name>}. References marked {@code optional: true}, the {@code default} ServiceAccount and the
 * {@code kube-root-ca.crt} ConfigMap (every namespace has them) are not reported.
 */
final class PodReferences {
    private static final String SERVICE_ACCOUNT = "ServiceAccount";
    private static final String SECRET = "Secret";
    private static final String CONFIG_MAP = "ConfigMap";

    private record Ref(String kind, String ns, String name) {}

    private record FirstUse(int event, long ts, String object, String via) {}

    private final Set<Ref> created = new HashSet<>();
    private final Map<Ref, FirstUse> used = new LinkedHashMap<>();

    void applied(KubeObject o) {
        String kind = o.kind();
        if (SERVICE_ACCOUNT.equals(kind) || SECRET.equals(kind) || CONFIG_MAP.equals(kind)) {
            created.add(new Ref(kind, nsOf(o), o.name()));
        }
    }

    void scan(KubeObject o, List<PodTemplates.Match> templates, int event, long ts) {
        for (PodTemplates.Match m : templates) {
            ObjectNode spec = m.podSpec();
            if (spec == null) {
                continue;
            }
            Scan s = new Scan(o, event, ts, m.pointer());
            String sa = text(spec.get("serviceAccountName"));
            if (sa == null) {
                sa = text(spec.get("serviceAccount"));
            }
            if (sa != null && !sa.isEmpty() && !sa.equals("default")) {
                s.use(SERVICE_ACCOUNT, sa, "serviceAccountName");
            }
            containers(s, spec.get("initContainers"), "initContainers");
            containers(s, spec.get("containers"), "containers");
            volumes(s, spec.get("volumes"));
        }
    }

    private final class Scan {
        final KubeObject object;
        final int event;
        final long ts;
        final String template;

        Scan(KubeObject object, int event, long ts, String template) {
            this.object = object;
            this.event = event;
            this.ts = ts;
            this.template = template;
        }

        void use(String kind, String name, String via) {
            Ref r = new Ref(kind, nsOf(object), name);
            used.putIfAbsent(r, new FirstUse(event, ts, object.describe(),
                    "pod template " + (template.isEmpty() ? "(the object itself)" : template) + ": " + via));
        }

        void ref(JsonNode holder, String kind, String nameField, String via) {
            if (holder == null || !holder.isObject() || isOptional(holder)) {
                return;
            }
            String name = text(holder.get(nameField));
            if (name == null || name.isEmpty()) {
                return;
            }
            if (kind.equals(CONFIG_MAP) && name.equals("kube-root-ca.crt")) {
                return;
            }
            use(kind, name, via);
        }
    }

    private static void containers(Scan s, JsonNode list, String field) {
        if (list == null || !list.isArray()) {
            return;
        }
        for (JsonNode c : list) {
            String cname = text(c.get("name"));
            String where = field + "[" + (cname == null ? "?" : cname) + "]";
            JsonNode env = c.get("env");
            if (env != null && env.isArray()) {
                for (JsonNode e : env) {
                    JsonNode from = e.get("valueFrom");
                    if (from != null && from.isObject()) {
                        s.ref(from.get("secretKeyRef"), SECRET, "name", where + ".env.valueFrom.secretKeyRef");
                        s.ref(from.get("configMapKeyRef"), CONFIG_MAP, "name", where + ".env.valueFrom.configMapKeyRef");
                    }
                }
            }
            JsonNode envFrom = c.get("envFrom");
            if (envFrom != null && envFrom.isArray()) {
                for (JsonNode e : envFrom) {
                    s.ref(e.get("secretRef"), SECRET, "name", where + ".envFrom.secretRef");
                    s.ref(e.get("configMapRef"), CONFIG_MAP, "name", where + ".envFrom.configMapRef");
                }
            }
        }
    }

    private static void volumes(Scan s, JsonNode list) {
        if (list == null || !list.isArray()) {
            return;
        }
        for (JsonNode v : list) {
            String vname = text(v.get("name"));
            String where = "volumes[" + (vname == null ? "?" : vname) + "]";
            s.ref(v.get("secret"), SECRET, "secretName", where + ".secret");
            s.ref(v.get("configMap"), CONFIG_MAP, "name", where + ".configMap");
            JsonNode projected = v.get("projected");
            JsonNode sources = projected == null ? null : projected.get("sources");
            if (sources != null && sources.isArray()) {
                for (JsonNode src : sources) {
                    s.ref(src.get("secret"), SECRET, "name", where + ".projected.sources.secret");
                    s.ref(src.get("configMap"), CONFIG_MAP, "name", where + ".projected.sources.configMap");
                }
            }
        }
    }

    void finish(Findings out) {
        used.forEach((ref, use) -> {
            if (created.contains(ref)) {
                return;
            }
            String what = ref.kind() + " " + (ref.ns().isEmpty() ? "" : ref.ns() + "/") + ref.name();
            switch (ref.kind()) {
                case SERVICE_ACCOUNT -> out.add(Rule.MISSING_SERVICE_ACCOUNT, use.event(), use.ts(), use.object(),
                        use.via() + " names " + what + ", which the trace never creates; the API server refuses pods "
                                + "whose ServiceAccount does not exist, so these pods will not run. Add the ServiceAccount "
                                + "to the trace or remove serviceAccountName");
                case SECRET -> out.add(Rule.MISSING_SECRET, use.event(), use.ts(), use.object(),
                        use.via() + " refers to " + what + ", which the trace never creates; simulated (KWOK) pods "
                                + "still start, a real kubelet would not");
                default -> out.add(Rule.MISSING_CONFIGMAP, use.event(), use.ts(), use.object(),
                        use.via() + " refers to " + what + ", which the trace never creates; simulated (KWOK) pods "
                                + "still start, a real kubelet would not");
            }
        });
    }

    private static boolean isOptional(JsonNode holder) {
        JsonNode opt = holder.get("optional");
        return opt != null && opt.isBoolean() && opt.booleanValue();
    }

    private static String nsOf(KubeObject o) {
        String ns = o.namespace();
        return ns == null ? "" : ns;
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
