# Variables of the skci AMI (packer/skci.pkr.hcl). Every default here is a pin: change one only
# together with its checksum. The control-plane versions of the local provider (Kubernetes, etcd,
# KWOK, cert-manager) are not repeated here: they are tools/versions.env in the commit being built.
# How each checksum was obtained, and how to refresh it, is in docs/ci.md ("Bumping a pin").

# --- Where and how the image is built -----------------------------------------------------------

variable "aws_region" {
  type        = string
  description = "Region the build instance runs in and the AMI is registered in."
  default     = "us-east-1"
}

variable "ami_regions" {
  type        = list(string)
  description = "Extra regions to copy the finished AMI to."
  default     = []
}

variable "instance_type" {
  type        = string
  description = "Build instance type. The cold Go build of the control-plane binaries takes ~7 min on 2 cores; more cores shorten it. The AMI runs on any x86_64 type."
  default     = "c7i.2xlarge"
}

variable "volume_size_gb" {
  type        = number
  description = "Root volume size. The build needs ~8 GB of Go caches (removed at the end unless keep_go_caches) on top of ~5 GB of image."
  default     = 30
}

variable "subnet_id" {
  type        = string
  description = "Subnet for the build instance; empty lets AWS use the default VPC."
  default     = ""
}

variable "associate_public_ip_address" {
  type        = bool
  description = "Give the build instance a public IP (needed for SSH from outside the VPC)."
  default     = true
}

variable "ssh_username" {
  type        = string
  description = "Login user of the base image (Canonical's Ubuntu AMIs: ubuntu). It runs verify.sh and is added to the skci and docker groups."
  default     = "ubuntu"
}

variable "ami_name_prefix" {
  type        = string
  description = "The AMI is named <prefix>-<UTC timestamp>."
  default     = "skci"
}

variable "ubuntu_ami_name" {
  type        = string
  description = "source_ami_filter name pattern of the base image. Replace the trailing * by a build date (e.g. 20250610) to pin one exact Ubuntu build."
  default     = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"
}

variable "ubuntu_ami_owner" {
  type        = string
  description = "Owner of the base image: Canonical."
  default     = "099720109477"
}

variable "source_ref" {
  type        = string
  description = "The git commit (or ref) of this repository that is built into the image; only committed files are included (git archive). Pass -var source_ref=$(git rev-parse HEAD) to record the exact commit in the AMI's tags."
  default     = "HEAD"
}

variable "skci_users" {
  type        = list(string)
  description = "Users added to the skci group (may create local clusters in /opt/skci/cache/clusters) and the docker group (may use the kind path). Users created later are added with usermod -aG skci,docker USER."
  default     = ["ubuntu"]
}

# --- Java ----------------------------------------------------------------------------------------

variable "java_package" {
  type        = string
  description = "Ubuntu package of the JDK 21 that runs skci. A JDK, not a JRE: bin/skci accepts only a Java home that has javac."
  default     = "openjdk-21-jdk-headless"
}

variable "java_package_version" {
  type        = string
  description = "Exact Ubuntu version of java_package (apt-get install pkg=VERSION), or empty for the archive's current security build of Java 21. Ubuntu's archive keeps only the newest build per pocket, so an exact pin stops working at the next security update; the installed version is recorded in /opt/skci/share/versions.txt either way."
  default     = ""
}

# --- Go toolchain (builds the control-plane binaries, kind and helm) ------------------------------

variable "go_version" {
  type        = string
  description = "Go toolchain version (the one the project's binaries were last built and measured with)."
  default     = "1.26.8"
}

variable "go_toolchain_sha256" {
  type        = string
  description = "sha256 of proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go<go_version>.linux-amd64.zip (the archive GOTOOLCHAIN downloads; its h1: hash is in the Go checksum database)."
  default     = "30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7"
  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.go_toolchain_sha256))
    error_message = "The go_toolchain_sha256 value must be 64 lower-case hex digits."
  }
}

# --- kind path (Docker + kind + KWOK + non-HA cert-manager) --------------------------------------

variable "install_kind" {
  type        = bool
  description = "Install the kind path (Docker, kind, skci's offline kind node image built on the instance, manifests, skci-kind.service). The default provider on the image is local either way."
  default     = true
}

variable "enable_kind_at_boot" {
  type        = bool
  description = "Enable skci-kind.service, which creates the kind cluster at every boot. Off by default: opt in per instance with 'systemctl enable --now skci-kind.service'."
  default     = false
}

variable "kind_version" {
  type        = string
  description = "kind release, built from the Go module proxy. Must equal KIND_VERSION in tools/versions.env (40-kind.sh and check_template.py insist): the node image is built from that commit's pins."
  default     = "v0.29.0"
}

variable "kind_module_sum" {
  type        = string
  description = "h1: hash of the module sigs.k8s.io/kind@<kind_version> (go mod download -json)."
  default     = "h1:3TpCsyh908IkXXpcSnsMjWdwdWjIl7o9IMZImZCWFnI="
}

variable "helm_version" {
  type        = string
  description = "helm release used (at build time only) to render cert-manager's chart. Must equal HELM_VERSION in tools/versions.env."
  default     = "v3.22.0"
}

variable "helm_module_sum" {
  type        = string
  description = "h1: hash of the module helm.sh/helm/v3@<helm_version>."
  default     = "h1:n1if5iQgHYsujPAcO5oonH/KiSNUmqmUF0iGVjSF3AU="
}

variable "kwok_version" {
  type        = string
  description = "KWOK in the kind cluster (controller image and manifests). Default: the local provider's version from tools/versions.env."
  default     = "v0.7.0"
}

variable "kwok_module_sum" {
  type        = string
  description = "h1: hash of the module sigs.k8s.io/kwok@<kwok_version>, whose kustomize/kwok is rendered."
  default     = "h1:+eGsNOIPapjsSzeZlOEcwbpyEVa2Vqlcafa0qIjaKV4="
}

variable "kwok_manifest_sha256" {
  type        = string
  description = "sha256 of the rendered kwok.yaml; empty skips the check. Depends on kwok_version and the kubectl (kustomize) of tools/versions.env."
  default     = "32e9bbddfb6ec17b37e31541e36fdd537173c66aabd69034dbcf28e687662b3d"
}

variable "cert_manager_version" {
  type        = string
  description = "cert-manager in the kind cluster. Default: the local provider's version, the combination skci's tests run."
  default     = "v1.11.5"
}

variable "cert_manager_module_sum" {
  type        = string
  description = "h1: hash of the module github.com/cert-manager/cert-manager@<cert_manager_version>, whose chart and CRDs are rendered."
  default     = "h1:K2LurvwIE4hIhODQZnkOW6ljYe3lVMAliS/to+gI05o="
}

variable "cert_manager_manifest_sha256" {
  type        = string
  description = "sha256 of the rendered cert-manager.yaml (non-HA values in ami-scripts/kind/cert-manager-values.yaml); empty skips the check."
  default     = "a95c670586caf2a7ba35871b38a7a740d7daf626defef35247e6cd4b2056ae7f"
}

# --- Clean-up ------------------------------------------------------------------------------------

variable "keep_go_caches" {
  type        = bool
  description = "Keep the Go module and build caches (~7.5 GB) in the image so a version bump rebuilds in minutes."
  default     = false
}

variable "github_runner_version" {
  type        = string
  description = "GitHub Actions runner agent for ephemeral runners (actions/launch-runner); 2.327.1 or newer runs Node 24 actions."
  default     = "2.328.0"
}

variable "github_runner_sha256" {
  type        = string
  description = "sha256 of actions-runner-linux-x64-<github_runner_version>.tar.gz (the release page lists it)."
  default     = "01066fad3a2893e63e6ca880ae3a1fad5bf9329d60e77ee15f2b97c148c3cd4e"
}
