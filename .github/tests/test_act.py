#!/usr/bin/env python3
"""The skci GitHub Action and the example workflow under nektos/act, a real third-party runner of
GitHub workflows, in host mode (no Docker) and offline.

Every scenario copies the checkout into a scratch git repository, writes a workflow (or uses
.github/workflows/example.yml itself) and runs it with

    act workflow_dispatch --json -P ubuntu-latest=-self-hosted --action-offline-mode --no-cache-server
        --local-repository actions/<name>@<sha>=.github/tests/stand-ins/<name> ...

then asserts on act's own JSON events (`set-output`, `summary`, `jobResult`, `stepResult`) and on
the artifacts the upload-artifact stand-in received. Replays run on a real local cluster named
skci-ci-gh (pass --cluster-name); scenarios that boot a cluster take /tmp/skci-cluster.lock.

    python3 .github/tests/test_act.py [SCENARIO...]

Needs act on PATH (scripts/stages/install-ci-tools.sh), a JDK >= 21, Maven, Go, the control-plane
binaries and runner/target/skci.jar (mvn package). SKCI_ACT_SOURCE=<dir> tests another checkout
(e.g. an older commit, to see a test fail before its fix). Ends with "N passed, M failed".
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

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SOURCE = Path(os.environ.get("SKCI_ACT_SOURCE") or REPO).resolve()
STAND_INS = HERE / "stand-ins"
CLUSTER = os.environ.get("SKCI_ACT_CLUSTER", "skci-ci-gh")
CACHE = Path(os.environ.get("SKCI_CACHE_DIR") or Path.home() / ".cache/skci")
CHECKOUT = "actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8"


# ---------------------------------------------------------------- running act

def pinned_actions(*files):
    """Every pinned `uses: <owner>/<name>[/<path>]@sha` in the given files, as (owner/name@sha, stand-in directory)."""
    found = {}
    for f in files:
        for m in re.finditer(r"uses:\s*([\w-]+/([\w-]+)(/[\w-]+)?@[0-9a-f]{40})", f.read_text()):
            repo_at_sha = m.group(1).replace(m.group(3) or "", "")
            found[repo_at_sha] = STAND_INS / m.group(2)
    return found


def copy_checkout(dest):
    """The files of SOURCE that git would see (tracked and untracked, not ignored), as a fresh repo."""
    files = subprocess.run(["git", "-C", str(SOURCE), "ls-files", "-z", "-co", "--exclude-standard"],
                           capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = SOURCE / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    git = ["git", "-C", str(dest), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "scratch copy"], check=True)


class Run:
    """One act run: its exit code, JSON events and the artifacts the stand-in received."""

    def __init__(self, code, events, artifacts, stdout, standin_log):
        self.code, self.events, self.artifacts, self.stdout, self.standin_log = code, events, artifacts, stdout, standin_log

    def outputs(self, step_id):
        """Outputs act recorded (set-output events) for the step whose id is step_id."""
        out = {}
        for e in self.events:
            if e.get("command") == "set-output" and step_id in (e.get("stepID") or []):
                out[e["name"]] = e["arg"]
        return out

    def job_results(self):
        return {e.get("jobID", e.get("job")): e["jobResult"] for e in self.events if "jobResult" in e}

    def step_results(self):
        return [(e.get("stepID"), e["stepResult"]) for e in self.events if "stepResult" in e]

    def summary(self):
        return "".join(e.get("content", "") for e in self.events if e.get("command") == "summary")

    def annotations(self, level="error"):
        """(title, message) of the ::error (or ::warning) workflow commands the steps printed."""
        return [((e.get("kvPairs") or {}).get("title", ""), e.get("arg", "")) for e in self.events
                if e.get("command") == level]

    def raw(self):
        return "".join(e.get("msg", "") + "\n" for e in self.events if e.get("raw_output"))

    def step_log(self, name):
        """Raw output of the (composite) step whose display name starts with name."""
        lines, inside = [], False
        for e in self.events:
            msg = e.get("msg", "")
            if msg.startswith("\u2b50 Run "):
                inside = msg.split(" ", 3)[-1].startswith(name)
            elif inside and e.get("raw_output"):
                lines.append(msg)
        return "".join(lines)

    def why(self):
        """What a failed assertion shows: the job's raw output (the full event log stays in act.out)."""
        return "\n--- job output:\n" + (self.raw() or self.stdout)[-3000:]


def run_act(t, workflow, job=None, inputs=None, env=None, secrets=None, extra_actions=()):
    """Runs workflow (a dict, written into the scratch repo, or a path inside it) under act."""
    repo = t["repo"]
    if isinstance(workflow, dict):
        path = repo / ".github/workflows/test.yml"
        path.write_text(yaml.safe_dump(workflow, sort_keys=False))
    else:
        path = repo / workflow
    artifacts = t["scratch"] / f"artifacts-{time.monotonic_ns()}"
    artifacts.mkdir()
    standin_log = artifacts / "stand-in.log"
    cmd = ["act", "workflow_dispatch", "--json", "-W", str(path.relative_to(repo)),
           "-P", "ubuntu-latest=-self-hosted", "-P", "self-hosted=-self-hosted",
           "--action-offline-mode", "--no-cache-server", "--action-cache-path", str(t["scratch"] / "act-cache"),
           "--env", f"STANDIN_ARTIFACTS={artifacts}", "--env", f"STANDIN_LOG={standin_log}",
           "--env", f"SKCI_CACHE_DIR={(env or {}).get('SKCI_CACHE_DIR', CACHE)}"]
    if job:
        cmd += ["-j", job]
    for repo_at_sha, stand_in in pinned_actions(path, repo / "action.yml", *(repo / a for a in extra_actions)).items():
        cmd += ["--local-repository", f"{repo_at_sha}={stand_in}"]
    for k, v in (inputs or {}).items():
        cmd += ["--input", f"{k}={v}"]
    if secrets:   # a file, not arguments: act's command line is visible to every local process
        secret_file = artifacts / "secrets"
        secret_file.write_text("".join(f"{k}={v}\n" for k, v in secrets.items()))
        cmd += ["--secret-file", str(secret_file)]
    for k, v in (env or {}).items():
        if k != "SKCI_CACHE_DIR":
            cmd += ["--env", f"{k}={v}"]
    # act's own environment: no SKCI_* from the developer's shell, no GitHub token of any kind.
    act_env = {k: v for k, v in os.environ.items() if not k.startswith(("SKCI_", "GITHUB_", "INPUT_"))}
    p = subprocess.run(cmd, cwd=repo, env=act_env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    events = []
    for line in p.stdout.splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            pass
    (artifacts / "act.out").write_text(p.stdout + p.stderr)   # kept with SKCI_KEEP_SCRATCH, for debugging
    found = {d.name: d for d in artifacts.iterdir() if d.is_dir()}
    log = standin_log.read_text() if standin_log.exists() else ""
    return Run(p.returncode, events, found, p.stdout + p.stderr, log)


@contextmanager
def cluster_lock():
    """Only one cluster test at a time machine-wide (shared CPU etiquette)."""
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


def action_workflow(with_, pre_steps=(), runs_on="ubuntu-latest"):
    """A one-job workflow: checkout, optional steps, the action (uses: ./) and a step echoing its outputs."""
    steps = [{"uses": f"{CHECKOUT}", "with": {"persist-credentials": False}}, *pre_steps,
             {"id": "skci", "uses": "./", "with": with_},
             {"name": "outputs", "if": "always()",
              "env": {"RESULT": "${{ steps.skci.outputs.result }}", "CODE": "${{ steps.skci.outputs.exit-code }}",
                      "DIR": "${{ steps.skci.outputs.report-dir }}"},
              "run": 'echo "action outputs: result=$RESULT exit-code=$CODE report-dir=$DIR"'}]
    return {"name": "skci under act", "on": {"workflow_dispatch": {}}, "permissions": {"contents": "read"},
            "jobs": {"run": {"runs-on": runs_on, "steps": steps}}}


def action_outputs(run):
    m = re.findall(r"action outputs: result=(\S*) exit-code=(\S*) report-dir=(\S*)", run.raw() or run.stdout)
    assert m, f"the outputs step did not run:\n{run.why()}"
    return {"result": m[-1][0], "exit-code": m[-1][1], "report-dir": m[-1][2]}


def image_env(t):
    image = image_prefix(t)
    return {"SKCI_PREINSTALLED_DIR": str(image), "SKCI_CACHE_DIR": str(image / "cache")}


def image_prefix(t):
    """An installed prefix laid out like the AMI's /opt/skci: the checkout with its jar, cache -> the real cache.
    SKCI_TEST_IMAGE_PREFIX names a real one instead (docs/ci.md: the image scripts run into a scratch prefix)."""
    if os.environ.get("SKCI_TEST_IMAGE_PREFIX"):
        return Path(os.environ["SKCI_TEST_IMAGE_PREFIX"])
    image = t["scratch"] / "opt-skci"
    if not image.exists():
        copy_checkout(image)
        jar = SOURCE / "runner/target/skci.jar"
        assert jar.is_file(), f"{jar} is missing: run mvn package first"
        (image / "runner/target").mkdir(parents=True)
        shutil.copy2(jar, image / "runner/target/skci.jar")
        (image / "cache").symlink_to(CACHE)
    return image


# ---------------------------------------------------------------- scenarios

def hosted_pass(t):
    """The hosted build path (setup-java, setup-go, caches, build) and a real replay: passes, outputs and artifact."""
    with cluster_lock():
        run = run_act(t, action_workflow({"traces": "traces/cronjob.sktrace", "speed": "10",
                                          "args": f"--cluster-name {CLUSTER}", "artifact-name": "reports-pass"}))
    assert run.code == 0, run.why()
    assert run.job_results() == {"run": "success"}, run.job_results()
    assert action_outputs(run) == {"result": "passed", "exit-code": "0", "report-dir": "skci-reports"}, run.why()
    assert "reports-pass" in run.artifacts, run.artifacts
    summary = json.loads((run.artifacts["reports-pass"] / "summary.json").read_text())
    assert summary["passed"] is True and summary["exitCode"] == 0, summary
    assert (run.artifacts["reports-pass"] / "junit.xml").is_file()
    assert "### skci: passed (exit code 0)" in run.summary() and "cronjob.sktrace" in run.summary(), run.summary()
    assert re.search(r"restore skci-bin-Linux-X64-[0-9a-f]{32} ", run.standin_log), run.standin_log
    assert re.search(r"save skci-m2-Linux-[0-9a-f]{32} ", run.standin_log), run.standin_log


def maven_log_is_quiet(t):
    """Defect 8: the build step's log has no Maven warnings and no ANSI colour codes."""
    run = run_act(t, action_workflow({"traces": "traces/none.sktrace", "artifact-name": "quiet"}))
    text = run.step_log("Build the control-plane binaries and the runner")
    assert "binaries already built" in text, run.why()
    assert "\x1b[" not in text, f"ANSI codes in the build log: {text[-1500:]!r}"
    assert "WARNING" not in text and "[WARN" not in text, f"warnings in the build log: {text[-1500:]}"


def invalid_input_is_2(t):
    """A corrupt trace: exit 2 as the step's failure and as outputs; reports uploaded anyway."""
    (t["repo"] / "traces/corrupt.sktrace").write_bytes(b"\x93not a trace")
    subprocess.run(["git", "-C", str(t["repo"]), "add", "-A"], check=True)
    run = run_act(t, action_workflow({"traces": "traces/corrupt.sktrace", "artifact-name": "reports-2"}),
                  env=image_env(t))
    assert run.code != 0 and run.job_results() == {"run": "failure"}, run.why()
    assert action_outputs(run) == {"result": "invalid-input", "exit-code": "2", "report-dir": "skci-reports"}, run.why()
    assert "skci: invalid input (exit 2)" in run.stdout, run.why()
    assert "reports-2" in run.artifacts, "the upload step must run after a failure too"


def environment_failure_is_3(t):
    """The existing provider at a port nothing listens on: exit 3 at once, retryable."""
    kubeconfig = dead_kubeconfig(t)
    run = run_act(t, action_workflow({"traces": "traces/cronjob.sktrace", "artifact-name": "reports-3",
                                      "args": f"--provider existing --kubeconfig {kubeconfig}"}),
                  env=image_env(t))
    assert run.job_results() == {"run": "failure"}, run.why()
    assert action_outputs(run)["exit-code"] == "3", run.why()
    assert action_outputs(run)["result"] == "environment-error", run.why()
    assert "safe to retry" in run.stdout, run.why()
    assert "environment-error (exit 3)" in run.summary(), run.summary()


def speed_in_args_wins(t):
    """Defect 2: `args: --speed 10` is not met by a second --speed from the input's default."""
    run = run_act(t, action_workflow({"traces": "traces/cronjob.sktrace", "artifact-name": "speed",
                                      "args": f"--speed 10 --cluster-name {CLUSTER} --duration 1s --provider existing "
                                              f"--kubeconfig {dead_kubeconfig(t)}"}),
                  env=image_env(t))
    assert "should be specified only once" not in run.stdout, run.why()
    # It reaches the (dead) cluster: the flags were accepted.
    assert action_outputs(run)["exit-code"] == "3", run.why()


def stale_reports_are_not_uploaded(t):
    """Defect 3: a run that fails on its flags does not upload the previous run's summary.json."""
    stale = {"name": "A previous run's reports", "run": "mkdir -p skci-reports && echo '{\"stale\": true}' > skci-reports/summary.json"}
    run = run_act(t, action_workflow({"traces": "traces/cronjob.sktrace", "artifact-name": "stale",
                                      "args": "--no-such-flag"}, pre_steps=[stale]),
                  env=image_env(t))
    assert action_outputs(run)["exit-code"] == "2", run.why()
    uploaded = run.artifacts.get("stale")
    if uploaded and (uploaded / "summary.json").exists():
        text = (uploaded / "summary.json").read_text()
        assert '"stale"' not in text, "the previous run's summary.json was uploaded as this run's"


def failed_build_is_3(t):
    """Defect 4: a hosted build that fails (Go modules unreachable) exits 3 with exit-code 3."""
    empty = t["scratch"] / "empty-cache"
    run = run_act(t, action_workflow({"traces": "traces/cronjob.sktrace", "artifact-name": "build"}),
                  env={"SKCI_CACHE_DIR": str(empty), "GOPROXY": "off", "GOFLAGS": "-mod=mod",
                       "GOMODCACHE": str(t["scratch"] / "empty-gomodcache")})
    assert run.job_results() == {"run": "failure"}, run.why()
    assert action_outputs(run) == {"result": "environment-error", "exit-code": "3", "report-dir": ""}, run.why()
    assert ("build", "failure") in [(s[-1] if s else None, r) for s, r in run.step_results()] or "exit 3" in run.stdout


def cache_key_ignores_path_spelling(t):
    """Defect 1: act's GITHUB_ACTION_PATH ends in '/'; the Maven key must still equal the one from a path without it."""
    run = run_act(t, action_workflow({"traces": "traces/none.sktrace", "artifact-name": "key"}),
                  env={"SKCI_PREINSTALLED_DIR": str(t["scratch"] / "nothing-here")})
    keys = re.findall(r"(?:restore|save) (skci-m2-\S+)", run.standin_log)
    assert keys, run.standin_log or run.why()
    out = t["scratch"] / "prep.out"
    out.write_text("")
    subprocess.run(["bash", str(t["repo"] / ".github/action/prepare.sh")], check=True, capture_output=True,
                   env={**os.environ, "GITHUB_OUTPUT": str(out), "GITHUB_ACTION_PATH": str(t["repo"]),
                        "SKCI_PREINSTALLED_DIR": "/nonexistent"})
    direct = dict(line.split("=", 1) for line in out.read_text().splitlines())
    assert set(keys) == {direct["maven-key"]}, f"act: {set(keys)}, path without '/': {direct['maven-key']}"


def hostile_inputs_are_inert(t):
    """Command substitution, `;`, backticks and newlines in inputs and workflow_dispatch inputs stay text."""
    canary = t["scratch"] / "pwned"
    hostile = f"$(touch {canary})\n`touch {canary}`\ntraces/cronjob.sktrace; touch {canary}\n"
    wf = action_workflow({"traces": hostile, "speed": f"$(touch {canary})",
                          "args": f"--nodes 2 $(touch {canary}) ;touch {canary} && `touch {canary}`",
                          "artifact-name": "hostile"})
    wf["on"]["workflow_dispatch"] = {"inputs": {"duration": {"default": ""}}}
    wf["jobs"]["run"]["steps"][1]["with"]["duration"] = "${{ inputs.duration }}"
    run = run_act(t, wf, inputs={"duration": f"1s\n$(touch {canary});`touch {canary}`"},
                  env=image_env(t))
    assert not canary.exists(), "an input was executed by a shell"
    assert action_outputs(run)["exit-code"] == "2", run.why()


def config_expectation_fails_is_1(t):
    """Input config (no traces input): the config's simulations run, a broken expectation fails the step (exit 1)
    with an annotation naming the trace and the expectation, and report.html is in the artifact."""
    (t["repo"] / "skci-gate.yaml").write_text(
        "apiVersion: skci.dev/v1alpha1\nkind: Config\nspeed: 10\n"
        "simulations:\n  - trace: traces/cronjob.sktrace\n"
        "expectations:\n  - name: no-pods-at-all\n    expr: pods.created == 0.0\n"
        "    message: this trace creates pods, so this must fail\n")
    subprocess.run(["git", "-C", str(t["repo"]), "add", "-A"], check=True)
    with cluster_lock():
        run = run_act(t, action_workflow({"config": "skci-gate.yaml", "args": f"--cluster-name {CLUSTER}",
                                          "artifact-name": "reports-expect"}), env=image_env(t))
    assert run.job_results() == {"run": "failure"}, run.why()
    assert action_outputs(run) == {"result": "failed", "exit-code": "1", "report-dir": "skci-reports"}, run.why()
    titles = [title for title, _ in run.annotations()]
    assert "skci traces/cronjob.sktrace: no-pods-at-all" in titles, f"{titles}{run.why()}"
    reports = run.artifacts["reports-expect"]
    summary = json.loads((reports / "summary.json").read_text())
    failed = [c["name"] for s in summary["simulations"] for c in s["checks"] if c["status"] == "failed"]
    assert failed == ["no-pods-at-all"], summary
    assert (reports / "report.html").is_file() and (reports / "timeline.json").is_file()


def example_preinstalled(t):
    """The example workflow's `ami` job on an installed prefix: no setup step runs, the replay passes."""
    wf = t["repo"] / ".github/workflows/example.yml"
    text = wf.read_text().replace("traces: traces/\n", f"traces: traces/cronjob.sktrace\n          args: --cluster-name {CLUSTER}\n")
    wf.write_text(text)
    with cluster_lock():
        run = run_act(t, ".github/workflows/example.yml", job="ami", inputs={"speed": "10"},
                      env=image_env(t))
    assert run.code == 0 and run.job_results() == {"ami": "success"}, run.why()
    assert "skci finished with passed (exit 0)" in run.stdout, run.why()
    assert "skci-reports-ami" in run.artifacts and (run.artifacts["skci-reports-ami"] / "junit.xml").is_file(), run.artifacts
    assert "setup-java stand-in" not in run.stdout and "setup-go stand-in" not in run.stdout, run.why()


def sharded_example_merges(t):
    """The sharded example workflow: a matrix of 2 shards (each its own cluster, at once), then the merge job."""
    wf = t["repo"] / ".github/workflows/sharded-example.yml"
    text = wf.read_text().replace("          shard: ${{ matrix.shard }}/2\n",
                                  f"          shard: ${{{{ matrix.shard }}}}/2\n          args: --name {CLUSTER}-${{{{ matrix.shard }}}}\n")
    assert "--name" in text, "the example changed: update this test"
    wf.write_text(text)
    with cluster_lock():
        run = run_act(t, ".github/workflows/sharded-example.yml", inputs={"speed": "10"}, env=image_env(t))
    assert run.code == 0, f"{run.job_results()} {sorted(run.artifacts)}{run.why()}"
    assert set(run.job_results().values()) == {"success"} and "merge" in run.job_results(), run.job_results()
    shards = {f"skci-reports-simulate-shard-{i}-of-2" for i in (1, 2)}
    assert shards | {"skci-reports-merged"} <= set(run.artifacts), run.artifacts
    traces = []
    for name in sorted(shards):
        summary = json.loads((run.artifacts[name] / "summary.json").read_text())
        assert summary["shard"]["total"] == 2 and summary["exitCode"] == 0, summary
        traces += [s["trace"] for s in summary["simulations"]]
    assert sorted(traces) == ["traces/bare-pods.sktrace", "traces/cronjob.sktrace", "traces/deployment-scaling.sktrace"], traces
    merged = json.loads((run.artifacts["skci-reports-merged"] / "summary.json").read_text())
    assert merged["exitCode"] == 0 and len(merged["simulations"]) == 3, merged
    assert [s["shard"] for s in merged["shards"]] == ["1/2", "2/2"], merged["shards"]
    assert (run.artifacts["skci-reports-merged"] / "report.html").is_file()
    assert "skci (merged): passed" in run.summary(), run.summary()


def example_retries_on_3(t):
    """The example's `hosted` job: the first attempt meets a dead API server (exit 3), the retry passes."""
    image = image_prefix(t)
    flaky = t["scratch"] / "flaky-skci"
    if not flaky.exists():
        shutil.copytree(image, flaky, symlinks=True)
        counter = t["scratch"] / "attempts"
        kubeconfig = dead_kubeconfig(t)
        # First call: the real skci against a dead API server (a real exit 3). Later calls: the real
        # skci on this test's cluster. Options go right after the subcommand.
        (flaky / "bin/skci").unlink()
        (flaky / "bin/skci").write_text(f"""#!/usr/bin/env bash
set -euo pipefail
real={image}/bin/skci
[[ "${{1:-}}" == run ]] || exec "$real" "$@"
shift
n=$(( $(cat {counter} 2>/dev/null || echo 0) + 1 )); echo "$n" > {counter}
if (( n == 1 )); then exec "$real" run --provider existing --kubeconfig {kubeconfig} "$@"; fi
exec "$real" run --cluster-name {CLUSTER} "$@"
""")
        (flaky / "bin/skci").chmod(0o755)
    with cluster_lock():
        run = run_act(t, ".github/workflows/example.yml", job="hosted", inputs={"speed": "10"},
                      env={"SKCI_PREINSTALLED_DIR": str(flaky)})
    assert run.code == 0 and run.job_results() == {"hosted": "success"}, run.why()
    assert "skci exit code: 0" in run.stdout, run.why()
    assert (t["scratch"] / "attempts").read_text().strip() == "2", "the workflow did not retry exactly once"
    assert {"skci-reports-hosted", "skci-reports-hosted-retry"} <= set(run.artifacts), run.artifacts
    first = json.loads((run.artifacts["skci-reports-hosted"] / "summary.json").read_text())
    assert first["exitCode"] == 3, first
    retry = json.loads((run.artifacts["skci-reports-hosted-retry"] / "summary.json").read_text())
    assert retry["exitCode"] == 0 and retry["passed"] is True, retry


def no_checkout_fails_loudly(t):
    """act needs a checkout step for `uses: ./`; without one the job must fail, not pass silently."""
    wf = action_workflow({"traces": "traces/cronjob.sktrace"})
    wf["jobs"]["run"]["steps"].pop(0)
    run = run_act(t, wf)
    assert run.code != 0 or run.job_results().get("run") != "success", run.why()


SCENARIOS = [invalid_input_is_2, environment_failure_is_3, speed_in_args_wins, stale_reports_are_not_uploaded,
             hostile_inputs_are_inert, cache_key_ignores_path_spelling, failed_build_is_3, maven_log_is_quiet,
             hosted_pass, config_expectation_fails_is_1, example_preinstalled, sharded_example_merges, example_retries_on_3, no_checkout_fails_loudly]


def main(argv):
    if shutil.which("act") is None:
        print("test_act: act is not on PATH; run scripts/stages/install-ci-tools.sh --print-path")
        return 3
    chosen = [s for s in SCENARIOS if not argv or s.__name__ in argv]
    unknown = set(argv) - {s.__name__ for s in SCENARIOS}
    if unknown:
        print(f"test_act: no scenario named {', '.join(sorted(unknown))}")
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="skci-act-"))
    t = {"scratch": scratch}
    passed = failed = 0
    for scenario in chosen:
        repo = scratch / f"repo-{scenario.__name__}"
        copy_checkout(repo)
        t["repo"] = repo
        start = time.monotonic()
        try:
            scenario(t)
            passed += 1
            print(f"PASS {scenario.__name__} ({time.monotonic() - start:.1f}s)", flush=True)
        except AssertionError as e:
            failed += 1
            print(f"FAIL {scenario.__name__}: {e}", flush=True)
    if os.environ.get("SKCI_KEEP_SCRATCH"):
        print(f"test_act: scratch kept in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
