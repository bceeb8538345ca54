package dev.skci.webhook;

import dev.skci.certs.KeyMaterial;
import dev.skci.certs.RunCertificateAuthority;
import java.net.InetAddress;
import java.net.URI;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Run in a JVM whose {@code jdk.tls.disabledAlgorithms} no longer bans TLS 1.0/1.1 (see
 * {@code AdmissionServerTest.refusesTlsOlderThan12}), so that only the server's own configuration can
 * refuse an old client. Prints one {@code key=value} line per probe:
 * {@code control} (a TLS 1.1-only client against a plain JDK server that allows TLS 1.1: proves the
 * client really speaks it here), {@code tls11} and {@code tls12} (the same client, offering only that
 * version, against the webhook's {@link AdmissionServer}). A value is the negotiated protocol or
 * {@code refused: <reason>}.
 */
public final class TlsProbe {
    private TlsProbe() {}

    public static void main(String[] args) throws Exception {
        RunCertificateAuthority ca = RunCertificateAuthority.create("tls-probe");
        KeyMaterial km = ca.issueServing(List.of("127.0.0.1"));

        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(new KeyManager[] {new ReloadingKeyManager(km)}, null, null);
        try (SSLServerSocket plain = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress())) {
            plain.setEnabledProtocols(new String[] {"TLSv1.1"});
            Thread accept = Thread.ofVirtual().start(() -> {
                try (SSLSocket s = (SSLSocket) plain.accept()) {
                    s.startHandshake();
                } catch (Exception e) {
                    // the client reports the outcome
                }
            });
            System.out.println("control=" + handshake(ca, plain.getLocalPort(), "TLSv1.1"));
            accept.join();
        }

        try (AdmissionServer s = AdmissionServer.start("127.0.0.1", 0, km, r -> AdmissionResponse.allow())) {
            int port = URI.create(s.url()).getPort();
            System.out.println("tls11=" + handshake(ca, port, "TLSv1.1"));
            System.out.println("tls12=" + handshake(ca, port, "TLSv1.2"));
        }
    }

    /** A client that offers only {@code protocol}; the negotiated protocol, or why the handshake failed. */
    private static String handshake(RunCertificateAuthority ca, int port, String protocol) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket c = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            c.setEnabledProtocols(new String[] {protocol});
            c.setSoTimeout(10_000);
            c.startHandshake();
            return c.getSession().getProtocol();
        } catch (javax.net.ssl.SSLException e) {
            return "refused: " + e.getMessage();
        }
    }
}
