#!/usr/bin/env python3
"""Ephemeral self-hosted GitHub Actions runners on EC2 from the skci image, with no AWS CLI, no SDK
and no GitHub CLI: Python 3's standard library only (SigV4-signed EC2 Query API calls, GitHub REST).

    ec2_runner.py launch    start one instance registered as a just-in-time runner; wait until online
    ec2_runner.py stop      terminate that instance and remove its runner registration

Every input is an environment variable (the actions in actions/launch-runner and actions/stop-runner
pass theirs with `env:`; a GitLab job or a shell sets them the same way). Nothing is evaluated by a
shell, and no secret (the GitHub token, the JIT configuration, AWS keys) is printed or put into a
process's arguments.

launch:
  SKCI_RUNNER_IMAGE_ID        the skci image (ami-...)                                   (required)
  SKCI_RUNNER_INSTANCE_TYPE   default c7i.xlarge
  SKCI_RUNNER_SUBNET_ID       optional; SKCI_RUNNER_SECURITY_GROUP_IDS: optional, comma-separated
  SKCI_RUNNER_MAX_LIFETIME    minutes until the instance shuts itself down (= terminates), whatever
                              happens; default 120
  SKCI_RUNNER_ONLINE_TIMEOUT  seconds to wait for the runner to come online; default 300
  SKCI_RUNNER_GROUP_ID        runner group id for generate-jitconfig; default 1 (Default)
  SKCI_RUNNER_EXTRA_LABELS    optional, comma-separated labels besides the unique one and "skci"
  GITHUB_TOKEN                a token that may administer the repository's self-hosted runners
  GITHUB_REPOSITORY, GITHUB_API_URL (default https://api.github.com; SKCI_GITHUB_API_URL wins),
  GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT
  AWS_REGION (or AWS_DEFAULT_REGION), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
  SKCI_EC2_ENDPOINT           optional endpoint URL (tests point it at moto on loopback)
  writes label, instance-id, runner-id to $GITHUB_OUTPUT (or prints them as name=value lines)

stop:
  SKCI_RUNNER_INSTANCE_ID, SKCI_RUNNER_ID (either may be empty: nothing to do for it), plus the
  GitHub and AWS variables above. Terminates only instances tagged skci:managed-by=skci-ec2-runner.

Exit codes: 0 done, 2 invalid input (a variable missing or malformed), 3 environment (AWS or GitHub
refused or did not answer, the runner did not come online; a launch that fails cleans up after itself).
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

MANAGED_BY = "skci-ec2-runner"
EC2_API_VERSION = "2016-11-15"


class Invalid(Exception):
    """Bad input: exit 2."""


class Environment(Exception):
    """AWS or GitHub failed: exit 3."""


def env(name, default=None, required=False):
    value = os.environ.get(name, "")
    if value == "":
        if required:
            raise Invalid(f"{name} is not set; set it in the step's env (see actions/ec2-runner/ec2_runner.py)")
        return default
    if "\n" in value or "\r" in value:
        raise Invalid(f"{name} must be a single line")
    return value


def positive_int(name, default):
    raw = env(name, str(default))
    if not re.fullmatch(r"[1-9][0-9]{0,5}", raw):
        raise Invalid(f"{name} must be a positive whole number, not '{raw}'")
    return int(raw)


# ---------------------------------------------------------------- EC2 (Query API, SigV4)

class Ec2:
    def __init__(self):
        self.region = env("AWS_REGION") or env("AWS_DEFAULT_REGION", required=True)
        if not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d+", self.region):
            raise Invalid(f"AWS_REGION '{self.region}' is not a region name (e.g. eu-west-1)")
        self.key = env("AWS_ACCESS_KEY_ID", required=True)
        self.secret = env("AWS_SECRET_ACCESS_KEY", required=True)
        self.token = env("AWS_SESSION_TOKEN")
        self.endpoint = env("SKCI_EC2_ENDPOINT", f"https://ec2.{self.region}.amazonaws.com/")
        if not self.endpoint.endswith("/"):
            self.endpoint += "/"

    def call(self, action, params):
        body = urllib.parse.urlencode({"Action": action, "Version": EC2_API_VERSION, **params}).encode()
        headers = self.signed_headers(body, datetime.datetime.now(datetime.timezone.utc))
        request = urllib.request.Request(self.endpoint, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return strip_ns(ET.fromstring(r.read()))
        except urllib.error.HTTPError as e:
            doc = e.read().decode(errors="replace")
            code = re.search(r"<Code>(.*?)</Code>", doc)
            message = re.search(r"<Message>(.*?)</Message>", doc)
            raise Environment(f"EC2 {action} failed: HTTP {e.code} {code.group(1) if code else ''} "
                              f"{message.group(1) if message else ''}".rstrip()) from None
        except (urllib.error.URLError, OSError) as e:
            raise Environment(f"EC2 {action}: cannot reach {self.endpoint}: {e}") from None


    def signed_headers(self, body, now):
        """Headers of a POST of body to the endpoint, signed with AWS Signature Version 4."""
        url = urllib.parse.urlsplit(self.endpoint)
        amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        headers = {"content-type": "application/x-www-form-urlencoded; charset=utf-8", "host": url.netloc,
                   "x-amz-date": amz_date}
        if self.token:
            headers["x-amz-security-token"] = self.token
        signed = ";".join(sorted(headers))
        canonical = "\n".join(["POST", url.path or "/", "", *(f"{k}:{headers[k]}" for k in sorted(headers)), "",
                               signed, hashlib.sha256(body).hexdigest()])
        scope = f"{day}/{self.region}/ec2/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        k = f"AWS4{self.secret}".encode()
        for part in (day, self.region, "ec2", "aws4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
        headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={self.key}/{scope}, SignedHeaders={signed}, "
                                    f"Signature={signature}")
        return headers


def strip_ns(root):
    for el in root.iter():
        el.tag = el.tag.split("}", 1)[-1]
    return root


# ---------------------------------------------------------------- GitHub REST

class GitHub:
    def __init__(self):
        self.token = env("GITHUB_TOKEN", required=True)
        self.repo = env("GITHUB_REPOSITORY", required=True)
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", self.repo):
            raise Invalid(f"GITHUB_REPOSITORY must be owner/name, not '{self.repo}'")
        # SKCI_GITHUB_API_URL wins over the runner's own GITHUB_API_URL (tests, proxies).
        self.api = (env("SKCI_GITHUB_API_URL") or env("GITHUB_API_URL", "https://api.github.com")).rstrip("/")

    def call(self, method, path, body=None, ok=(200,)):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.api}/repos/{self.repo}/actions/runners{path}", data=data, method=method,
                                         headers={"Accept": "application/vnd.github+json",
                                                  "Authorization": f"Bearer {self.token}",
                                                  "X-GitHub-Api-Version": "2022-11-28",
                                                  "User-Agent": "skci-ec2-runner",
                                                  **({"Content-Type": "application/json"} if data else {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                status, text = r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode(errors="replace")
        except (urllib.error.URLError, OSError) as e:
            raise Environment(f"GitHub API {method} {path or '/'}: cannot reach {self.api}: {e}") from None
        if status not in ok:
            try:
                message = json.loads(text).get("message", "")
            except ValueError:
                message = text[:200]
            hint = " (the token needs the repository's Administration: write permission)" if status in (401, 403, 404) else ""
            raise Environment(f"GitHub API {method} .../actions/runners{path}: HTTP {status} {message}{hint}")
        return status, (json.loads(text) if text.strip() else None)


# ---------------------------------------------------------------- launch / stop

def user_data(jit_config, lifetime_minutes):
    """What the image's boot script (ami-scripts/runner-boot.sh) reads: name=value lines, never sourced."""
    if not re.fullmatch(r"[A-Za-z0-9+/=]+", jit_config):
        raise Environment("GitHub returned an encoded_jit_config that is not base64")
    text = f"SKCI_RUNNER_JITCONFIG={jit_config}\nSKCI_RUNNER_MAX_LIFETIME={lifetime_minutes}\n"
    return base64.b64encode(text.encode()).decode()


def write_outputs(values):
    out = os.environ.get("GITHUB_OUTPUT")
    lines = "".join(f"{k}={v}\n" for k, v in values.items())
    if out:
        with open(out, "a") as f:
            f.write(lines)
    print(lines, end="")


def launch():
    image = env("SKCI_RUNNER_IMAGE_ID", required=True)
    if not re.fullmatch(r"ami-[0-9a-f]{8,17}", image):
        raise Invalid(f"SKCI_RUNNER_IMAGE_ID must be an AMI id (ami-...), not '{image}'")
    instance_type = env("SKCI_RUNNER_INSTANCE_TYPE", "c7i.xlarge")
    if not re.fullmatch(r"[a-z0-9]+\.[a-z0-9]+", instance_type):
        raise Invalid(f"SKCI_RUNNER_INSTANCE_TYPE '{instance_type}' is not an instance type")
    subnet = env("SKCI_RUNNER_SUBNET_ID")
    groups = [g.strip() for g in (env("SKCI_RUNNER_SECURITY_GROUP_IDS") or "").split(",") if g.strip()]
    for name, value, pattern in [("SKCI_RUNNER_SUBNET_ID", subnet, r"subnet-[0-9a-f]+"),
                                 *(("SKCI_RUNNER_SECURITY_GROUP_IDS", g, r"sg-[0-9a-f]+") for g in groups)]:
        if value and not re.fullmatch(pattern, value):
            raise Invalid(f"{name}: '{value}' is not an id of that kind")
    lifetime = positive_int("SKCI_RUNNER_MAX_LIFETIME", 120)
    online_timeout = positive_int("SKCI_RUNNER_ONLINE_TIMEOUT", 300)
    group_id = positive_int("SKCI_RUNNER_GROUP_ID", 1)
    extra = [x.strip() for x in (env("SKCI_RUNNER_EXTRA_LABELS") or "").split(",") if x.strip()]
    for x in extra:
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", x):
            raise Invalid(f"SKCI_RUNNER_EXTRA_LABELS: '{x}' is not a label (letters, digits, '.', '_', '-')")
    github, ec2 = GitHub(), Ec2()
    run_id = env("GITHUB_RUN_ID", "local")
    attempt = env("GITHUB_RUN_ATTEMPT", "1")
    # Unique: a job that asks for this label can only land on this instance.
    label = f"skci-{run_id}-{attempt}-{secrets.token_hex(4)}"
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", label):
        raise Invalid(f"GITHUB_RUN_ID/GITHUB_RUN_ATTEMPT make an unusable label '{label}'")

    _, jit = github.call("POST", "/generate-jitconfig", {
        "name": label, "runner_group_id": group_id, "labels": [label, "skci", *extra], "work_folder": "_work"},
        ok=(201,))
    runner_id = jit["runner"]["id"]
    print(f"ec2-runner: registered just-in-time runner {label} (id {runner_id})")
    tags = {"Name": label, "skci:managed-by": MANAGED_BY, "skci:runner-label": label,
            "skci:repository": github.repo, "skci:run-id": run_id}
    params = {"ImageId": image, "InstanceType": instance_type, "MinCount": "1", "MaxCount": "1",
              "UserData": user_data(jit["encoded_jit_config"], lifetime),
              "InstanceInitiatedShutdownBehavior": "terminate",
              "MetadataOptions.HttpTokens": "required", "MetadataOptions.HttpEndpoint": "enabled",
              "MetadataOptions.HttpPutResponseHopLimit": "1"}
    if subnet:
        params["SubnetId"] = subnet
    for i, g in enumerate(groups, 1):
        params[f"SecurityGroupId.{i}"] = g
    for n, resource in enumerate(("instance", "volume"), 1):
        params[f"TagSpecification.{n}.ResourceType"] = resource
        for i, (k, v) in enumerate(tags.items(), 1):
            params[f"TagSpecification.{n}.Tag.{i}.Key"] = k
            params[f"TagSpecification.{n}.Tag.{i}.Value"] = v
    try:
        reply = ec2.call("RunInstances", params)
    except Environment:
        delete_runner(github, runner_id)
        raise
    instance_id = reply.find("./instancesSet/item/instanceId").text
    print(f"ec2-runner: started {instance_id} ({instance_type}, {image}); terminates at the latest after {lifetime} min")
    write_outputs({"label": label, "instance-id": instance_id, "runner-id": runner_id})
    try:
        wait_online(github, ec2, runner_id, instance_id, online_timeout)
    except Environment:
        terminate(ec2, instance_id)
        delete_runner(github, runner_id)
        raise
    return 0


def instance_state(ec2, instance_id):
    reply = ec2.call("DescribeInstances", {"InstanceId.1": instance_id})
    state = reply.find("./reservationSet/item/instancesSet/item/instanceState/name")
    return state.text if state is not None else "unknown"


def wait_online(github, ec2, runner_id, instance_id, timeout):
    deadline = time.monotonic() + timeout
    interval = float(os.environ.get("SKCI_RUNNER_POLL_SECONDS") or 5)
    while True:
        _, runner = github.call("GET", f"/{runner_id}")
        if runner.get("status") == "online":
            print(f"ec2-runner: runner {runner.get('name')} is online")
            return
        state = instance_state(ec2, instance_id)
        if state in ("shutting-down", "terminated", "stopping", "stopped"):
            raise Environment(f"instance {instance_id} is {state} before its runner came online")
        if time.monotonic() >= deadline:
            raise Environment(f"runner {runner_id} was not online after {timeout}s (instance {instance_id} is {state}); "
                              "check the instance's console output for skci-github-runner")
        time.sleep(interval)


def terminate(ec2, instance_id):
    reply = ec2.call("DescribeInstances", {"InstanceId.1": instance_id})
    tags = {t.findtext("key"): t.findtext("value") for t in reply.iterfind(".//instancesSet/item/tagSet/item")}
    if tags.get("skci:managed-by") != MANAGED_BY:
        raise Invalid(f"instance {instance_id} is not tagged skci:managed-by={MANAGED_BY}; not terminating it")
    ec2.call("TerminateInstances", {"InstanceId.1": instance_id})
    print(f"ec2-runner: terminating {instance_id}")


def delete_runner(github, runner_id):
    # 404: the ephemeral runner removed itself after its job, which is the normal end.
    status, _ = github.call("DELETE", f"/{runner_id}", ok=(204, 404))
    print(f"ec2-runner: runner {runner_id} {'removed' if status == 204 else 'already gone'}")


def stop():
    instance_id = env("SKCI_RUNNER_INSTANCE_ID")
    runner_id = env("SKCI_RUNNER_ID")
    if instance_id and not re.fullmatch(r"i-[0-9a-f]{8,17}", instance_id):
        raise Invalid(f"SKCI_RUNNER_INSTANCE_ID must be an instance id (i-...), not '{instance_id}'")
    if runner_id and not re.fullmatch(r"[0-9]{1,12}", runner_id):
        raise Invalid(f"SKCI_RUNNER_ID must be a number, not '{runner_id}'")
    if not instance_id and not runner_id:
        print("ec2-runner: nothing to stop (the launch did not get as far as a runner or an instance)")
        return 0
    failures = []
    if instance_id:
        try:
            terminate(Ec2(), instance_id)
        except Environment as e:
            failures.append(str(e))
    if runner_id:
        try:
            delete_runner(GitHub(), runner_id)
        except Environment as e:
            failures.append(str(e))
    if failures:
        raise Environment("; ".join(failures))
    return 0


def main(argv):
    commands = {"launch": launch, "stop": stop}
    if len(argv) != 1 or argv[0] not in commands:
        print("usage: ec2_runner.py launch|stop (inputs are environment variables; see the file's header)", file=sys.stderr)
        return 2
    try:
        return commands[argv[0]]()
    except Invalid as e:
        print(f"ec2-runner: {e}", file=sys.stderr)
        return 2
    except Environment as e:
        print(f"ec2-runner: {e}; retrying may help", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
