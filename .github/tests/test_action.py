#!/usr/bin/env python3
"""Tests of the skci composite action (action.yml), run on a Linux machine without GitHub.

Static checks: no input is interpolated into a `run:` script, every third-party action is pinned by
commit SHA with a version comment, every input is declared and used.

Execution: a small emulator runs action.yml's steps in order the way the runner does (expressions in
`if`, `env` and `with`, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, `bash -eo pipefail`, later steps
skipped after a failure unless their `if` says always()). The `run:` steps execute for real, so the
action's scripts really build and run skci on a real local cluster; the `uses:` steps are stood in
for (setup-java points JAVA_HOME at a local JDK >= 21, the caches restore nothing new, the upload
records what it would upload).

    python3 .github/tests/test_action.py [SCENARIO...]

Needs: Python 3 with PyYAML, a JDK >= 21, Maven, Go, and the control-plane binaries already built
(scripts/build-binaries.sh), so the scenarios take minutes, not the cold-build time. The action is
copied to a scratch directory first (its build writes runner/target). Ends with "N passed, M failed".
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((REPO / "action.yml").read_text())
RAW = (REPO / "action.yml").read_text()


# ---------------------------------------------------------------- expressions (the subset action.yml uses)

TOKEN = re.compile(r"\s*(?:(\|\||&&|==|!=|!|\(|\))|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_.\-]*(?:\(\))?))")


def evaluate(expr, ctx):
    tokens, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot parse expression {expr!r} at {pos}")
        tokens.append(m.groups())
        pos = m.end()
    tokens.append((None, None, None))
    i = 0

    def peek():
        return tokens[i]

    def take():
        nonlocal i
        i += 1
        return tokens[i - 1]

    def primary():
        op, lit, name = take()
        if op == "(":
            v = disjunction()
            take()
            return v
        if op == "!":
            return not truthy(primary())
        if lit is not None:
            return lit.replace("''", "'")
        if name.endswith("()"):
            return {"always()": True, "success()": not ctx["failed"], "failure()": ctx["failed"]}[name]
        return lookup(name, ctx)

    def comparison():
        left = primary()
        while peek()[0] in ("==", "!="):
            op = take()[0]
            right = primary()
            left = (str(left).lower() == str(right).lower()) == (op == "==")
        return left

    def conjunction():
        v = comparison()
        while peek()[0] == "&&":
            take()
            right = comparison()
            v = v if not truthy(v) else right
        return v

    def disjunction():
        v = conjunction()
        while peek()[0] == "||":
            take()
            right = conjunction()
            v = v if truthy(v) else right
        return v

    return disjunction()


def truthy(v):
    return v not in (False, None, "", 0)


def lookup(name, ctx):
    parts = name.split(".")
    if parts[0] == "inputs":
        return ctx["inputs"].get(parts[1], "")
    if parts[0] == "steps":
        return ctx["steps"].get(parts[1], {}).get(parts[3], "")
    if parts[0] == "github":
        return {"action_path": ctx["action_path"]}[parts[1]]
    raise ValueError(f"unknown context {name}")


def render(value, ctx):
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), ctx)), str(value))


# ---------------------------------------------------------------- the emulator

def find_jdk():
    for c in [os.environ.get("JAVA_HOME", "")] + sorted(map(str, Path("/usr/lib/jvm").glob("*")), reverse=True):
        java = Path(c, "bin", "java")
        if c and java.exists() and Path(c, "bin", "javac").exists():
            out = subprocess.run([str(java), "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
            m = re.search(r"java\.specification\.version = (\d+)", out)
            if m and int(m.group(1)) >= 21:
                return c
    raise SystemExit("no JDK >= 21 found")


def run_action(inputs, action_path, workspace, extra_env=None):
    """Runs the composite action; returns (exit code, outputs, step log, stdout text, summary text)."""
    declared = ACTION["inputs"]
    missing = [k for k, v in declared.items() if v.get("required") and k not in inputs]
    assert not missing, f"required inputs missing: {missing}"
    ctx = {"inputs": {k: inputs.get(k, str(v.get("default", ""))) for k, v in declared.items()},
           "steps": {}, "failed": False, "action_path": str(action_path)}
    files = Path(tempfile.mkdtemp(prefix="skci-action-"))
    summary = files / "summary.md"
    summary.touch()
    env = dict(os.environ)
    env.update({"GITHUB_ACTIONS": "true", "GITHUB_ACTION_PATH": str(action_path), "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_JOB": "test", "GITHUB_RUN_ATTEMPT": "1",
                "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_TEMP": str(files)})
    env.update(extra_env or {})
    log, stdout, exit_code = [], "", 0
    for n, step in enumerate(ACTION["runs"]["steps"]):
        sid = step.get("id", f"step{n}")
        cond = step.get("if", "success()")
        cond = cond[3:-2] if cond.startswith("${{") else cond
        if not truthy(evaluate(cond, ctx)):
            log.append((sid, "skipped"))
            continue
        outputs = {}
        if "uses" in step:
            name = step["uses"].split("@")[0]
            with_ = {k: render(v, ctx) for k, v in step.get("with", {}).items()}
            if name == "actions/setup-java":
                env["JAVA_HOME"] = find_jdk()
                env["PATH"] = f"{env['JAVA_HOME']}/bin:{env['PATH']}"
            elif name == "actions/cache/restore":
                outputs["cache-hit"] = "false"
            elif name == "actions/upload-artifact":
                outputs["uploaded"] = with_["path"]
                outputs["name"] = with_["name"]
            ctx["steps"][sid] = outputs
            log.append((sid, f"emulated {name} {with_}"))
            continue
        out_file = files / f"{sid}.out"
        out_file.touch()
        step_env = dict(env)
        step_env.update({k: render(v, ctx) for k, v in step.get("env", {}).items()})
        step_env["GITHUB_OUTPUT"] = str(out_file)
        script = files / f"{sid}.sh"
        script.write_text(step["run"])
        p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                           env=step_env, capture_output=True, text=True)
        stdout += p.stdout
        sys.stderr.write(p.stderr[-3000:] if p.returncode else "")
        for line in out_file.read_text().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                outputs[k] = v
        ctx["steps"][sid] = outputs
        log.append((sid, f"exit {p.returncode}"))
        if p.returncode != 0:
            ctx["failed"] = True
            exit_code = exit_code or p.returncode
    action_outputs = {k: render(v["value"], ctx) for k, v in ACTION["outputs"].items()}
    return exit_code, action_outputs, log, stdout, summary.read_text()


# ---------------------------------------------------------------- scenarios

def static_checks(_ctx):
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"step {step.get('name')} interpolates an expression into its script"
    for line in RAW.splitlines():
        m = re.search(r"uses:\s*(\S+)", line)
        if m:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", m.group(1)), f"not pinned by SHA: {line.strip()}"
            assert re.search(r"#\s*v\d+(\.\d+)*", line), f"no version comment: {line.strip()}"
    used = set(re.findall(r"inputs\.([a-z-]+)", RAW))
    declared = set(ACTION["inputs"])
    assert used == declared, f"inputs declared but unused: {declared - used}; used but undeclared: {used - declared}"
    for name, out in ACTION["outputs"].items():
        assert f"steps.run.outputs.{name}" in out["value"], f"output {name} does not come from the run step"
        assert f"echo \"{name}=" in (REPO / ".github/action/run.sh").read_text(), f"run.sh never writes {name}"


def hosted_pass(t):
    code, out, log, stdout, summary = run_action({"traces": "traces/cronjob.sktrace\n", "speed": "10",
                                                  "args": t["cluster_args"]}, t["action"], t["workspace"])
    assert code == 0, (code, log)
    assert out == {"result": "passed", "exit-code": "0", "report-dir": "skci-reports"}, out
    steps = dict(log)
    assert f"'path': '{t['cache']}/bin'" in steps["binaries"], steps["binaries"]
    assert (t["workspace"] / "skci-reports/junit.xml").is_file()
    assert '"passed" : true' in (t["workspace"] / "skci-reports/summary.json").read_text()
    assert "### skci simulations" in summary, summary
    assert any("upload-artifact" in d and "'path': 'skci-reports'" in d for _, d in log), log


def injection_is_inert(t):
    canary = t["workspace"] / "pwned"
    hostile = f"$(touch {canary})\n`touch {canary}`\ntraces/cronjob.sktrace; touch {canary}\n"
    code, out, log, stdout, _ = run_action(
        {"traces": hostile, "speed": "10", "args": f"--nodes 2 $(touch {canary}) ;touch {canary} && touch {canary}"},
        t["action"], t["workspace"])
    assert not canary.exists(), "an input was executed by a shell"
    assert code == 2 and out["result"] == "invalid-input" and out["exit-code"] == "2", (code, out)
    assert "::error title=skci: invalid input (exit 2)::" in stdout, stdout
    assert any("upload-artifact" in d for _, d in log), "reports must be uploaded after a failure too"


def environment_failure_is_3(t):
    code, out, _, stdout, summary = run_action({"traces": "traces/cronjob.sktrace", "args": "--provider kind"},
                                               t["action"], t["workspace"])
    assert code == 3 and out["result"] == "environment-error" and out["exit-code"] == "3", (code, out)
    assert "safe to retry" in stdout, stdout
    assert "environment-error (exit 3)" in summary, summary


def no_traces_is_2(t):
    code, out, _, stdout, _ = run_action({"traces": "\n  \n"}, t["action"], t["workspace"])
    assert code == 2 and out["result"] == "invalid-input", (code, out)
    assert "names no trace" in stdout


def bad_report_dir_is_2(t):
    code, out, _, _, _ = run_action({"traces": "traces/cronjob.sktrace", "report-dir": "a\nresult=passed"},
                                    t["action"], t["workspace"])
    assert code == 2 and out["result"] == "invalid-input" and out["report-dir"] == "skci-reports", (code, out)


def bad_artifact_name_stops_early(t):
    code, out, log, _, _ = run_action({"traces": "traces/cronjob.sktrace", "artifact-name": "x\nskci=/bin/false"},
                                      t["action"], t["workspace"])
    assert code == 2, (code, log)
    assert ("run", "skipped") in log, log
    assert out["result"] == "", out


def upload_can_be_turned_off(t):
    code, _, log, _, _ = run_action({"traces": "/nonexistent.sktrace", "upload-reports": "false"},
                                    t["action"], t["workspace"])
    assert code == 2
    assert not any("upload-artifact" in d for _, d in log), log


def preinstalled_image(t):
    image = t.get("image")
    if image is None:
        raise AssertionError("set SKCI_TEST_IMAGE_PREFIX to an installed prefix (see docs/ci.md) to run this scenario")
    code, out, log, stdout, _ = run_action({"traces": "traces/cronjob.sktrace", "speed": "10", "args": t["cluster_args"]},
                                           t["action"], t["workspace"],
                                           {"SKCI_PREINSTALLED_DIR": str(image), "SKCI_CACHE_DIR": str(image / "cache")})
    assert code == 0 and out["result"] == "passed", (code, out, log)
    skipped = {s for s, d in log if d == "skipped"}
    assert {"binaries", "maven"} <= skipped, log
    assert all("setup-java" not in d and "setup-go" not in d for _, d in log), log


SCENARIOS = [static_checks, no_traces_is_2, bad_report_dir_is_2, bad_artifact_name_stops_early, upload_can_be_turned_off,
             injection_is_inert, environment_failure_is_3, hosted_pass, preinstalled_image]


def main(argv):
    chosen = [s for s in SCENARIOS if not argv or s.__name__ in argv]
    scratch = Path(tempfile.mkdtemp(prefix="skci-action-test-"))
    action = scratch / "action"
    shutil.copytree(REPO, action, ignore=shutil.ignore_patterns(".git", "target", "skci-reports"))
    cache = Path(os.environ.get("SKCI_CACHE_DIR") or Path.home() / ".cache/skci")
    # A cluster name of its own, so a test never adopts or locks a developer's default "skci" cluster.
    t = {"action": action, "cache": cache, "cluster_args": f"--cluster-name skci-action-test-{os.getpid()}"}
    if os.environ.get("SKCI_TEST_IMAGE_PREFIX"):
        t["image"] = Path(os.environ["SKCI_TEST_IMAGE_PREFIX"])
    passed = failed = 0
    for scenario in chosen:
        workspace = scratch / f"ws-{scenario.__name__}"
        shutil.copytree(REPO / "traces", workspace / "traces")
        t["workspace"] = workspace
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
