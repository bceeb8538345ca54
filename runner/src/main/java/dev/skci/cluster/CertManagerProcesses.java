package dev.skci.cluster;

/**
 * cert-manager's controller and cainjector running as host processes against the cluster, with leader
 * election off (postmortem remediation 1). Tests start the cainjector late, stop it and restart it to
 * reproduce the postmortem's timeline.
 */
public interface CertManagerProcesses {
    void startController();

    void stopController();

    boolean controllerRunning();

    void startCainjector();

    void stopCainjector();

    boolean cainjectorRunning();
}
