"""The Python anchor of `bin/bench kernel`: the same operations as the Rust worker
(bench/kernel/src/worker.rs), through the official Python jsii client (the `jsii` package pinned
in bench/requirements.txt), loading the same tarballs from the project's node_modules.

Calls go through `jsii.get` / `jsii.invoke` / `jsii.create` / `jsii.sinvoke` on small
hand-written proxy classes shaped like the ones jsii-pacmak generates (metaclass `JSIIMeta`,
`jsii.member`, `jsii.implements`), so each call pays what a Python CDK app pays in the client.
The generated `if __debug__:` typeguard argument checks are left out: they belong to the
generated bindings, not the client. `get_raw` calls the kernel provider directly
(`jsii.kernel.provider.get`), below the client's value conversion. The client always launches
its own embedded @jsii/runtime through the stdin/stdout wrapper.

Run by the bench parent as `anchor.py --plan FILE --out FILE`; the plan and result are JSON in
the shapes of bench/kernel/src/plan.rs. A cold start re-runs this file as
`anchor.py --cold-start --plan FILE --out FILE`, a fresh process with a fresh kernel.
"""

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
import typing

import jsii
from jsii._kernel.types import GetRequest

now = time.perf_counter_ns


# ---- proxies in the generated shape (constructs 10.8.1, aws-cdk-lib 2.276.0) ------------------


class Node(metaclass=jsii.JSIIMeta, jsii_type="constructs.Node"):
    @property
    @jsii.member(jsii_name="id")
    def id(self) -> str:
        return typing.cast(str, jsii.get(self, "id"))

    @jsii.member(jsii_name="setContext")
    def set_context(self, key: str, value: typing.Any) -> None:
        return typing.cast(None, jsii.invoke(self, "setContext", [key, value]))

    @jsii.member(jsii_name="tryGetContext")
    def try_get_context(self, key: str) -> typing.Any:
        return typing.cast(typing.Any, jsii.invoke(self, "tryGetContext", [key]))

    @jsii.member(jsii_name="addValidation")
    def add_validation(self, validation: "IValidation") -> None:
        return typing.cast(None, jsii.invoke(self, "addValidation", [validation]))

    @jsii.member(jsii_name="validate")
    def validate(self) -> typing.List[str]:
        return typing.cast(typing.List[str], jsii.invoke(self, "validate", []))


class Construct(metaclass=jsii.JSIIMeta, jsii_type="constructs.Construct"):
    def __init__(self, scope: "Construct", id: str) -> None:
        jsii.create(self.__class__, self, [scope, id])

    @property
    @jsii.member(jsii_name="node")
    def node(self) -> Node:
        return typing.cast(Node, jsii.get(self, "node"))


class RootConstruct(Construct, metaclass=jsii.JSIIMeta, jsii_type="constructs.RootConstruct"):
    def __init__(self, id: typing.Optional[str] = None) -> None:
        jsii.create(self.__class__, self, [id])


@jsii.interface(jsii_type="constructs.IValidation")
class IValidation:
    @jsii.member(jsii_name="validate")
    def validate(self) -> typing.List[str]: ...


class Stage(Construct, metaclass=jsii.JSIIMeta, jsii_type="aws-cdk-lib.Stage"):
    pass


class App(Stage, metaclass=jsii.JSIIMeta, jsii_type="aws-cdk-lib.App"):
    def __init__(self, props: typing.Any = None) -> None:
        jsii.create(self.__class__, self, [props])


class Stack(Construct, metaclass=jsii.JSIIMeta, jsii_type="aws-cdk-lib.Stack"):
    def __init__(self, scope: typing.Optional[Construct] = None, id: typing.Optional[str] = None,
                 props: typing.Any = None) -> None:
        jsii.create(self.__class__, self, [scope, id, props])


class Queue(Construct, metaclass=jsii.JSIIMeta, jsii_type="aws-cdk-lib.aws_sqs.Queue"):
    def __init__(self, scope: Construct, id: str, props: typing.Any = None) -> None:
        jsii.create(self.__class__, self, [scope, id, props])


class Duration(metaclass=jsii.JSIIMeta, jsii_type="aws-cdk-lib.Duration"):
    @jsii.member(jsii_name="seconds")
    @classmethod
    def seconds(cls, amount: float) -> "Duration":
        return typing.cast("Duration", jsii.sinvoke(cls, "seconds", [amount]))


@jsii.implements(IValidation)
class NoErrors:
    """A constructs.IValidation implemented in Python that finds nothing wrong."""

    def validate(self) -> typing.List[str]:
        return []


# ---- the workload ------------------------------------------------------------------------------


class Fixture:
    """The objects the measured calls use, created before measuring (as in worker.rs)."""

    def __init__(self, queues_per_stack: int) -> None:
        self.node = RootConstruct("bench").node
        self.node.set_context("stage", "bench")
        self.validated = RootConstruct("validated").node
        self.validated.add_validation(NoErrors())
        # The App finds its output directory in CDK_OUTDIR, set by the parent.
        self.app = App()
        self.stacks = 0
        self.queues = 0
        self.queues_per_stack = queues_per_stack
        self.new_stack()
        # The measured calls answer what they should (checked once, outside the timing).
        answers = (self.node.id, self.node.try_get_context("stage"), self.validated.validate())
        if answers != ("bench", "bench", []):
            raise RuntimeError(f"unexpected answers: {answers!r}")

    def new_stack(self) -> None:
        self.stack = Stack(self.app, f"Bench{self.stacks}")
        self.stacks += 1
        self.queues = 0


def op_get(f: Fixture) -> None:
    f.node.id


def op_get_raw(f: Fixture) -> None:
    jsii.kernel.provider.get(GetRequest(objref=f.node.__jsii_ref__, property="id"))


def op_invoke(f: Fixture) -> None:
    f.node.try_get_context("stage")


def op_callback(f: Fixture) -> None:
    f.validated.validate()


def op_create_small(f: Fixture) -> None:
    RootConstruct("root")


def op_create_queue(f: Fixture) -> None:
    if f.queues == f.queues_per_stack:
        f.new_stack()
    f.queues += 1
    Queue(f.stack, f"Queue{f.queues}")


# Same keys and order as OPS in worker.rs.
OPS = [
    ("get", op_get),
    ("get_raw", op_get_raw),
    ("invoke", op_invoke),
    ("callback", op_callback),
    ("create_small", op_create_small),
    ("create_queue", op_create_queue),
]


def load_packages(packages: typing.List[dict]) -> None:
    for p in packages:
        jsii.load(p["name"], p["version"], p["tarball"])


def block_share(total: int, blocks: int, block: int) -> int:
    blocks = max(blocks, 1)
    return total * (block + 1) // blocks - total * block // blocks


def cold_start(plan: dict) -> dict:
    """Spawn to ready in this fresh process: the first use of the client's kernel starts node
    (extracting the embedded runtime, as every Python CDK app does), then load and one call."""
    t0 = now()
    jsii.kernel.provider._process  # starts the process and checks the hello line
    hello = now() - t0
    t1 = now()
    load_packages(plan["packages"])
    load = now() - t1
    t2 = now()
    Duration.seconds(1)
    first_call = now() - t2
    total = now() - t0
    return {"cold_total": total, "cold_hello": hello, "cold_load": load,
            "cold_first_call": first_call}


def run(plan: dict) -> dict:
    samples: typing.Dict[str, typing.List[int]] = {}
    for _ in range(plan["cold_starts"]):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                [sys.executable, __file__, "--cold-start", "--plan", ARGS.plan, "--out", out.name],
                check=True, stdin=subprocess.DEVNULL,
            )
            with open(out.name) as f:
                for key, ns in json.load(f).items():
                    samples.setdefault(key, []).append(ns)

    load_packages(plan["packages"])
    fixture = Fixture(plan["queues_per_stack"])
    calls = plan["calls"]
    for key, op in OPS:
        for _ in range(min(plan["warmup"], calls.get(key, 0))):
            op(fixture)
    for block in range(plan["blocks"]):
        for key, op in OPS:
            out = samples.setdefault(key, [])
            for _ in range(block_share(calls.get(key, 0), plan["blocks"], block)):
                t = now()
                op(fixture)
                out.append(now() - t)

    return {
        "client": "python",
        "launch": "wrapper",
        "runtime_version": jsii.__jsii_runtime_version__,
        "client_version": f"jsii {jsii.__version__}",
        "host_version": f"Python {platform.python_version()}",
        "packages": plan["packages"],
        "samples": samples,
    }


def main() -> None:
    with open(ARGS.plan) as f:
        plan = json.load(f)
    result = cold_start(plan) if ARGS.cold_start else run(plan)
    with open(ARGS.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--cold-start", action="store_true")
    ARGS = parser.parse_args()
    main()
