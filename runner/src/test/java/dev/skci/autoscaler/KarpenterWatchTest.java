package dev.skci.autoscaler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pod CIDRs skci gives Karpenter's nodes: distinct, /21, clear of skci's own nodes' 10.64.0.0/10. */
class KarpenterWatchTest {
    @Test
    void podCidrsAreDistinctSlash21sIn10Dot128Slash9() {
        assertEquals("10.128.0.0/21", KarpenterWatch.podCidr(0));
        assertEquals("10.128.8.0/21", KarpenterWatch.podCidr(1));
        assertEquals("10.129.0.0/21", KarpenterWatch.podCidr(32));
        assertEquals("10.255.248.0/21", KarpenterWatch.podCidr(4095));
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 4096; i++) {
            String c = KarpenterWatch.podCidr(i);
            int second = Integer.parseInt(c.split("\\.")[1]);
            int third = Integer.parseInt(c.split("\\.")[2]);
            assertEquals(0, third % 8, c);
            assertEquals(true, second >= 128 && second <= 255, c);
            all.add(c);
        }
        assertEquals(4096, all.size());
    }
}
