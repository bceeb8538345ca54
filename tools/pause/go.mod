// skci's own pod sandbox ("pause") program for the kind node image: registry.k8s.io/pause is a C
// program that the Go module proxy cannot build, so the image carries this one instead. It does the
// same job: hold the pod's namespaces, reap orphaned children, and exit on SIGINT or SIGTERM.
module skci.local/tools/pause

go 1.24.0
