package dev.skci.trace;

import java.util.List;
import java.util.Map;

/**
 * The seven kinds SimKube knows, with the pod-template paths it requires for them
 * ({@code sk-core/src/constants.rs}). Paths are JSON pointers into the object's body; {@code ""}
 * means the object itself is the pod. ReplicaSet's {@code /spec} is what upstream has.
 */
public final class BuiltinKinds {
    private BuiltinKinds() {}

    public static final Map<Gvk, List<String>> POD_TEMPLATE_PATHS = Map.of(
            new Gvk("batch", "v1", "CronJob"), List.of("/spec/jobTemplate/spec/template"),
            new Gvk("apps", "v1", "DaemonSet"), List.of("/spec/template"),
            new Gvk("apps", "v1", "Deployment"), List.of("/spec/template"),
            new Gvk("batch", "v1", "Job"), List.of("/spec/template"),
            new Gvk("apps", "v1", "ReplicaSet"), List.of("/spec"),
            new Gvk("apps", "v1", "StatefulSet"), List.of("/spec/template"),
            new Gvk("", "v1", "Pod"), List.of(""));

    public static boolean isBuiltin(Gvk gvk) {
        return POD_TEMPLATE_PATHS.containsKey(gvk);
    }
}
