package dev.skci.override;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.trace.KubeObject;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;

/**
 * One patch of the pull request's version of traced objects, in one of kustomize's two forms: a
 * strategic-merge patch (a partial object; without a target it patches the object it names itself) or a
 * JSON 6902 patch (a list of operations, always with a target).
 *
 * @param source where it was written, as the reports name it ({@code overrides/cpu.yaml}, {@code skci.yaml:14})
 * @param patch a strategic-merge patch without the identity fields, or the list of JSON 6902 operations
 */
public record Patch(String source, Form form, JsonNode patch, Target target) {
    /** kustomize's two patch forms. */
    public enum Form { STRATEGIC_MERGE, JSON_6902 }

    public Patch {
        patch = patch.deepCopy();
    }

    /**
     * The object with this patch applied (a new tree).
     *
     * @throws StrategicMerge.PatchException when the patch does not apply to it
     */
    ObjectNode apply(KubeObject o, MergeKeys.Type shape) {
        return switch (form) {
            case STRATEGIC_MERGE -> StrategicMerge.apply(o.node(), (ObjectNode) patch, shape);
            case JSON_6902 -> {
                try {
                    JsonNode out = JsonPatch.apply(patch, o.node());
                    if (!(out instanceof ObjectNode on)) {
                        throw new StrategicMerge.PatchException("the patch replaces the whole object with a non-object");
                    }
                    yield on;
                } catch (JsonPatchException e) {
                    throw new StrategicMerge.PatchException(e.getMessage());
                }
            }
        };
    }

    /** {@code overrides/cpu.yaml (kind Deployment, name web)}. */
    public String describe() {
        return source + " (" + target + ")";
    }
}
