package dev.skci.trace;

import java.util.Objects;

/**
 * A group/version/kind, as SimKube spells it in trace files: {@code group/version.Kind}, with the group
 * left out for the core group ({@code v1.Pod}). Legacy files may write the core group with a leading
 * slash ({@code /v1.Pod}); {@link #parse} accepts that and {@link #toString} never writes it.
 */
public record Gvk(String group, String version, String kind) {

    public Gvk {
        Objects.requireNonNull(group);
        Objects.requireNonNull(version);
        Objects.requireNonNull(kind);
    }

    /** Parses a trace GVK string the way upstream does; throws {@link IllegalArgumentException} with the reason. */
    public static Gvk parse(String s) {
        String[] parts = s.split("/", -1);
        String group;
        String rest;
        if (parts.length == 1) {
            group = "";
            rest = parts[0];
        } else if (parts.length == 2) {
            group = parts[0];
            rest = parts[1];
        } else {
            throw new IllegalArgumentException("'" + s + "' is not a GVK: more than one '/'");
        }
        String[] vk = rest.split("\\.", -1);
        if (vk.length != 2 || vk[0].isEmpty() || vk[1].isEmpty()) {
            throw new IllegalArgumentException("'" + s + "' is not a GVK: expected group/version.Kind or version.Kind");
        }
        return new Gvk(group, vk[0], vk[1]);
    }

    /** The GVK of an object from its {@code apiVersion} ({@code apps/v1} or {@code v1}) and {@code kind}. */
    public static Gvk of(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return slash < 0
                ? new Gvk("", apiVersion, kind)
                : new Gvk(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public boolean isCorePod() {
        return group.isEmpty() && version.equals("v1") && kind.equals("Pod");
    }

    @Override
    public String toString() {
        return apiVersion() + "." + kind;
    }
}
