package dev.skci.autoscaler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.cluster.SimNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one simulation gives Karpenter, from the user's manifests and the replay speed; no cluster involved.
 *
 * <ul>
 *   <li><b>skci's markers</b>, so the nodes Karpenter makes are virtual nodes the webhook steers pods to: the label
 *       {@code type=virtual} in each NodePool's template and the taint {@code kwok-provider=true:NoSchedule} (Karpenter's
 *       KWOK provider adds the {@code kwok.x-k8s.io/node=fake} annotation itself). A node class of another cloud
 *       ({@code EC2NodeClass}...) is pointed at a KWOKNodeClass of the same name, and a KWOKNodeClass no file gives is
 *       created empty. Everything else stays as written; {@link #added} lists each change.
 *   <li><b>Time</b>: Karpenter's timers run on the wall clock while the replay runs {@code speed} times faster, so every
 *       duration Karpenter lets us set is divided by the speed (its batching window, and each NodePool's
 *       consolidateAfter, expireAfter and terminationGracePeriod, each KWOKNodeClass's nodeRegistrationDelay). What
 *       cannot be scaled is in {@link #unfaithful} (docs/karpenter.md, "Time").
 * </ul>
 *
 * @param nodePools the NodePools to apply, markers added and durations scaled
 * @param nodeClasses the KWOKNodeClasses to apply, the created ones included
 * @param batchIdle Karpenter's --batch-idle-duration, scaled
 * @param batchMax Karpenter's --batch-max-duration, scaled
 * @param added what skci added to the user's objects, one line each
 * @param scaled the durations divided by the speed ({@code NodePool default consolidateAfter 30s -> 3s})
 * @param unfaithful what makes the autoscaler behave unlike production at this speed, one line each
 */
public record KarpenterPlan(List<ObjectNode> nodePools, List<ObjectNode> nodeClasses, Duration batchIdle, Duration batchMax,
        List<String> added, List<String> scaled, List<String> unfaithful) {

    /** Karpenter's disruption controller looks for consolidation this often (wall clock, fixed in its code). */
    public static final Duration CONSOLIDATION_POLL = Duration.ofSeconds(10);
    /** ... and waits this long before it acts on a consolidation decision (its commandValidationDelay). */
    public static final Duration CONSOLIDATION_VALIDATION = Duration.ofSeconds(15);
    /** A scaled duration that rounding to whole seconds moves by more than this share is reported. */
    private static final double ROUNDING_TOLERANCE = 0.2;

    static final String TAINT_VALUE = "true";
    static final String TAINT_EFFECT = "NoSchedule";
    private static final Pattern KARPENTER_DURATION = Pattern.compile("([0-9]+)(h|m|s)");

    public KarpenterPlan {
        nodePools = List.copyOf(nodePools);
        nodeClasses = List.copyOf(nodeClasses);
        added = List.copyOf(added);
        scaled = List.copyOf(scaled);
        unfaithful = List.copyOf(unfaithful);
    }

    /**
     * Refuses NodePools that contradict skci's markers (exit 2, naming the file and line): a template label
     * {@code type} other than {@code virtual}, a requirement on {@code type} that rules {@code virtual} out, a
     * {@code kwok-provider} taint with another effect. Called when the config is read.
     */
    public static void check(KarpenterSpec spec) {
        for (Manifest m : spec.nodePools()) {
            JsonNode template = m.object().path("spec").path("template");
            String label = template.path("metadata").path("labels").path(SimNames.LABEL_NODE_TYPE).asText(null);
            if (label != null && !label.equals(SimNames.NODE_TYPE_VIRTUAL)) {
                throw KarpenterManifests.problem(m, "NodePool " + m.name() + " gives its nodes the label " + SimNames.LABEL_NODE_TYPE
                        + "=" + label + ", but skci marks virtual nodes with " + markerLabel()
                        + " (the webhook steers simulated pods by it); remove the label or set it to " + SimNames.NODE_TYPE_VIRTUAL);
            }
            for (JsonNode r : template.path("spec").path("requirements")) {
                if (SimNames.LABEL_NODE_TYPE.equals(r.path("key").asText()) && !admitsVirtual(r)) {
                    throw KarpenterManifests.problem(m, "NodePool " + m.name() + " has a requirement on " + SimNames.LABEL_NODE_TYPE
                            + " (" + r.path("operator").asText() + " " + r.path("values") + ") that rules out " + markerLabel()
                            + ", skci's virtual-node label; remove it");
                }
            }
            for (JsonNode t : template.path("spec").path("taints")) {
                if (SimNames.TAINT_KWOK_PROVIDER.equals(t.path("key").asText()) && !TAINT_EFFECT.equals(t.path("effect").asText())) {
                    throw KarpenterManifests.problem(m, "NodePool " + m.name() + " taints its nodes " + SimNames.TAINT_KWOK_PROVIDER
                            + ":" + t.path("effect").asText() + ", but simulated pods tolerate only " + markerTaint()
                            + "; remove that taint (skci adds its own)");
                }
            }
        }
    }

    private static boolean admitsVirtual(JsonNode requirement) {
        Set<String> values = new LinkedHashSet<>();
        requirement.path("values").forEach(v -> values.add(v.asText()));
        return switch (requirement.path("operator").asText()) {
            case "In" -> values.contains(SimNames.NODE_TYPE_VIRTUAL);
            case "NotIn" -> !values.contains(SimNames.NODE_TYPE_VIRTUAL);
            case "Exists" -> true;
            default -> false; // DoesNotExist, Gt, Lt
        };
    }

    static String markerLabel() {
        return SimNames.LABEL_NODE_TYPE + "=" + SimNames.NODE_TYPE_VIRTUAL;
    }

    static String markerTaint() {
        return SimNames.TAINT_KWOK_PROVIDER + "=" + TAINT_VALUE + ":" + TAINT_EFFECT;
    }

    /** The objects and flags for one simulation at {@code speed} ({@code Double.POSITIVE_INFINITY} for {@code max}). */
    public static KarpenterPlan of(KarpenterSpec spec, double speed) {
        Scaler scaler = new Scaler(speed);
        List<String> added = new ArrayList<>();
        Map<String, ObjectNode> classes = new LinkedHashMap<>();
        for (Manifest m : spec.nodeClasses()) {
            ObjectNode c = clean(m.object());
            scaler.scale(c.path("spec") instanceof ObjectNode s ? s : null, "nodeRegistrationDelay", "KWOKNodeClass " + m.name(), false);
            classes.put(m.name(), c);
        }
        List<ObjectNode> pools = new ArrayList<>();
        for (Manifest m : spec.nodePools()) {
            ObjectNode p = clean(m.object());
            String what = "NodePool " + m.name();
            List<String> mine = new ArrayList<>();
            ObjectNode template = object(object(p, "spec"), "template");
            ObjectNode labels = object(object(template, "metadata"), "labels");
            if (!labels.has(SimNames.LABEL_NODE_TYPE)) {
                labels.put(SimNames.LABEL_NODE_TYPE, SimNames.NODE_TYPE_VIRTUAL);
                mine.add("label " + markerLabel());
            }
            ObjectNode tspec = object(template, "spec");
            ArrayNode taints = tspec.get("taints") instanceof ArrayNode a ? a : tspec.putArray("taints");
            boolean tainted = false;
            for (JsonNode t : taints) {
                tainted |= SimNames.TAINT_KWOK_PROVIDER.equals(t.path("key").asText());
            }
            if (!tainted) {
                taints.addObject().put("key", SimNames.TAINT_KWOK_PROVIDER).put("value", TAINT_VALUE).put("effect", TAINT_EFFECT);
                mine.add("taint " + markerTaint());
            }
            String className = nodeClassRef(tspec, mine);
            if (!classes.containsKey(className)) {
                ObjectNode c = JsonNodeFactory.instance.objectNode();
                c.put("apiVersion", KarpenterManifests.NODE_CLASS_API).put("kind", KarpenterManifests.NODE_CLASS);
                c.putObject("metadata").put("name", className);
                classes.put(className, c);
                added.add("KWOKNodeClass " + className + " (created empty: " + what + " refers to it and no file gives it)");
            }
            ObjectNode disruption = p.path("spec").get("disruption") instanceof ObjectNode d ? d : null;
            scaler.scale(disruption, "consolidateAfter", what, true);
            scaler.scale(tspec, "expireAfter", what, true);
            scaler.scale(tspec, "terminationGracePeriod", what, false);
            if (!mine.isEmpty()) {
                added.add(what + ": " + String.join(", ", mine));
            }
            scaler.unscalable(m.name(), disruption);
            pools.add(p);
        }
        Duration idle = scaler.flag(spec.batchIdleDuration().orElse(KarpenterSpec.DEFAULT_BATCH_IDLE), "batchIdleDuration");
        Duration max = scaler.flag(spec.batchMaxDuration().orElse(KarpenterSpec.DEFAULT_BATCH_MAX), "batchMaxDuration");
        return new KarpenterPlan(pools, List.copyOf(classes.values()), idle, max, added, scaler.scaled, scaler.unfaithful);
    }

    /** The KWOKNodeClass a NodePool template uses, after pointing a reference to another cloud's class at KWOK's. */
    private static String nodeClassRef(ObjectNode tspec, List<String> mine) {
        JsonNode ref = tspec.get("nodeClassRef");
        String name = ref == null ? "default" : ref.path("name").asText("default");
        String group = ref == null ? "" : ref.path("group").asText();
        String kind = ref == null ? "" : ref.path("kind").asText();
        if (!group.equals(KarpenterManifests.NODE_CLASS_GROUP) || !kind.equals(KarpenterManifests.NODE_CLASS)) {
            tspec.putObject("nodeClassRef").put("group", KarpenterManifests.NODE_CLASS_GROUP).put("kind", KarpenterManifests.NODE_CLASS)
                    .put("name", name);
            mine.add(ref == null ? "nodeClassRef " + KarpenterManifests.NODE_CLASS + "/" + name
                    : "nodeClassRef " + kind + "/" + name + " -> " + KarpenterManifests.NODE_CLASS + "/" + name
                            + " (the simulation's cloud is KWOK)");
        }
        return name;
    }

    /** A copy with only what the user declares: no status, no server-set metadata (a `kubectl get -o yaml` works). */
    private static ObjectNode clean(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        c.remove("status");
        if (c.get("metadata") instanceof ObjectNode meta) {
            meta.retain("name", "labels", "annotations");
        }
        return c;
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
    }

    /** Divides durations by the speed and notes what it did, and what it could not do. */
    private static final class Scaler {
        final double speed;
        final List<String> scaled = new ArrayList<>();
        final List<String> unfaithful = new ArrayList<>();
        private boolean warnedMax;

        Scaler(double speed) {
            this.speed = speed;
        }

        boolean scales() {
            return speed != 1 && Double.isFinite(speed);
        }

        void max() {
            if (Double.isInfinite(speed) && !warnedMax) {
                warnedMax = true;
                unfaithful.add("speed max: Karpenter's timers (batching, consolidation, expiry) cannot be divided by an unbounded "
                        + "speed and run as configured, in wall-clock time");
            }
        }

        /** A Karpenter duration field ({@code 30s}, {@code 1h30m}, {@code Never}) of {@code parent}, in place. */
        void scale(ObjectNode parent, String field, String what, boolean neverAllowed) {
            if (parent == null || !parent.hasNonNull(field)) {
                return;
            }
            max();
            String text = parent.get(field).asText();
            if (!scales() || neverAllowed && text.equals("Never")) {
                return;
            }
            Optional<Duration> d = parse(text);
            if (d.isEmpty()) {
                return; // not Karpenter's format: the API server says so when it is applied
            }
            double exact = d.get().toMillis() / 1000.0 / speed;
            long seconds = d.get().isZero() ? 0 : Math.max(1, Math.round(exact));
            parent.put(field, seconds + "s");
            scaled.add(what + " " + field + " " + text + " -> " + seconds + "s");
            if (exact > 0 && Math.abs(seconds - exact) / exact > ROUNDING_TOLERANCE) {
                unfaithful.add(what + " " + field + " " + text + " at speed " + speedText() + " would be "
                        + String.format(Locale.ROOT, "%.3gs", exact) + " of wall time; Karpenter takes whole seconds, so it is "
                        + seconds + "s");
            }
        }

        /** One of Karpenter's batching flags (Go durations: milliseconds are fine). */
        Duration flag(Duration d, String name) {
            max();
            if (!scales()) {
                return d;
            }
            Duration s = Duration.ofNanos(Math.max(1_000_000L, Math.round(d.toNanos() / speed)));
            scaled.add("Karpenter " + name + " " + text(d) + " -> " + text(s));
            return s;
        }

        /** What Karpenter does on its own clock, which no setting scales. */
        void unscalable(String pool, ObjectNode disruption) {
            if (speed <= 1) {
                return;
            }
            boolean consolidates = disruption == null || !"Never".equals(disruption.path("consolidateAfter").asText());
            if (consolidates) {
                long wall = CONSOLIDATION_POLL.plus(CONSOLIDATION_VALIDATION).toSeconds();
                unfaithful.add("NodePool " + pool + ": consolidation cannot follow speed " + speedText() + ": Karpenter looks for it every "
                        + CONSOLIDATION_POLL.toSeconds() + " s and waits " + CONSOLIDATION_VALIDATION.toSeconds()
                        + " s before acting, on the wall clock, so nodes go up to "
                        + (Double.isFinite(speed) ? String.format(Locale.ROOT, "%.0f s of trace time", wall * speed) : "arbitrarily")
                        + " later than in production");
            }
            if (disruption != null) {
                for (JsonNode b : disruption.path("budgets")) {
                    if (b.hasNonNull("schedule")) {
                        unfaithful.add("NodePool " + pool + ": the disruption budget schedule '" + b.get("schedule").asText()
                                + "' is a cron expression on the wall clock; it is not scaled");
                        break;
                    }
                }
            }
        }

        String speedText() {
            return Double.isInfinite(speed) ? "max" : speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
        }
    }

    /** {@code 1h30m}, {@code 45s}: Karpenter's duration format (whole hours, minutes and seconds). */
    static Optional<Duration> parse(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = KARPENTER_DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
            at = m.end();
        }
        return at == text.length() ? Optional.of(total) : Optional.empty();
    }

    /** A Go duration for Karpenter's flags: {@code 1s}, {@code 100ms}. */
    static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Karpenter's command-line flags for the batching window. */
    public List<String> batchFlags() {
        return List.of("--batch-idle-duration=" + text(batchIdle), "--batch-max-duration=" + text(batchMax));
    }
}
