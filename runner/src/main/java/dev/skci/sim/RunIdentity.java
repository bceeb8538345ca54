package dev.skci.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skci.cluster.SimNames;
import java.security.SecureRandom;
import java.util.Objects;

/** Who a run is on the cluster: its name (also its SimulationRoot's name) and the root's UID once created. */
public record RunIdentity(String name, String rootUid) {

    public RunIdentity {
        Objects.requireNonNull(name);
        Objects.requireNonNull(rootUid);
    }

    /** A fresh run name such as {@code skci-4f9a1c}: short, a valid label value and object name. */
    public static String newName() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return String.format("skci-%02x%02x%02x", b[0], b[1], b[2]);
    }

    /** The owner reference every object of the run carries, as a fabric8 model object. */
    public io.fabric8.kubernetes.api.model.OwnerReference ownerReferenceModel() {
        return new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion(SimNames.ROOT_API_VERSION)
                .withKind(SimNames.ROOT_KIND).withName(name).withUid(rootUid).withBlockOwnerDeletion(true).build();
    }

    /** The owner reference every replayed object and virtual namespace carries. */
    public ObjectNode ownerReference() {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("apiVersion", SimNames.ROOT_API_VERSION);
        r.put("kind", SimNames.ROOT_KIND);
        r.put("name", name);
        r.put("uid", rootUid);
        r.put("blockOwnerDeletion", true);
        return r;
    }
}
