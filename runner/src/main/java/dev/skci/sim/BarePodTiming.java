package dev.skci.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skci.cluster.SimNames;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * A bare pod's original creation and deletion time, read from the annotations the bare-pods seed
 * describes ({@link SimNames#ANNOTATION_ORIGINAL_CREATION}, {@link SimNames#ANNOTATION_ORIGINAL_DELETION}).
 * Values are RFC 3339 timestamps or Unix seconds. SimKube's released tracer does not write them; traces
 * that carry them get the remaining-lifetime treatment, the others rely on {@code pod_lifecycles}.
 */
public record BarePodTiming(OptionalLong created, OptionalLong deleted) {

    public static BarePodTiming of(JsonNode annotations) {
        return new BarePodTiming(
                seconds(annotations, SimNames.ANNOTATION_ORIGINAL_CREATION),
                seconds(annotations, SimNames.ANNOTATION_ORIGINAL_DELETION));
    }

    public boolean present() {
        return created.isPresent() || deleted.isPresent();
    }

    /** True when the pod was gone before the trace began: it is not started again. */
    public boolean goneBefore(long traceStart) {
        return deleted.isPresent() && deleted.getAsLong() <= traceStart;
    }

    private static OptionalLong seconds(JsonNode annotations, String key) {
        if (annotations == null) {
            return OptionalLong.empty();
        }
        JsonNode v = annotations.get(key);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            return OptionalLong.empty();
        }
        String s = v.textValue().trim();
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException notSeconds) {
            try {
                return OptionalLong.of(Instant.parse(s).getEpochSecond());
            } catch (DateTimeParseException e) {
                return OptionalLong.empty();
            }
        }
    }
}
