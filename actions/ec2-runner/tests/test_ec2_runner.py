#!/usr/bin/env python3
"""Tests of the ephemeral EC2 runner: actions/ec2-runner/ec2_runner.py against moto's EC2 server
(PyPI moto[server], on loopback) and a stand-in of GitHub's self-hosted-runner REST API, and the
image's boot script (ami-scripts/runner-boot.sh) against a stand-in IMDSv2 and a stand-in runner agent.
No AWS account and no GitHub are involved; every server listens on 127.0.0.1 only.

The GitHub stand-in follows the documented shapes (REST API, "Self-hosted runners", version
2022-11-28): POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig with
{name, runner_group_id, labels (1..100), work_folder} -> 201 {runner: {id, name, os, status, busy,
labels: [{id, name, type}]}, encoded_jit_config}; 409 for a name in use, 422 for a bad body;
GET .../runners/{runner_id} -> 200 runner; DELETE .../runners/{runner_id} -> 204; unknown id -> 404;
without "Authorization: Bearer <token>" -> 401.

    python3 actions/ec2-runner/tests/test_ec2_runner.py [SCENARIO...]

Needs moto[server] and boto3 (scripts/stages/install-ci-tools.sh). Ends with "N passed, M failed".
"""
import base64
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SCRIPT = REPO / "actions/ec2-runner/ec2_runner.py"
BOOT = REPO / "ami-scripts/runner-boot.sh"
TOKEN = "ghp_standin_token_never_to_be_printed"
REGION = "eu-west-1"
OWNER_REPO = "octo-org/octo-repo"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---------------------------------------------------------------- GitHub stand-in

class GitHubStandIn:
    def __init__(self, online_after=2, fail_status=None):
        self.runners, self.requests, self.polls = {}, [], {}
        self.online_after, self.fail_status, self.next_id = online_after, fail_status, 23
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body=None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def handle_any(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                stand_in.requests.append({"method": method, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                          "body": json.loads(raw) if raw else None})
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self.reply(401, {"message": "Requires authentication", "status": "401"})
                if stand_in.fail_status:
                    return self.reply(stand_in.fail_status, {"message": "Resource not accessible by integration"})
                base = f"/repos/{OWNER_REPO}/actions/runners"
                if method == "POST" and self.path == f"{base}/generate-jitconfig":
                    return self.generate(json.loads(raw or b"{}"))
                m = re.fullmatch(rf"{re.escape(base)}/(\d+)", self.path)
                if not m or int(m.group(1)) not in stand_in.runners:
                    return self.reply(404, {"message": "Not Found", "status": "404"})
                runner_id = int(m.group(1))
                if method == "GET":
                    n = stand_in.polls[runner_id] = stand_in.polls.get(runner_id, 0) + 1
                    runner = dict(stand_in.runners[runner_id])
                    online = stand_in.online_after is not None and n > stand_in.online_after
                    runner["status"] = "online" if online else "offline"
                    return self.reply(200, runner)
                if method == "DELETE":
                    del stand_in.runners[runner_id]
                    return self.reply(204)
                return self.reply(404, {"message": "Not Found"})

            def generate(self, body):
                labels = body.get("labels")
                if not isinstance(body.get("name"), str) or not isinstance(body.get("runner_group_id"), int) \
                        or not isinstance(labels, list) or not 1 <= len(labels) <= 100 \
                        or not all(isinstance(x, str) for x in labels):
                    return self.reply(422, {"message": "Invalid request.", "status": "422"})
                if any(r["name"] == body["name"] for r in stand_in.runners.values()):
                    return self.reply(409, {"message": "Already exists - A runner with the name already exists."})
                runner_id = stand_in.next_id
                stand_in.next_id += 1
                runner = {"id": runner_id, "name": body["name"], "os": "unknown", "status": "offline", "busy": False,
                          "runner_group_id": body["runner_group_id"],
                          "labels": [{"id": i, "name": x, "type": "custom"} for i, x in enumerate(labels, 1)]}
                stand_in.runners[runner_id] = runner
                jit = base64.b64encode(json.dumps({".runner": f"standin-{runner_id}", "secret": os.urandom(8).hex()}).encode()).decode()
                stand_in.last_jit = jit
                return self.reply(201, {"runner": runner, "encoded_jit_config": jit})

            def do_GET(self):
                self.handle_any("GET")

            def do_POST(self):
                self.handle_any("POST")

            def do_DELETE(self):
                self.handle_any("DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------- moto

class Moto:
    def __init__(self, scratch):
        self.port = free_port()
        self.log = open(scratch / "moto.log", "w")
        self.proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise SystemExit(f"moto_server did not start (log: {scratch / 'moto.log'})")
                time.sleep(0.2)
        self.ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=self.url,
                                aws_access_key_id="testing", aws_secret_access_key="testing")
        self.image = self.ec2.describe_images()["Images"][0]["ImageId"]

    def instance(self, instance_id):
        return self.ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


def run_script(t, command, extra=None):
    out = t["scratch"] / f"output-{time.monotonic_ns()}"
    out.touch()
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
           "AWS_REGION": REGION, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing-secret",
           "AWS_SESSION_TOKEN": "testing-session", "SKCI_EC2_ENDPOINT": t["moto"].url,
           "GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": OWNER_REPO, "GITHUB_API_URL": t["github"].url,
           "GITHUB_RUN_ID": "4242", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_OUTPUT": str(out),
           "SKCI_RUNNER_IMAGE_ID": t["moto"].image, "SKCI_RUNNER_POLL_SECONDS": "0.1"}
    env.update(extra or {})
    p = subprocess.run([sys.executable, str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=120)
    outputs = dict(line.split("=", 1) for line in out.read_text().splitlines() if "=" in line)
    return p.returncode, p.stdout + p.stderr, outputs


def no_secret_in(text, t):
    assert TOKEN not in text, "the GitHub token was printed"
    jit = getattr(t["github"], "last_jit", None)
    assert not jit or jit not in text, "the JIT configuration was printed"


# ---------------------------------------------------------------- scenarios

def launch_and_stop(t):
    moto, gh = t["moto"], t["github"]
    code, out, outputs = run_script(t, "launch", {"SKCI_RUNNER_INSTANCE_TYPE": "c7i.large", "SKCI_RUNNER_MAX_LIFETIME": "90",
                                                 "SKCI_RUNNER_EXTRA_LABELS": "big,eu"})
    assert code == 0, out
    no_secret_in(out, t)
    label, instance_id, runner_id = outputs["label"], outputs["instance-id"], outputs["runner-id"]
    assert re.fullmatch(r"skci-4242-1-[0-9a-f]{8}", label), label
    # GitHub: one generate-jitconfig with the documented body and headers, then polls until online.
    post = [r for r in gh.requests if r["method"] == "POST"]
    assert len(post) == 1 and post[0]["body"] == {"name": label, "runner_group_id": 1, "labels": [label, "skci", "big", "eu"],
                                                  "work_folder": "_work"}, post
    headers = post[0]["headers"]
    assert headers["accept"] == "application/vnd.github+json" and headers["x-github-api-version"] == "2022-11-28", headers
    assert gh.polls[int(runner_id)] == 3, gh.polls   # offline twice, then online
    # EC2: the image, the type, IMDSv2 only, terminate on shutdown, tags, the user data.
    inst = moto.instance(instance_id)
    assert inst["ImageId"] == moto.image and inst["InstanceType"] == "c7i.large", inst
    meta = inst["MetadataOptions"]
    assert meta["HttpTokens"] == "required" and meta["HttpEndpoint"] == "enabled" and meta["HttpPutResponseHopLimit"] == 1, meta
    tags = {x["Key"]: x["Value"] for x in inst["Tags"]}
    assert tags == {"Name": label, "skci:managed-by": "skci-ec2-runner", "skci:runner-label": label,
                    "skci:repository": OWNER_REPO, "skci:run-id": "4242"}, tags
    behaviour = moto.ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="instanceInitiatedShutdownBehavior")
    assert behaviour["InstanceInitiatedShutdownBehavior"]["Value"] == "terminate", behaviour
    data = moto.ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData")["UserData"]["Value"]
    assert base64.b64decode(data).decode() == f"SKCI_RUNNER_JITCONFIG={gh.last_jit}\nSKCI_RUNNER_MAX_LIFETIME=90\n"
    volumes = moto.ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [instance_id]}])["Volumes"]
    for v in volumes:
        assert {x["Key"]: x["Value"] for x in v.get("Tags", [])}.get("skci:runner-label") == label, v
    # stop: terminates the instance and removes the runner; a second stop finds the runner gone.
    code, out, _ = run_script(t, "stop", {"SKCI_RUNNER_INSTANCE_ID": instance_id, "SKCI_RUNNER_ID": runner_id})
    assert code == 0, out
    assert moto.instance(instance_id)["State"]["Name"] in ("shutting-down", "terminated")
    assert int(runner_id) not in gh.runners
    code, out, _ = run_script(t, "stop", {"SKCI_RUNNER_INSTANCE_ID": instance_id, "SKCI_RUNNER_ID": runner_id})
    assert code == 0 and "already gone" in out, out
    no_secret_in(out, t)


def not_online_is_cleaned_up(t):
    t["github"].online_after = None
    try:
        code, out, outputs = run_script(t, "launch", {"SKCI_RUNNER_ONLINE_TIMEOUT": "1"})
    finally:
        t["github"].online_after = 2
    assert code == 3 and "was not online after 1s" in out, out
    assert t["moto"].instance(outputs["instance-id"])["State"]["Name"] in ("shutting-down", "terminated")
    assert int(outputs["runner-id"]) not in t["github"].runners, "the runner registration was left behind"


def github_refusal_is_3_and_launches_nothing(t):
    before = len(t["moto"].ec2.describe_instances()["Reservations"])
    t["github"].fail_status = 403
    try:
        code, out, _ = run_script(t, "launch")
    finally:
        t["github"].fail_status = None
    assert code == 3 and "HTTP 403" in out and "Administration: write" in out, out
    assert len(t["moto"].ec2.describe_instances()["Reservations"]) == before, "an instance was started anyway"
    no_secret_in(out, t)


def stop_leaves_foreign_instances_alone(t):
    moto = t["moto"]
    other = moto.ec2.run_instances(ImageId=moto.image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    code, out, _ = run_script(t, "stop", {"SKCI_RUNNER_INSTANCE_ID": other})
    assert code == 2 and "not tagged" in out, out
    assert moto.instance(other)["State"]["Name"] in ("pending", "running")


def bad_input_is_2(t):
    for extra, what in [({"SKCI_RUNNER_IMAGE_ID": "ami-$(touch x)"}, "SKCI_RUNNER_IMAGE_ID"),
                        ({"SKCI_RUNNER_MAX_LIFETIME": "90;reboot"}, "SKCI_RUNNER_MAX_LIFETIME"),
                        ({"SKCI_RUNNER_EXTRA_LABELS": "a b"}, "SKCI_RUNNER_EXTRA_LABELS"),
                        ({"GITHUB_TOKEN": ""}, "GITHUB_TOKEN"),
                        ({"SKCI_RUNNER_SUBNET_ID": "subnet-1\nx"}, "SKCI_RUNNER_SUBNET_ID")]:
        code, out, _ = run_script(t, "launch", extra)
        assert code == 2 and what in out and "Traceback" not in out, (extra, out)
    assert not any(r["method"] == "POST" and r["body"] and "$(" in json.dumps(r["body"]) for r in t["github"].requests)


def signature_matches_botocore(t):
    """moto does not check signatures, so compare ours with botocore's SigV4 signer on one request."""
    import datetime
    import importlib.util
    from unittest import mock
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    spec = importlib.util.spec_from_file_location("ec2_runner", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with mock.patch.dict(os.environ, {"AWS_REGION": REGION, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
                                      "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                      "AWS_SESSION_TOKEN": "session", "SKCI_EC2_ENDPOINT": ""}):
        ec2 = mod.Ec2()
    body = b"Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0"
    request = AWSRequest(method="POST", url=ec2.endpoint, data=body,
                         headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session"), "ec2", REGION).add_auth(request)
    now = datetime.datetime.strptime(request.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    ours = ec2.signed_headers(body, now)
    theirs = request.headers["Authorization"]
    assert ours["authorization"].split("Signature=")[1] == theirs.split("Signature=")[1], (ours["authorization"], theirs)


def actions_under_act(t):
    """actions/launch-runner and actions/stop-runner in one job under act (host mode, offline): the
    inputs arrive as env, the outputs as set-output events, and the instance and runner are cleaned up."""
    import importlib.util
    if not __import__("shutil").which("act"):
        raise AssertionError("act is not on PATH (scripts/stages/install-ci-tools.sh --print-path)")
    spec = importlib.util.spec_from_file_location("test_act", REPO / ".github/tests/test_act.py")
    act = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(act)
    repo = t["scratch"] / "act-repo"
    act.copy_checkout(repo)
    # act names the repository after the origin remote; the stand-in serves octo-org/octo-repo.
    subprocess.run(["git", "-C", str(repo), "remote", "add", "origin", f"https://github.com/{OWNER_REPO}.git"], check=True)
    canary = t["scratch"] / "pwned-act"
    wf = {"name": "runner actions under act", "on": {"workflow_dispatch": {}}, "permissions": {"contents": "read"},
          "jobs": {"runner": {"runs-on": "ubuntu-latest", "steps": [
              {"uses": act.CHECKOUT, "with": {"persist-credentials": False}},
              {"uses": "aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c",
               "with": {"role-to-assume": "arn:aws:iam::123456789012:role/skci-runner", "aws-region": REGION}},
              {"id": "launch", "uses": "./actions/launch-runner",
               "with": {"github-token": "${{ secrets.SKCI_RUNNER_ADMIN_TOKEN }}", "image-id": t["moto"].image,
                        "instance-type": "c7i.large", "max-lifetime": "30", "online-timeout": "60"}},
              {"name": "show", "env": {"LABEL": "${{ steps.launch.outputs.label }}"}, "run": 'echo "label=$LABEL"'},
              {"if": "always()", "uses": "./actions/stop-runner",
               "with": {"github-token": "${{ secrets.SKCI_RUNNER_ADMIN_TOKEN }}",
                        "instance-id": "${{ steps.launch.outputs.instance-id }}",
                        "runner-id": "${{ steps.launch.outputs.runner-id }}"}},
              {"id": "hostile", "continue-on-error": True, "uses": "./actions/launch-runner",
               "with": {"github-token": "${{ secrets.SKCI_RUNNER_ADMIN_TOKEN }}",
                        "image-id": f"ami-1$(touch {canary})", "extra-labels": f"`touch {canary}`;x"}}]}}}
    tt = {"scratch": t["scratch"], "repo": repo}
    run = act.run_act(tt, wf, secrets={"SKCI_RUNNER_ADMIN_TOKEN": TOKEN},
                      env={"SKCI_EC2_ENDPOINT": t["moto"].url, "SKCI_GITHUB_API_URL": t["github"].url,
                           "SKCI_RUNNER_POLL_SECONDS": "0.1"},
                      extra_actions=["actions/launch-runner/action.yml"])
    assert run.job_results() == {"runner": "success"}, run.why()
    outs = run.outputs("launch")
    assert re.fullmatch(r"skci-\d+-1-[0-9a-f]{8}", outs.get("label", "")), (outs, run.why())
    inst = t["moto"].instance(outs["instance-id"])
    assert inst["State"]["Name"] in ("shutting-down", "terminated"), inst["State"]
    assert inst["MetadataOptions"]["HttpTokens"] == "required"
    assert int(outs["runner-id"]) not in t["github"].runners, "stop-runner did not remove the runner"
    assert not canary.exists(), "an input reached a shell"
    assert "SKCI_RUNNER_IMAGE_ID must be an AMI id" in run.raw(), run.why()
    no_secret_in(run.stdout, t)


# ---------------------------------------------------------------- the boot script

class ImdsStandIn:
    """IMDSv2 only: GETs without a session token from PUT /latest/api/token get 401."""

    def __init__(self, user_data):
        self.user_data, self.tokens, self.requests = user_data, set(), []
        imds = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send(self, status, body=b""):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self):
                imds.requests.append(("PUT", self.path))
                if self.path != "/latest/api/token" or not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                    return self.send(400)
                token = os.urandom(8).hex()
                imds.tokens.add(token)
                self.send(200, token.encode())

            def do_GET(self):
                imds.requests.append(("GET", self.path))
                if self.headers.get("X-aws-ec2-metadata-token") not in imds.tokens:
                    return self.send(401)
                if self.path != "/latest/user-data" or imds.user_data is None:
                    return self.send(404)
                self.send(200, imds.user_data.encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def boot(t, user_data):
    """Runs runner-boot.sh with a stand-in agent and shutdown that record how they were called."""
    work = Path(tempfile.mkdtemp(dir=t["scratch"]))
    record = work / "calls"
    (work / "runner").mkdir()
    agent = work / "runner/run.sh"
    agent.write_text(f"""#!/usr/bin/env bash
{{ echo "agent args=$#:$*"; printf 'agent jit-sha256=%s\\n' "$(printf '%s' "${{ACTIONS_RUNNER_INPUT_JITCONFIG:-}}" | sha256sum | cut -c1-64)"; }} >> {record}
""")
    agent.chmod(0o755)
    shutdown = work / "shutdown"
    shutdown.write_text(f'#!/usr/bin/env bash\necho "shutdown $*" >> {record}\n')
    shutdown.chmod(0o755)
    imds = ImdsStandIn(user_data)
    try:
        p = subprocess.run(["bash", str(BOOT)], capture_output=True, text=True, timeout=60,
                           env={"PATH": os.environ["PATH"], "SKCI_IMDS_URL": imds.url, "SKCI_RUNNER_DIR": str(work / "runner"),
                                "SKCI_RUNNER_USER": "", "SKCI_SHUTDOWN": str(shutdown)})
    finally:
        imds.close()
    calls = record.read_text().splitlines() if record.exists() else []
    return p.returncode, p.stdout + p.stderr, calls, imds


def boot_runs_agent_once_then_shuts_down(t):
    jit = base64.b64encode(b'{"secret": "jit-canary-5f3a"}').decode()
    code, out, calls, imds = boot(t, f"SKCI_RUNNER_JITCONFIG={jit}\nSKCI_RUNNER_MAX_LIFETIME=45\n$(touch /tmp/x)=1\n")
    assert code == 0, out
    assert jit not in out and "jit-canary" not in out, "the boot script logged the JIT configuration"
    want = hashlib.sha256(jit.encode()).hexdigest()
    assert calls == ["shutdown -h +45 skci runner: maximum lifetime reached", "agent args=0:",
                     f"agent jit-sha256={want}", "shutdown -h now skci runner: job finished"], calls
    assert imds.requests[0] == ("PUT", "/latest/api/token") and ("GET", "/latest/user-data") in imds.requests


def boot_without_runner_user_data_does_nothing(t):
    for data in (None, "#cloud-config\npackages: []\n"):
        code, out, calls, _ = boot(t, data)
        assert code == 0 and calls == [], (data, out, calls)
        assert "not an ephemeral runner instance" in out, out


def boot_bad_lifetime_falls_back(t):
    code, out, calls, _ = boot(t, "SKCI_RUNNER_JITCONFIG=abc=\nSKCI_RUNNER_MAX_LIFETIME=5;reboot\n")
    assert code == 0 and calls[0] == "shutdown -h +120 skci runner: maximum lifetime reached", (out, calls)


def image_install_checks_the_checksum(t):
    """50-github-runner.sh into a scratch prefix, from a local archive: installed with the right
    sha256, refused (nothing installed) with a wrong one."""
    import tarfile
    work = Path(tempfile.mkdtemp(dir=t["scratch"]))
    (work / "pkg").mkdir()
    (work / "pkg/run.sh").write_text("#!/bin/sh\necho agent\n")
    (work / "pkg/run.sh").chmod(0o755)
    archive = work / "actions-runner.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(work / "pkg/run.sh", arcname="run.sh")
    sha = hashlib.sha256(archive.read_bytes()).hexdigest()

    def install(digest, name):
        prefix = work / name
        env = {"PATH": os.environ["PATH"], "GITHUB_RUNNER_VERSION": "2.328.0", "GITHUB_RUNNER_SHA256": digest,
               "GITHUB_RUNNER_URL": f"file://{archive}", "SKCI_RUNNER_DIR": str(prefix / "actions-runner"),
               "SKCI_RUNNER_USER": "root", "SKCI_PREFIX": str(prefix / "opt-skci"), "SKCI_ETC_DIR": str(prefix / "etc"),
               "SKCI_SRC": str(REPO)}
        p = subprocess.run(["bash", str(REPO / "ami-scripts/50-github-runner.sh")], env=env, capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr, prefix

    code, out, prefix = install(sha, "good")
    assert code == 0, out
    assert (prefix / "actions-runner/run.sh").is_file()
    assert (prefix / "etc/systemd/system/skci-github-runner.service").is_file()
    assert f"github-runner=2.328.0 sha256:{sha}" in (prefix / "opt-skci/share/versions.txt").read_text()
    code, out, prefix = install("0" * 64, "bad")
    assert code != 0 and "sha256" in out, out
    assert not (prefix / "actions-runner/run.sh").exists(), "a runner archive with the wrong checksum was unpacked"


SCENARIOS = [launch_and_stop, not_online_is_cleaned_up, github_refusal_is_3_and_launches_nothing,
             stop_leaves_foreign_instances_alone, bad_input_is_2, signature_matches_botocore, actions_under_act, boot_runs_agent_once_then_shuts_down,
             boot_without_runner_user_data_does_nothing, boot_bad_lifetime_falls_back, image_install_checks_the_checksum]


def main(argv):
    unknown = set(argv) - {s.__name__ for s in SCENARIOS}
    if unknown:
        print(f"test_ec2_runner: no scenario named {', '.join(sorted(unknown))}")
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="skci-ec2-runner-"))
    t = {"scratch": scratch, "moto": Moto(scratch), "github": GitHubStandIn()}
    passed = failed = 0
    try:
        for scenario in [s for s in SCENARIOS if not argv or s.__name__ in argv]:
            start = time.monotonic()
            try:
                scenario(t)
                passed += 1
                print(f"PASS {scenario.__name__} ({time.monotonic() - start:.1f}s)", flush=True)
            except (AssertionError, KeyError) as e:
                failed += 1
                print(f"FAIL {scenario.__name__}: {e!r}"[:3000], flush=True)
    finally:
        t["moto"].close()
        t["github"].close()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
