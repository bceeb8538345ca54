package dev.skci.webhook;

import dev.skci.certs.KeyMaterial;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Serves whatever key pair was installed last. Each installed pair gets its own alias, so a handshake
 * that picked an alias before a reload still gets a matching key and chain: a reload (cert-manager
 * reissuing the certificate) never breaks a connection in progress, and new handshakes use the new pair.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private final Map<String, KeyMaterial> byAlias = new ConcurrentHashMap<>();
    private final AtomicReference<String> current = new AtomicReference<>();
    private final AtomicInteger generation = new AtomicInteger();

    public ReloadingKeyManager(KeyMaterial initial) {
        install(initial);
    }

    /** Makes {@code m} the pair served to new handshakes. */
    public void install(KeyMaterial m) {
        String alias = "gen-" + generation.incrementAndGet();
        byAlias.put(alias, m);
        String previous = current.getAndSet(alias);
        // Keep the previous pair for handshakes that already chose it; drop older ones.
        byAlias.keySet().removeIf(a -> !a.equals(alias) && !a.equals(previous));
    }

    public KeyMaterial current() {
        return byAlias.get(current.get());
    }

    private String chooseFor(String[] keyTypes) {
        String alias = current.get();
        KeyMaterial m = byAlias.get(alias);
        if (m == null || keyTypes == null) {
            return alias;
        }
        String algorithm = m.key().getAlgorithm(); // "EC" or "RSA"
        for (String t : keyTypes) {
            if (t.equals(algorithm) || t.startsWith(algorithm) || (algorithm.equals("RSA") && t.equals("RSASSA-PSS"))) {
                return alias;
            }
        }
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return chooseFor(new String[] {keyType});
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseFor(new String[] {keyType});
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        KeyMaterial m = byAlias.get(alias);
        return m == null ? null : m.chain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        KeyMaterial m = byAlias.get(alias);
        return m == null ? null : m.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String a = chooseFor(new String[] {keyType});
        return a == null ? null : new String[] {a};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
