package dev.skci.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs against the real local cluster shared by the whole test JVM. Test
 * methods may declare parameters of type {@link io.fabric8.kubernetes.client.KubernetesClient} (bound
 * to the test's own namespace), {@link TestNamespace}, or {@link dev.skci.cluster.local.LocalCluster}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("cluster")
@ExtendWith(ClusterExtension.class)
public @interface ClusterTest {}
