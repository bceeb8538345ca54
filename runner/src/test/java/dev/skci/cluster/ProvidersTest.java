package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skci.SkciException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The provider registry: every provider registers itself, by name, with its own flag rules. */
class ProvidersTest {
    private static final ProviderOptions OPTIONS = ProviderOptions.defaults(line -> {});

    @Test
    void everyProviderFolderRegistersItself() {
        assertEquals(java.util.List.of("local", "existing", "kind"), Providers.all().stream().map(ProviderFactory::name).toList());
        assertEquals("local", Providers.DEFAULT);
        assertEquals("local, existing or kind", Providers.names());
        for (ProviderFactory f : Providers.all()) {
            assertTrue(!f.summary().isBlank(), f.name());
        }
    }

    @Test
    void anUnknownProviderIsInvalidInputNamingTheKnownOnes() {
        SkciException e = assertThrows(SkciException.class, () -> Providers.create("docker", OPTIONS));
        assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        assertEquals("unknown provider 'docker'; use local, existing or kind", e.getMessage());
    }

    @Test
    void eachProviderChecksItsOwnOptions() {
        SkciException noKubeconfig = assertThrows(SkciException.class, () -> Providers.create("existing", OPTIONS));
        assertTrue(noKubeconfig.getMessage().contains("--provider existing needs --kubeconfig"), noKubeconfig.getMessage());
        SkciException kubeconfigForLocal = assertThrows(SkciException.class,
                () -> Providers.create("local", OPTIONS.withKubeconfig(Path.of("k"))));
        assertTrue(kubeconfigForLocal.getMessage().contains("--kubeconfig is only for --provider existing"),
                kubeconfigForLocal.getMessage());
        assertEquals("existing", Providers.create("existing", OPTIONS.withKubeconfig(Path.of("k"))).name());
    }
}
