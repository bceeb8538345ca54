#!/usr/bin/env python3
"""The GitLab CI job template (gitlab/skci.gitlab-ci.yml) under gitlab-ci-local, a real third-party
runner of .gitlab-ci.yml files, with its shell executor.

Each scenario makes a scratch project (a git repository holding traces/, the template under
gitlab/ and a .gitlab-ci.yml that includes it with `include: local:` and extends `.skci`), runs one
job with gitlab-ci-local and asserts on the client's own results: its exit code, the job's
"PASS"/"FAIL <code>" line, the expanded configuration it wrote (.gitlab-ci-local/expanded-gitlab-ci.yml:
retry, artifacts, reports) and the artifacts it exported (.gitlab-ci-local/artifacts/<job>/).
Replays run on a real local cluster named skci-ci-gl, one at a time (/tmp/skci-cluster.lock).

gitlab-ci-local never retries a job, so `retry: exit_codes: [3]` is checked here only as the
client parsed it; gitlab/test_template.py's emulator keeps the retry scenario.

    python3 gitlab/test_gitlab_ci_local.py [SCENARIO...]

Needs gitlab-ci-local (on a Node >= 22) and rsync on PATH (scripts/stages/install-ci-tools.sh),
a JDK >= 21, Maven, Go, git, the control-plane binaries and runner/target/skci.jar.
Ends with "N passed, M failed".
"""
import fcntl
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SOURCE = Path(os.environ.get("SKCI_GLCI_SOURCE") or REPO).resolve()
CLUSTER = os.environ.get("SKCI_GLCI_CLUSTER", "skci-ci-gl")
CACHE = Path(os.environ.get("SKCI_CACHE_DIR") or Path.home() / ".cache/skci")
JOB = "simulate"


def git(*args, cwd):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout.strip()


def copy_checkout(dest, with_jar=False):
    """SOURCE's files (tracked and untracked, not ignored) as a fresh git repository."""
    files = subprocess.run(["git", "-C", str(SOURCE), "ls-files", "-z", "-co", "--exclude-standard"],
                           capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        if (SOURCE / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(SOURCE / rel, dest / rel)
    git("init", "-q", "-b", "main", ".", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-qm", "scratch copy", cwd=dest)
    if with_jar:
        jar = SOURCE / "runner/target/skci.jar"
        assert jar.is_file(), f"{jar} is missing: run mvn package first"
        (dest / "runner/target").mkdir(parents=True, exist_ok=True)
        shutil.copy2(jar, dest / "runner/target/skci.jar")
    return dest


class Job:
    def __init__(self, code, output, project):
        self.code, self.output, self.project = code, output, project
        m = re.search(rf"^ ?(PASS|FAIL)\s+{JOB}\s*$", output, re.M)
        self.verdict = m.group(1) if m else None
        # "simulate finished in 2.99 s  FAIL 2" after a failure; no code after a pass
        m = re.search(rf"^{JOB} finished in [^\n]*?(?:FAIL (\d+))?\s*$", output, re.M)
        self.exit_code = None
        if m:
            self.exit_code = int(m.group(1)) if m.group(1) else (0 if self.verdict == "PASS" else None)
        self.artifacts = project / ".gitlab-ci-local/artifacts" / JOB

    def expanded(self):
        return yaml.safe_load((self.project / ".gitlab-ci-local/expanded-gitlab-ci.yml").read_text())[JOB]

    def why(self):
        return self.output[-5000:]


def run_job(t, variables=None, job_variables=None, flags=(), prepare=None):
    """A scratch project whose job `simulate` extends .skci, run by gitlab-ci-local."""
    project = t["scratch"] / f"project-{time.monotonic_ns()}"
    shutil.copytree(SOURCE / "traces", project / "traces")
    (project / "gitlab").mkdir(parents=True)
    shutil.copy2(SOURCE / "gitlab/skci.gitlab-ci.yml", project / "gitlab/skci.gitlab-ci.yml")
    job = {"extends": ".skci"}
    if job_variables:
        job["variables"] = job_variables
    (project / ".gitlab-ci.yml").write_text(yaml.safe_dump(
        {"include": [{"local": "gitlab/skci.gitlab-ci.yml"}], JOB: job}, sort_keys=False))
    if prepare:
        prepare(project)
    git("init", "-q", "-b", "main", ".", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-qm", "project", cwd=project)
    cmd = ["gitlab-ci-local", "--home", str(t["scratch"] / "glci-home"), "--no-color", *flags,
           "--variable", f"SKCI_CACHE_DIR={CACHE}",
           "--variable", f"SKCI_PREINSTALLED_DIR={t['scratch'] / 'no-image'}"]
    for k, v in (variables or {}).items():
        cmd += ["--variable", f"{k}={v}"]
    cmd.append(JOB)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKCI_", "CI_", "GITLAB_"))}
    p = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return Job(p.returncode, p.stdout + p.stderr, project)


@contextmanager
def cluster_lock():
    with open("/tmp/skci-cluster.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def dead_kubeconfig(t):
    """A kubeconfig naming a loopback port nothing listens on: exit 3 without booting a cluster."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    path = t["scratch"] / "dead.kubeconfig"
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "dead",
        "clusters": [{"name": "dead", "cluster": {"server": f"https://127.0.0.1:{port}", "insecure-skip-tls-verify": True}}],
        "users": [{"name": "dead", "user": {"token": "none"}}],
        "contexts": [{"name": "dead", "context": {"cluster": "dead", "user": "dead"}}]}))
    return path


# ---------------------------------------------------------------- scenarios

def skci_home_pass(t):
    """SKCI_HOME (a checkout with its jar): a real replay passes; junit.xml and summary.json exported."""
    with cluster_lock():
        job = run_job(t, {"SKCI_HOME": str(t["home"]), "SKCI_ARGS": f"--cluster-name {CLUSTER}"},
                      {"SKCI_TRACES": "traces/cronjob.sktrace", "SKCI_SPEED": "10"})
    assert job.code == 0 and job.verdict == "PASS" and job.exit_code == 0, job.why()
    summary = json.loads((job.artifacts / "skci-reports/summary.json").read_text())
    assert summary["passed"] is True and summary["exitCode"] == 0, summary
    assert "<testsuite" in (job.artifacts / "skci-reports/junit.xml").read_text()
    expanded = job.expanded()
    assert expanded["retry"] == {"max": 2, "exit_codes": [3]}, expanded["retry"]
    artifacts = expanded["artifacts"]
    assert artifacts["when"] == "always" and "skci-reports/junit.xml" in artifacts["reports"]["junit"], artifacts


def cloned_build_pass(t):
    """SKCI_GIT_URL + SKCI_GIT_REF with --shell-isolation: clones, builds the jar (quietly), replays, passes."""
    ref = git("rev-parse", "HEAD", cwd=t["origin"])
    with cluster_lock():
        job = run_job(t, {"SKCI_GIT_URL": f"file://{t['origin']}", "SKCI_GIT_REF": ref,
                          "SKCI_ARGS": f"--cluster-name {CLUSTER}"},
                      {"SKCI_TRACES": "traces/cronjob.sktrace", "SKCI_SPEED": "10"}, flags=["--shell-isolation"])
    assert job.code == 0 and job.verdict == "PASS", job.why()
    assert "building the runner jar (first use)" in job.output, job.why()
    # Defect 8: Maven's JVM warnings and colour codes stay out of the job log.
    assert "\x1b[" not in job.output and "sun.misc.Unsafe" not in job.output and "[WARNING]" not in job.output, job.why()
    assert json.loads((job.artifacts / "skci-reports/summary.json").read_text())["passed"] is True


def invalid_input_is_2(t):
    """A corrupt trace: the job fails with exit code 2 and its reports are still exported."""
    job = run_job(t, {"SKCI_HOME": str(t["home"])}, {"SKCI_TRACES": "traces/corrupt.sktrace"},
                  prepare=lambda p: (p / "traces/corrupt.sktrace").write_bytes(b"\x93not a trace"))
    assert job.code != 0 and job.verdict == "FAIL" and job.exit_code == 2, job.why()
    assert "invalid input (exit 2)" in job.output
    assert job.artifacts.is_dir(), "artifacts: when: always must export after a failure"


def environment_failure_is_3(t):
    """The existing provider at a dead port: exit code 3 at once, the one the template retries."""
    job = run_job(t, {"SKCI_HOME": str(t["home"]),
                      "SKCI_ARGS": f"--provider existing --kubeconfig {dead_kubeconfig(t)}"},
                  {"SKCI_TRACES": "traces/cronjob.sktrace"})
    assert job.verdict == "FAIL" and job.exit_code == 3, job.why()
    assert job.exit_code in job.expanded()["retry"]["exit_codes"]
    assert "environment failure (exit 3)" in job.output
    assert json.loads((job.artifacts / "skci-reports/summary.json").read_text())["exitCode"] == 3


def installed_prefix(t):
    """An installed prefix like the AMI's /opt/skci (SKCI_PREINSTALLED_DIR): nothing is built."""
    image = t["scratch"] / "opt-skci"
    if not image.exists():
        shutil.copytree(t["home"], image, symlinks=True)
        (image / "cache").symlink_to(CACHE)
    job = run_job(t, {"SKCI_PREINSTALLED_DIR": str(image), "SKCI_CACHE_DIR": str(image / "cache"),
                      "SKCI_ARGS": f"--provider existing --kubeconfig {dead_kubeconfig(t)}"})
    assert job.exit_code == 3, job.why()
    assert "build-binaries" not in job.output and "binaries already built" not in job.output, job.why()
    assert f"{image}/bin/skci run" in job.output, job.why()


def speed_in_args_wins(t):
    """Defect 2: SKCI_ARGS --speed next to SKCI_SPEED is not a duplicate option; the args' value wins."""
    job = run_job(t, {"SKCI_HOME": str(t["home"]),
                      "SKCI_ARGS": f"--speed 10 --provider existing --kubeconfig {dead_kubeconfig(t)}"},
                  {"SKCI_TRACES": "traces/cronjob.sktrace", "SKCI_SPEED": "2"})
    assert "should be specified only once" not in job.output, job.why()
    assert job.exit_code == 3, job.why()


def stale_reports_are_not_kept(t):
    """Defect 3: a run that fails on its flags does not export the previous run's summary.json."""
    def stale(p):
        (p / "skci-reports").mkdir()
        (p / "skci-reports/summary.json").write_text('{"stale": true}')
    job = run_job(t, {"SKCI_HOME": str(t["home"]), "SKCI_ARGS": "--no-such-flag"}, prepare=stale)
    assert job.exit_code == 2, job.why()
    exported = job.artifacts / "skci-reports/summary.json"
    assert not exported.exists() or '"stale"' not in exported.read_text(), "the previous run's summary.json was kept"


def hostile_variables_are_inert(t):
    """Command substitution, `;`, backticks and newlines in variables stay text."""
    canary = t["scratch"] / "pwned"
    job = run_job(t, {"SKCI_HOME": str(t["home"]),
                      "SKCI_TRACES": f"$(touch {canary})\n`touch {canary}`\ntraces/x; touch {canary}\n",
                      "SKCI_ARGS": f"--nodes 1 ; touch {canary} && `touch {canary}`",
                      "SKCI_SPEED": f"$(touch {canary})", "SKCI_DURATION": f"1s\n;touch {canary}"})
    assert not canary.exists(), "a variable was executed by a shell"
    assert job.exit_code == 2, job.why()


def bad_expectation_is_2(t):
    """SKCI_CONFIG with an expression that does not compile: exit 2 naming the file and line, before any cluster work."""
    def config(p):
        (p / "gate.yaml").write_text("apiVersion: skci.dev/v1alpha1\nkind: Config\nsimulations:\n"
                                     "  - trace: traces/cronjob.sktrace\nexpectations:\n"
                                     "  - name: typo\n    expr: pods.nosuchfield > 1\n")
    job = run_job(t, {"SKCI_HOME": str(t["home"]), "SKCI_TRACES": "", "SKCI_CONFIG": "gate.yaml",
                      "SKCI_ARGS": f"--provider existing --kubeconfig {dead_kubeconfig(t)}"}, prepare=config)
    assert job.exit_code == 2, job.why()
    assert "gate.yaml" in job.output and "nosuchfield" in job.output, job.why()
    assert "invalid input (exit 2)" in job.output, job.why()


def sharded_parallel_merges(t):
    """gitlab/examples/sharded.gitlab-ci.yml: `parallel: 2` shards (each its own cluster) and the merge job after them."""
    project = t["scratch"] / f"project-sharded-{time.monotonic_ns()}"
    shutil.copytree(SOURCE / "traces", project / "traces")
    (project / "gitlab").mkdir(parents=True)
    shutil.copy2(SOURCE / "gitlab/skci.gitlab-ci.yml", project / "gitlab/skci.gitlab-ci.yml")
    text = (SOURCE / "gitlab/examples/sharded.gitlab-ci.yml").read_text()
    text = text.replace('    SKCI_SPEED: "10"\n', f'    SKCI_SPEED: "10"\n    SKCI_ARGS: "--name {CLUSTER}-$CI_NODE_INDEX"\n')
    assert "SKCI_ARGS" in text, "the example changed: update this test"
    (project / ".gitlab-ci.yml").write_text(text)
    git("init", "-q", "-b", "main", ".", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-qm", "project", cwd=project)
    cmd = ["gitlab-ci-local", "--home", str(t["scratch"] / "glci-home"), "--no-color", "--shell-isolation",
           "--variable", f"SKCI_CACHE_DIR={CACHE}", "--variable", f"SKCI_PREINSTALLED_DIR={t['scratch'] / 'no-image'}",
           "--variable", f"SKCI_HOME={t['home']}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKCI_", "CI_", "GITLAB_"))}
    with cluster_lock():
        p = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    out = p.stdout + p.stderr
    (t["scratch"] / "sharded.out").write_text(out)
    assert p.returncode == 0, out[-5000:]
    for i in (1, 2):
        assert re.search(rf"--shard {i}/2\b", out), f"shard {i}/2 was not run:\n{out[-5000:]}"
    artifacts = project / ".gitlab-ci-local/artifacts"
    merged_dir = next((d for d in artifacts.iterdir() if d.name.startswith("simulate-merge")), None) if artifacts.is_dir() else None
    assert merged_dir is not None, f"no artifacts of simulate-merge in {artifacts}: {out[-3000:]}"
    merged = json.loads((merged_dir / "skci-reports/summary.json").read_text())
    assert merged["exitCode"] == 0 and len(merged["simulations"]) == 3, merged
    assert [s["shard"] for s in merged["shards"]] == ["1/2", "2/2"], merged["shards"]
    assert (merged_dir / "skci-reports/junit.xml").is_file() and (merged_dir / "skci-reports/report.html").is_file()


def not_installed_is_2(t):
    job = run_job(t)
    assert job.exit_code == 2 and "set SKCI_HOME" in job.output, job.why()


SCENARIOS = [not_installed_is_2, invalid_input_is_2, bad_expectation_is_2, environment_failure_is_3, installed_prefix, speed_in_args_wins,
             stale_reports_are_not_kept, hostile_variables_are_inert, skci_home_pass, cloned_build_pass, sharded_parallel_merges]


def main(argv):
    for tool in ("gitlab-ci-local", "rsync"):
        if shutil.which(tool) is None:
            print(f"test_gitlab_ci_local: {tool} is not on PATH; run scripts/stages/install-ci-tools.sh --print-path")
            return 3
    unknown = set(argv) - {s.__name__ for s in SCENARIOS}
    if unknown:
        print(f"test_gitlab_ci_local: no scenario named {', '.join(sorted(unknown))}")
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="skci-glci-"))
    t = {"scratch": scratch, "home": copy_checkout(scratch / "skci-home", with_jar=True),
         "origin": copy_checkout(scratch / "skci-origin")}
    passed = failed = 0
    for scenario in [s for s in SCENARIOS if not argv or s.__name__ in argv]:
        start = time.monotonic()
        try:
            scenario(t)
            passed += 1
            print(f"PASS {scenario.__name__} ({time.monotonic() - start:.1f}s)", flush=True)
        except AssertionError as e:
            failed += 1
            print(f"FAIL {scenario.__name__}: {e}", flush=True)
    if os.environ.get("SKCI_KEEP_SCRATCH"):
        print(f"test_gitlab_ci_local: scratch kept in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
