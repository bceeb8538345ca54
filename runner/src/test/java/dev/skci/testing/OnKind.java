package dev.skci.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a cluster test (method, or every method of a class) that also runs on the kind provider: the
 * default suite runs it on the local cluster, the kind stage (JUnit tag {@code kind},
 * {@code -Dskci.test.provider=kind}) on a kind cluster from skci's node image. Such a test takes a
 * {@link dev.skci.cluster.Cluster}, never a {@link dev.skci.cluster.local.LocalCluster}, and controls
 * cert-manager through {@link CertManagerControl}.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Tag("kind")
public @interface OnKind {}
