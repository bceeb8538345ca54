package dev.skci.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skci.SkciException;
import org.junit.jupiter.api.Test;

class ClusterNamesTest {
    @Test
    void plainNamesPass() {
        for (String ok : new String[] {"skci", "ci-42", "a", "test-12345", "x".repeat(40)}) {
            assertEquals(ok, ClusterNames.check(ok));
        }
    }

    @Test
    void namesThatCouldEscapeTheDirectoryOrBreakKwokctlAreRejected() {
        for (String bad : new String[] {"", "../x", "a/b", "Upper", "-lead", "trail-", "x".repeat(41), "a b", "a.b"}) {
            SkciException e = assertThrows(SkciException.class, () -> ClusterNames.check(bad), bad);
            assertEquals(SkciException.Kind.INVALID_INPUT, e.kind());
        }
    }
}
