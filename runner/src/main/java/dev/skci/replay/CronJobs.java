package dev.skci.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.cluster.SimNames;
import dev.skci.replay.cron.CronSchedule;
import dev.skci.trace.Gvk;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Time warp for CronJobs. The real CronJob controller fires on wall-clock minutes, so at any speed other
 * than 1 a replayed CronJob would create the wrong number of Jobs (SimKube has this problem). skci applies
 * CronJobs suspended and creates their Jobs itself, at the schedule's fire times evaluated in trace time
 * and mapped through the replay clock. The Jobs look like the controller's: same name scheme, labels,
 * annotations and a controlling owner reference, so the controller still counts and prunes them.
 */
public final class CronJobs {
    public static final Gvk CRONJOB = new Gvk("batch", "v1", "CronJob");
    public static final Gvk JOB = new Gvk("batch", "v1", "Job");
    /** Marks a CronJob that skci suspended in order to drive it in trace time. */
    public static final String ANNOTATION_TIME_WARP = "skci.dev/cronjob-time-warp";
    private static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    /** A Job to create now, and when it was due in trace time. */
    public record Fire(long traceTs, ObjectNode job) {}

    private static final class Driven {
        final String namespace;
        final String name;
        String uid;
        CronSchedule schedule;
        ObjectNode jobTemplate;
        boolean suspended;
        String run;
        long after; // fire strictly after this trace second
        long next = Long.MAX_VALUE;

        Driven(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
        }
    }

    private final Map<String, Driven> driven = new LinkedHashMap<>();

    /**
     * Called with a transformed CronJob before it is applied at trace second {@code ts}: records its
     * schedule and marks it suspended. Returns a problem description when the schedule is unusable.
     */
    public Optional<String> beforeApply(ObjectNode cronJob, long ts) {
        String ns = cronJob.path("metadata").path("namespace").asText();
        String name = cronJob.path("metadata").path("name").asText();
        JsonNode spec = cronJob.path("spec");
        Driven d = driven.computeIfAbsent(ns + "/" + name, k -> new Driven(ns, name));
        d.suspended = spec.path("suspend").asBoolean(false);
        d.jobTemplate = spec.path("jobTemplate") instanceof ObjectNode t ? t.deepCopy() : JsonNodeFactory.instance.objectNode();
        d.after = ts;
        try {
            d.schedule = CronSchedule.parse(spec.path("schedule").asText(""), spec.path("timeZone").asText(null));
        } catch (IllegalArgumentException e) {
            d.schedule = null;
            d.next = Long.MAX_VALUE;
            return Optional.of("CronJob " + ns + "/" + name + ": " + e.getMessage() + "; it will create no Jobs");
        }
        ((ObjectNode) cronJob.get("spec")).put("suspend", true);
        ObjectNode meta = (ObjectNode) cronJob.get("metadata");
        meta.withObjectProperty("annotations").put(ANNOTATION_TIME_WARP, "true");
        d.run = meta.path("labels").path(SimNames.LABEL_SIMULATION).asText(null);
        plan(d);
        return Optional.empty();
    }

    /** Called after a successful apply with the CronJob's UID, which its Jobs' owner reference needs. */
    public void applied(String namespace, String name, String uid) {
        Driven d = driven.get(namespace + "/" + name);
        if (d != null) {
            d.uid = uid;
        }
    }

    public void deleted(String namespace, String name) {
        driven.remove(namespace + "/" + name);
    }

    /** The next fire time (trace seconds), if any CronJob will fire. */
    public OptionalLong nextDue() {
        return driven.values().stream().mapToLong(d -> d.next).filter(t -> t != Long.MAX_VALUE).min();
    }

    /** Takes the earliest due fire at or before {@code ts} and returns the Job to create. */
    public Optional<Fire> takeDue(long ts) {
        Optional<Driven> due = driven.values().stream()
                .filter(d -> d.next <= ts)
                .min(Comparator.comparingLong(d -> d.next));
        if (due.isEmpty()) {
            return Optional.empty();
        }
        Driven d = due.get();
        long fireTs = d.next;
        d.after = fireTs;
        plan(d);
        if (d.uid == null) {
            return Optional.empty(); // its apply failed; that failure is already recorded
        }
        return Optional.of(new Fire(fireTs, job(d, fireTs)));
    }

    private static void plan(Driven d) {
        d.next = d.suspended || d.schedule == null ? Long.MAX_VALUE
                : d.schedule.next(Instant.ofEpochSecond(d.after)).map(Instant::getEpochSecond).orElse(Long.MAX_VALUE);
    }

    /** The Job the CronJob controller would create for this fire time. */
    private static ObjectNode job(Driven d, long fireTs) {
        ObjectNode job = JsonNodeFactory.instance.objectNode();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        ObjectNode meta = job.putObject("metadata");
        meta.put("name", d.name + "-" + (fireTs / 60)); // the controller's name: minutes since the epoch
        meta.put("namespace", d.namespace);
        JsonNode tmeta = d.jobTemplate.path("metadata");
        ObjectNode labels = tmeta.get("labels") instanceof ObjectNode l ? l.deepCopy() : meta.objectNode();
        ObjectNode annotations = tmeta.get("annotations") instanceof ObjectNode a ? a.deepCopy() : meta.objectNode();
        annotations.put(SCHEDULED_TIMESTAMP, DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(fireTs)));
        meta.set("labels", labels);
        meta.set("annotations", annotations);
        ObjectNode owner = meta.putArray("ownerReferences").addObject();
        owner.put("apiVersion", "batch/v1");
        owner.put("kind", "CronJob");
        owner.put("name", d.name);
        owner.put("uid", d.uid);
        owner.put("controller", true);
        owner.put("blockOwnerDeletion", true);
        job.set("spec", d.jobTemplate.path("spec").deepCopy());
        labels.put(SimNames.LABEL_VIRTUAL, "true");
        if (d.run != null) {
            labels.put(SimNames.LABEL_SIMULATION, d.run);
        }
        return job;
    }
}
