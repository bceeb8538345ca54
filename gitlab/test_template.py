#!/usr/bin/env python3
"""Tests of the GitLab CI job template (gitlab/skci.gitlab-ci.yml), run without GitLab.

  * the file is valid YAML; `.skci` merged with the example job validates against GitLab's CI
    schema (check-jsonschema's vendored copy; hidden jobs are not checked by the schema itself), so
    `retry: exit_codes` and `artifacts: reports: junit` are checked, not just parsed
  * retry happens on exit code 3 only; artifacts are kept on failure and hold junit.xml
  * the job's script, run the way a runner runs it (bash -eo pipefail, in the project directory),
    replays a real trace on a real local cluster, propagates exit codes 2 and 3, keeps hostile
    variable values inert, and finds skci in each of its three places (/opt/skci, SKCI_HOME, a clone)

    python3 gitlab/test_template.py [SCENARIO...]
Needs PyYAML, check-jsonschema, shellcheck, a JDK >= 21, Maven, Go, git and the control-plane
binaries already built. Ends with "N passed, M failed".
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
    assert art["reports"]["junit"] == "skci-reports/junit.xml", art
    assert "SKCI_REPORT_DIR=skci-reports" in SCRIPT, "the script must write where the artifacts are collected"
    assert TEMPLATE["skci-example"]["rules"], "the example job must not run merely because the file is included"


def shellcheck(_t):
    f = _t["scratch"] / "script.sh"
    f.write_text("#!/usr/bin/env bash\nset -eo pipefail\n: \"${CI_PROJECT_DIR:?}\" \"${SKCI_GIT_URL?}\" \"${SKCI_GIT_REF?}\"\n" + SCRIPT)
    for target in (f, REPO / "gitlab/run.sh"):
        p = subprocess.run(["shellcheck", str(target)], capture_output=True, text=True)
        assert p.returncode == 0, p.stdout


def skci_home_pass(t):
    code, out, project = run_job(t, {"SKCI_HOME": str(t["home"]), "SKCI_TRACES": "traces/cronjob.sktrace", "SKCI_SPEED": "10"})
    assert code == 0, out[-3000:]
    assert (project / "skci-reports/junit.xml").is_file(), out[-2000:]
    assert "skci: passed" in out


def environment_failure_is_3(t):
    code, out, _ = run_job(t, {"SKCI_HOME": str(t["home"]), "SKCI_ARGS": "--provider kind"})
    assert code == 3, (code, out[-2000:])
    assert code in JOB["retry"]["exit_codes"]
    assert "environment failure (exit 3)" in out


def hostile_values_are_inert(t):
    canary = t["scratch"] / "pwned"
    code, out, _ = run_job(t, {"SKCI_HOME": str(t["home"]),
                               "SKCI_TRACES": f"$(touch {canary})\n`touch {canary}`\ntraces/x; touch {canary}",
                               "SKCI_ARGS": f"--speed 1 ; touch {canary}", "SKCI_SPEED": f"$(touch {canary})"})
    assert not canary.exists(), "a variable was executed by a shell"
    assert code == 2, (code, out[-2000:])


def not_installed_is_2(t):
    code, out, _ = run_job(t, {})
    assert code == 2 and "set SKCI_HOME" in out, (code, out)


def installed_image(t):
    if not t.get("image"):
        raise AssertionError("set SKCI_TEST_IMAGE_PREFIX to an installed prefix (docs/ci.md) to run this scenario")
    code, out, project = run_job(t, {"SKCI_TRACES": "traces/cronjob.sktrace", "SKCI_SPEED": "10",
                                     "SKCI_CACHE_DIR": str(t["image"] / "cache")}, opt_skci=t["image"])
    assert code == 0, out[-3000:]
    assert "build-binaries" not in out and (project / "skci-reports/junit.xml").is_file(), out[-2000:]


def cloned(t):
    ref = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    has_run_sh = subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{ref}:gitlab/run.sh"]).returncode == 0
    assert has_run_sh, "commit gitlab/run.sh first: the clone scenario clones HEAD"
    code, out, project = run_job(t, {"SKCI_GIT_URL": f"file://{REPO}", "SKCI_GIT_REF": ref,
                                     "SKCI_TRACES": "traces/cronjob.sktrace", "SKCI_SPEED": "10"})
    assert code == 0, out[-3000:]
    assert (project / ".skci/bin/skci").is_file() and (project / "skci-reports/junit.xml").is_file()


SCENARIOS = [contract, schema_valid, shellcheck, not_installed_is_2, hostile_values_are_inert, environment_failure_is_3,
             skci_home_pass, installed_image, cloned]


def main(argv):
    scratch = Path(tempfile.mkdtemp(prefix="skci-gitlab-test-"))
    home = scratch / "skci"
    shutil.copytree(REPO, home, ignore=shutil.ignore_patterns(".git", "target", "skci-reports"))
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
