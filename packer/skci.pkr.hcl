# The skci AMI: Ubuntu 24.04 LTS (amd64) with the skci runner in /opt/skci, its local provider's
# control-plane binaries pre-built in /opt/skci/cache (so no run ever compiles), and the kind path
# (Docker, kind, an offline kind node image built on the instance from pinned parts with KWOK and a
# non-HA cert-manager in it, skci-kind.service opt-in).
#
#   packer init packer/ && packer build -var source_ref=$(git rev-parse HEAD) packer/
#
# Variables and their pins: packer/variables.pkr.hcl. What the image contains and how to use it:
# docs/ci.md. Provisioning is done by the scripts in ami-scripts/, in order; the last check is
# ami-scripts/verify.sh (boots a local cluster and replays traces/cronjob.sktrace).

packer {
  required_version = ">= 1.10.0"
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = "~> 1.3"
    }
  }
}

locals {
  timestamp = formatdate("YYYYMMDD-hhmmss", timestamp())
  ami_name  = "${var.ami_name_prefix}-${local.timestamp}"
  repo_root = abspath("${path.root}/..")
  build_dir = "${path.root}/.build"

  # Inputs of the ami-scripts (each script's header lists the ones it reads).
  build_env = [
    "SKCI_SRC=/tmp/skci-src",
    "SKCI_USERS=${join(" ", var.skci_users)}",
    "JAVA_PACKAGE=${var.java_package}",
    "JAVA_PACKAGE_VERSION=${var.java_package_version}",
    "GO_VERSION=${var.go_version}",
    "GO_TOOLCHAIN_SHA256=${var.go_toolchain_sha256}",
    "INSTALL_KIND=${var.install_kind}",
    "ENABLE_KIND_AT_BOOT=${var.enable_kind_at_boot}",
    "KIND_VERSION=${var.kind_version}",
    "GITHUB_RUNNER_VERSION=${var.github_runner_version}",
    "GITHUB_RUNNER_SHA256=${var.github_runner_sha256}",
    "KIND_MODULE_SUM=${var.kind_module_sum}",
    "HELM_VERSION=${var.helm_version}",
    "HELM_MODULE_SUM=${var.helm_module_sum}",
    "KWOK_VERSION=${var.kwok_version}",
    "KWOK_MODULE_SUM=${var.kwok_module_sum}",
    "KWOK_MANIFEST_SHA256=${var.kwok_manifest_sha256}",
    "CERT_MANAGER_VERSION=${var.cert_manager_version}",
    "CERT_MANAGER_MODULE_SUM=${var.cert_manager_module_sum}",
    "CERT_MANAGER_MANIFEST_SHA256=${var.cert_manager_manifest_sha256}",
    "KEEP_GO_CACHES=${var.keep_go_caches}",
  ]
}

source "amazon-ebs" "skci" {
  region          = var.aws_region
  ami_regions     = var.ami_regions
  instance_type   = var.instance_type
  ami_name        = local.ami_name
  ami_description = "skci (SimKube CI runner) ${var.source_ref}: Ubuntu 24.04, JDK 21, pre-built control plane for the local provider, kind path"
  subnet_id       = var.subnet_id == "" ? null : var.subnet_id

  associate_public_ip_address = var.associate_public_ip_address
  ssh_username                = var.ssh_username
  imds_support                = "v2.0"

  source_ami_filter {
    filters = {
      name                = var.ubuntu_ami_name
      architecture        = "x86_64"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = [var.ubuntu_ami_owner]
    most_recent = true
  }

  launch_block_device_mappings {
    device_name           = "/dev/sda1"
    volume_size           = var.volume_size_gb
    volume_type           = "gp3"
    delete_on_termination = true
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  tags = {
    Name              = local.ami_name
    "skci:source-ref" = var.source_ref
    "skci:go"         = var.go_version
    "skci:kind"       = var.kind_version
    "skci:base-ami"   = "{{ .SourceAMI }}"
    "skci:base-name"  = "{{ .SourceAMIName }}"
  }
  run_tags = {
    Name = "packer-${local.ami_name}"
  }
}

build {
  name    = "skci"
  sources = ["source.amazon-ebs.skci"]

  # The repository at one commit: git archive takes committed files only (no build output, no
  # untracked files), and records which commit that was.
  provisioner "shell-local" {
    inline = [
      "set -eu",
      "mkdir -p '${local.build_dir}'",
      "git -C '${local.repo_root}' archive --format=tar.gz -o '${local.build_dir}/skci-src.tar.gz' '${var.source_ref}'",
      "git -C '${local.repo_root}' rev-parse '${var.source_ref}^{commit}' > '${local.build_dir}/skci-src.commit'",
    ]
  }

  provisioner "file" {
    sources     = ["${local.build_dir}/skci-src.tar.gz", "${local.build_dir}/skci-src.commit"]
    destination = "/tmp/"
  }

  provisioner "shell" {
    inline = [
      "set -eu",
      "rm -rf /tmp/skci-src && mkdir -p /tmp/skci-src",
      "tar -C /tmp/skci-src -xzf /tmp/skci-src.tar.gz",
    ]
  }

  # As root: packages, Go, the runner, the pre-built binaries, the kind path.
  provisioner "shell" {
    environment_vars = local.build_env
    execute_command  = "chmod +x '{{ .Path }}'; {{ .Vars }} sudo -E bash '{{ .Path }}'"
    inline = [
      "set -eu",
      "export SKCI_SOURCE_COMMIT=\"$(cat /tmp/skci-src.commit)\"",
      "bash /tmp/skci-src/ami-scripts/00-base.sh",
      "bash /tmp/skci-src/ami-scripts/10-go.sh",
      "bash /tmp/skci-src/ami-scripts/20-skci.sh",
      "bash /tmp/skci-src/ami-scripts/30-binaries.sh",
      "bash /tmp/skci-src/ami-scripts/40-kind.sh",
      "bash /tmp/skci-src/ami-scripts/50-github-runner.sh",
    ]
  }

  # As the login user, like a CI job: sudo -u gives it the groups it was just added to (this SSH
  # session predates them). verify.sh boots a local cluster, replays traces/cronjob.sktrace at
  # speed 10 and removes the cluster.
  provisioner "shell" {
    environment_vars = ["SKCI_CACHE_DIR=/opt/skci/cache"]
    execute_command  = "chmod +x '{{ .Path }}'; {{ .Vars }} sudo -E -H -u '${var.ssh_username}' bash '{{ .Path }}'"
    inline = [
      "set -eu",
      "cd \"$(mktemp -d)\"",
      "bash /opt/skci/ami-scripts/verify.sh",
    ]
  }

  provisioner "shell" {
    environment_vars = local.build_env
    execute_command  = "chmod +x '{{ .Path }}'; {{ .Vars }} sudo -E bash '{{ .Path }}'"
    inline           = ["bash /opt/skci/ami-scripts/90-cleanup.sh"]
  }

  provisioner "file" {
    source      = "/opt/skci/share/versions.txt"
    destination = "${local.build_dir}/versions.txt"
    direction   = "download"
  }

  post-processor "manifest" {
    output     = "${local.build_dir}/manifest.json"
    strip_path = true
    custom_data = {
      source_ref = var.source_ref
      versions   = "packer/.build/versions.txt"
    }
  }
}
