"""The Ray engine of `reconcile batch --engine ray`: the comparisons spread over a pool of Ray actors.

    result = run_batch(config, engine=RayEngine(address=None, workers=2))

run_batch does everything else as with the local engine (resume, the summary, atomic writes, the
database): this module only turns the jobs into reports. The driver (the process that runs
run_batch) encodes every sentence of the jobs' inputs in one pass, as the local engine does, and puts
one snapshot of those vectors and token embeddings into Ray's object store; each worker (an actor,
one CPU) reads it there, so a source shared by many comparisons is encoded once for the whole run,
not once per worker. A worker loads the model itself only for a text the snapshot lacks (a quotation
matched against a stretch of a source), and WordNet, the opposites and the judge once, on first use.
Reports come back to the driver, which renders and writes them in config order.

Ray is an optional extra (``pip install 'reconcile[ray]'``) and imported only here, only when used.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

from .batch import Job
from .compare import compare
from .embed import DEFAULT_MODEL, Embedder, EmbeddingSnapshot, MemoEmbedder, SentenceTransformerEmbedder
from .errors import ReconcileError, UsageError
from .memo import memo_scope
from .report import Report
from .resources import Resources
from .segment import segment
from .settings import Settings

INSTALL_HINT = "the ray engine needs Ray; install it with: pip install 'reconcile[ray]' (or run without --engine ray)"
# Each worker keeps this many comparisons queued, so it never waits for the driver between two.
IN_FLIGHT = 2
# What a worker must see as the driver does: the fixed report time of a reproducible run, no hub.
FORWARDED_ENV = ("SOURCE_DATE_EPOCH", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    return ray


@dataclass(frozen=True)
class WorkerEmbedder:
    """How a worker makes its embedder: the driver's model by id, or (a custom embedder) a copy of it."""

    model_id: str
    precision: str
    custom: Embedder | None = None

    def make(self) -> Embedder:
        if self.custom is not None:
            return MemoEmbedder(self.custom)
        # No disk cache on a worker: the driver's cache already gave the snapshot, and many processes
        # writing one SQLite file would wait on each other's locks.
        return SentenceTransformerEmbedder(self.model_id, precision=self.precision)


def worker_embedder(embedder: Embedder) -> WorkerEmbedder:
    """What the workers need to make an embedder like the run's (a model is named, not shipped)."""
    inner = embedder.inner if isinstance(embedder, MemoEmbedder) else embedder
    precision = str(getattr(embedder, "precision", "fp32"))
    if isinstance(inner, SentenceTransformerEmbedder):
        model = DEFAULT_MODEL if inner.model_id == DEFAULT_MODEL else str(inner.path)
        return WorkerEmbedder(model, precision)
    return WorkerEmbedder(embedder.model_id, precision, custom=inner)


def snapshot(embedder: Embedder, jobs: Sequence[Job]) -> EmbeddingSnapshot:
    """Every sentence of the jobs' inputs encoded once (in one call, as run_batch's up-front pass) and packed."""
    texts: dict[str, None] = {}
    seen: set[str] = set()
    for job in jobs:
        for document in (job.outlet, *job.sources):
            if document.text not in seen:
                seen.add(document.text)
                texts.update(dict.fromkeys(s.text for s in segment(document.text).sentences))
    wanted = list(texts)
    if wanted:
        embedder.encode(wanted)  # already done by run_batch's up-front pass unless --resume
    export = getattr(embedder, "export", None)
    if export is None:  # an embedder that keeps nothing: its vectors, no token embeddings
        vectors = embedder.encode(wanted)
        return EmbeddingSnapshot.pack(embedder.model_id, dict(zip(wanted, vectors, strict=True)), {})
    packed: EmbeddingSnapshot = export(wanted)
    return packed


class _Worker:
    """One Ray actor: an embedder seeded from the shared snapshot, the Resources, one comparison at a time."""

    def __init__(self, spec: WorkerEmbedder, shared: EmbeddingSnapshot, env: dict[str, str]) -> None:
        os.environ.update(env)
        self._embedder = spec.make()
        preload = getattr(self._embedder, "preload", None)
        if preload is not None:
            # The arrays are views of the object store's copy on this machine: nothing is copied per worker.
            preload(shared)
        self._resources: Resources | None = None

    def run(self, job: Job, settings: Settings) -> Report | ReconcileError:
        if self._resources is None:
            self._resources = Resources.load()
        try:
            with memo_scope():
                return compare(
                    job.outlet, list(job.sources), embedder=self._embedder, settings=settings, resources=self._resources
                )
        except ReconcileError as exc:  # the driver records it (or, a ModelError, stops the run)
            return exc


class RayEngine:
    """Runs a batch's comparisons on a Ray cluster: ``address`` joins one, None starts a local one for the run.

    ``workers``: actors in the pool (default: one per CPU of the cluster); ``num_cpus`` and
    ``object_store_memory`` size a cluster started here (default: Ray's own choice).
    """

    def __init__(
        self,
        *,
        address: str | None = None,
        workers: int | None = None,
        num_cpus: int | None = None,
        object_store_memory: int | None = None,
    ) -> None:
        _ray()  # fail at once, with the fix, when Ray is not installed
        if workers is not None and workers < 1:
            raise UsageError(f"--workers {workers}: give at least 1")
        self.address = address
        self.workers = workers
        self.num_cpus = num_cpus
        self.object_store_memory = object_store_memory
        self.snapshot_bytes = 0  # the size of the last run's shared snapshot, for the benchmark

    def __call__(
        self, jobs: Sequence[Job], *, embedder: Embedder, settings: Settings, resources: Callable[[], Resources]
    ) -> Generator[Report | ReconcileError, None, None]:
        if not jobs:
            return  # everything resumed or failed to read: no cluster needed
        ray = _ray()
        shared = snapshot(embedder, jobs)  # before the workers start: the driver's model has the cores
        self.snapshot_bytes = shared.nbytes
        started = self._connect(ray)
        try:
            yield from self._dispatch(ray, jobs, shared, worker_embedder(embedder), settings)
        finally:
            if started:
                ray.shutdown()

    def _connect(self, ray: Any) -> bool:
        """Join the cluster (True when this call started it, so the run shuts it down)."""
        if ray.is_initialized():
            return False  # a caller's own ray.init() (the tests, a notebook): theirs to shut down
        options: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
        if self.address is None:
            options.update(
                include_dashboard=False, num_cpus=self.num_cpus, object_store_memory=self.object_store_memory
            )
        try:
            ray.init(address=self.address, **options)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = self.address or "a local cluster"
            raise UsageError(
                f"cannot start Ray on {where} ({exc}); check --address (ray start --head prints it)"
            ) from None
        return True

    def _dispatch(
        self, ray: Any, jobs: Sequence[Job], shared: EmbeddingSnapshot, spec: WorkerEmbedder, settings: Settings
    ) -> Generator[Report | ReconcileError, None, None]:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        if self.workers is not None and self.workers > cpus:
            # Each worker takes one CPU: more than the cluster has would wait for ever.
            raise UsageError(
                f"--workers {self.workers}: the Ray cluster has {cpus} CPUs; give at most {cpus} or add machines"
            )
        count = max(1, min(self.workers or cpus, len(jobs)))
        env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
        shared_ref = ray.put(shared)  # once: every worker reads this one copy
        settings_ref = ray.put(settings)
        actor = ray.remote(num_cpus=1)(_Worker)
        pool = [actor.remote(spec, shared_ref, env) for _ in range(count)]
        queue = list(enumerate(jobs))[::-1]
        running: dict[Any, tuple[int, Any]] = {}
        done: dict[int, Report | ReconcileError] = {}

        def submit(worker: Any) -> None:
            if queue:
                index, job = queue.pop()
                running[worker.run.remote(job, settings_ref)] = (index, worker)

        try:
            for worker in pool:
                for _ in range(IN_FLIGHT):
                    submit(worker)
            # Results are yielded in job order; a worker gets its next job as soon as one of its own returns.
            for index in range(len(jobs)):
                while index not in done:
                    ready, _ = ray.wait(list(running), num_returns=1)
                    for ref in ready:
                        finished, worker = running.pop(ref)
                        done[finished] = ray.get(ref)
                        submit(worker)
                yield done.pop(index)
        finally:
            for worker in pool:
                ray.kill(worker)
