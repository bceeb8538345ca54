package dev.skci.cli;

import dev.skci.cluster.local.PinnedVersions;
import picocli.CommandLine;

/** {@code skci --version}: the runner's version and the pinned control-plane versions it runs. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = SkciCommand.class.getPackage().getImplementationVersion();
        PinnedVersions p = PinnedVersions.load();
        return new String[] {
            "skci " + (v == null ? "dev" : v),
            "kubernetes " + p.kubernetes() + ", etcd " + p.etcd() + ", kwok " + p.kwok()
                    + ", cert-manager " + p.certManager(),
            "java " + Runtime.version()
        };
    }
}
