package dev.skci.setup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.trace.Gvk;

/**
 * One object of the setup manifests, as written, and where: applied after the readiness gates and
 * before the first event, owned by the run's root.
 *
 * @param namespace the namespace the manifest names (production's), or null
 * @param where {@code setup/priority.yaml:3}, the file and the line the object starts on
 */
public record SetupObject(ObjectNode object, Gvk gvk, String namespace, String name, String where) {
    public SetupObject {
        object = object.deepCopy();
    }

    /** {@code PriorityClass critical}, {@code ConfigMap shop/flags}: how reports name it. */
    public String describe() {
        return gvk.kind() + " " + (namespace == null ? name : namespace + "/" + name);
    }

    public boolean isCrd() {
        return gvk.group().equals(SetupKinds.CRD.group()) && gvk.kind().equals(SetupKinds.CRD.kind());
    }

    public boolean isNamespace() {
        return gvk.group().isEmpty() && gvk.kind().equals("Namespace");
    }
}
