package dev.skci.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/** A serving key pair: the key, the certificate chain (leaf first) and the CA that the API server must trust. */
public record KeyMaterial(PrivateKey key, X509Certificate[] chain, X509Certificate ca) {
    public KeyMaterial {
        chain = chain.clone();
    }

    @Override
    public X509Certificate[] chain() {
        return chain.clone();
    }

    public X509Certificate leaf() {
        return chain[0];
    }

    /** The CA as PEM: what goes (base64) into the webhook's caBundle. */
    public String caPem() {
        return Pem.certificate(ca);
    }

    @Override
    public String toString() {
        return "KeyMaterial[leaf=" + leaf().getSubjectX500Principal() + ", serial=" + leaf().getSerialNumber()
                + ", chain=" + Arrays.stream(chain).map(c -> c.getSubjectX500Principal().getName()).toList() + "]";
    }
}
