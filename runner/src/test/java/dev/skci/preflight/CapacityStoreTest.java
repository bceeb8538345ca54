package dev.skci.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Measured capacities are kept per machine and provider key, and an unreadable file counts as none. */
class CapacityStoreTest {
    @Test
    void savesAndFindsByProviderKey(@TempDir Path dir) throws Exception {
        CapacityStore store = new CapacityStore(dir);
        assertTrue(store.find("local a").isEmpty());
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        Path f = store.save("local a", new Capacity(210, 180, 400, "x", Optional.of(at)), "2000 pods");
        Capacity back = store.find("local a").orElseThrow();
        assertEquals(210, back.creates(), 1e-9);
        assertEquals(180, back.running(), 1e-9);
        assertEquals(400, back.deletes(), 1e-9);
        assertEquals(Optional.of(at), back.measuredAt());
        assertTrue(back.source().contains("measured on this machine") && back.source().contains("2026-12-02"), back.source());
        assertTrue(store.find("local b").isEmpty(), "another binary set or tuning is measured afresh");
        assertTrue(Files.readString(f).contains(CapacityStore.machineDescription()), "the file says which machine it describes");

        Files.writeString(f, "{not json");
        assertTrue(store.find("local a").isEmpty());
        assertTrue(Capacity.documented().source().contains("documented"));
    }
}
