#!/usr/bin/env python3
"""Checks of the GitLab CI job template (gitlab/skci.gitlab-ci.yml) that its real client cannot do.

The template's jobs run under gitlab-ci-local in gitlab/test_gitlab_ci_local.py (pass, exit 2 and 3,
SKCI_HOME, a clone, an installed prefix, hostile variables, artifacts). What stays here:

  * the file is valid YAML; `.skci` merged with the example job validates against GitLab's CI
    schema (check-jsonschema's vendored copy; hidden jobs are not checked by the schema itself), so
    `retry: exit_codes` and `artifacts: reports: junit` are checked, not just parsed
  * retry happens on exit code 3 only; artifacts are kept on failure and hold junit.xml
  * ShellCheck on the job's script
  * GitLab's retry itself, which gitlab-ci-local does not do: an emulator runs the job's script the
    way a runner does (bash -eo pipefail, in the project directory) and again while its exit code is
    in `retry: exit_codes` and attempts are left (`max` retries), with the real skci failing for real
    (exit 3: an API server at a dead port; exit 2: a corrupt trace)

    python3 gitlab/test_template.py [SCENARIO...]
Needs PyYAML, check-jsonschema, shellcheck, a JDK >= 21 and runner/target/skci.jar.
Ends with "N passed, M failed".
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = yaml.safe_load((REPO / "gitlab/skci.gitlab-ci.yml").read_text())
JOB = TEMPLATE[".skci"]
SCRIPT = "\n".join(JOB["script"])


def materialised():
    job = dict(JOB)
    job.update({k: v for k, v in TEMPLATE["skci-example"].items() if k != "extends"})
    return job


def run_job(t, variables, opt_skci=None):
    """Runs the job's script like a GitLab runner would; returns (exit code, output)."""
    project = t["scratch"] / f"project-{time.monotonic_ns()}"
    shutil.copytree(REPO / "traces", project / "traces")
    script = SCRIPT if opt_skci is None else SCRIPT.replace("/opt/skci", str(opt_skci))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKCI_")}
    env.update({k: str(v) for k, v in JOB["variables"].items()})
    env.update({"CI": "true", "GITLAB_CI": "true", "CI_PROJECT_DIR": str(project),
                "SKCI_CACHE_DIR": str(t["cache"]),
                # a cluster name of its own, so a test never adopts or locks a developer's "skci" cluster
                "SKCI_ARGS": f"--cluster-name skci-gitlab-test-{os.getpid()}"})
    env.update(variables)
    path = project / ".job.sh"
    path.write_text(script)
    p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)], cwd=project, env=env,
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr, project


def schema_valid(_t):
    mat = _t["scratch"] / "materialised.yml"
    mat.write_text(yaml.safe_dump({"skci-materialised": materialised()}))
    p = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", str(mat)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    bad = materialised()
    bad["retry"] = {"max": 2, "exit_codez": [3]}
    mat.write_text(yaml.safe_dump({"bad": bad}))
    p = subprocess.run(["check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", str(mat)], capture_output=True, text=True)
    assert p.returncode != 0, "the schema check does not look at retry (it accepted exit_codez)"


def contract(_t):
    assert JOB["retry"] == {"max": 2, "exit_codes": [3]}, JOB["retry"]
    assert "when" not in JOB["retry"], "retry:when would retry other failures too"
    art = JOB["artifacts"]
    assert art["when"] == "always" and art["paths"] == ["skci-reports/"], art
    assert art["reports"]["junit"] == ["skci-reports/junit.xml", "skci-reports/shard-*/junit.xml"], art
    merge = TEMPLATE[".skci-merge"]
    assert merge["variables"]["SKCI_MODE"] == "merge" and merge["when"] == "always" and merge["retry"] == 0, merge
    assert merge["artifacts"]["reports"]["junit"] == "skci-reports/junit.xml", "the merge job must not count the shards twice"
    assert "SKCI_REPORT_DIR=skci-reports" in SCRIPT, "the script must write where the artifacts are collected"
    assert TEMPLATE["skci-example"]["rules"], "the example job must not run merely because the file is included"


def shellcheck(_t):
    f = _t["scratch"] / "script.sh"
    f.write_text("#!/usr/bin/env bash\nset -eo pipefail\n: \"${CI_PROJECT_DIR:?}\" \"${SKCI_GIT_URL?}\" \"${SKCI_GIT_REF?}\"\n" + SCRIPT)
    for target in (f, REPO / "gitlab/run.sh"):
        p = subprocess.run(["shellcheck", "-x", "-P", "SCRIPTDIR", str(target)], capture_output=True, text=True)
        assert p.returncode == 0, p.stdout


def run_with_retry(t, variables):
    """GitLab's retry: run again while the exit code is in retry.exit_codes and retries are left."""
    retry = JOB["retry"]
    codes = []
    while True:
        code, out, _ = run_job(t, variables)
        codes.append(code)
        if code == 0 or code not in retry["exit_codes"] or len(codes) > retry["max"]:
            return codes, out


def dead_kubeconfig(t):
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    path = t["scratch"] / "dead.kubeconfig"
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "dead",
        "clusters": [{"name": "dead", "cluster": {"server": f"https://127.0.0.1:{port}"}}],
        "users": [{"name": "dead", "user": {"token": "none"}}],
        "contexts": [{"name": "dead", "context": {"cluster": "dead", "user": "dead"}}]}))
    return path


def retried_on_3(t):
    codes, out = run_with_retry(t, {"SKCI_HOME": str(t["home"]), "SKCI_TRACES": "traces/cronjob.sktrace",
                                    "SKCI_ARGS": f"--provider existing --kubeconfig {dead_kubeconfig(t)}"})
    assert codes == [3, 3, 3], (codes, out[-2000:])   # the first attempt and max: 2 retries


def not_retried_on_2(t):
    codes, out = run_with_retry(t, {"SKCI_HOME": str(t["home"]), "SKCI_TRACES": "traces/missing.sktrace"})
    assert codes == [2], (codes, out[-2000:])


SCENARIOS = [contract, schema_valid, shellcheck, retried_on_3, not_retried_on_2]


def main(argv):
    scratch = Path(tempfile.mkdtemp(prefix="skci-gitlab-test-"))
    home = scratch / "skci"
    shutil.copytree(REPO, home, ignore=shutil.ignore_patterns(".git", "skci-reports"))
    t = {"scratch": scratch, "home": home,
         "cache": Path(os.environ.get("SKCI_CACHE_DIR") or Path.home() / ".cache/skci"),
         "image": Path(os.environ["SKCI_TEST_IMAGE_PREFIX"]) if os.environ.get("SKCI_TEST_IMAGE_PREFIX") else None}
    passed = failed = 0
    for scenario in [s for s in SCENARIOS if not argv or s.__name__ in argv]:
        start = time.monotonic()
        try:
            scenario(t)
            passed += 1
            print(f"PASS {scenario.__name__} ({time.monotonic() - start:.1f}s)")
        except AssertionError as e:
            failed += 1
            print(f"FAIL {scenario.__name__}: {e}")
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
