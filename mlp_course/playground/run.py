"""One playground run: the data and the network of a :class:`PlaygroundConfig`, trained in chunks.

No widgets here (importing this module does not import ipywidgets): a run can be built, trained
and inspected in a plain script or a test, exactly as the playground trains it.

- The points come from :func:`mlp_course.experiments.make_split` (xor: its four points, no test part).
- Training is :func:`mlp_course.train`, called once per chunk of epochs (full batch) or once per
  epoch (mini-batches, shuffled with a seed made of (seed, epoch)), so chunking never changes the
  result: a full-batch run equals one ``mc.train`` call epoch for epoch, divergence included.
- Diverged means what :mod:`mlp_course.criteria` says, and ``mc.train`` decides it: every chunk
  passes the untrained network's loss as ``start_loss``, so the test has one reference for the
  whole run. The network shown is then the one from before the epoch that broke it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from ..criteria import DIVERGENCE_FACTOR
from ..datasets import DATASETS
from ..experiments import SPLIT_DATASETS, Split, make_split
from ..network import MLP
from ..training import History, accuracy, train
from .config import N_POINTS, PlaygroundConfig

CHUNK = 200
"""Gradient steps (at least one epoch) between two chances to update the status or be interrupted:
200 full-batch epochs, or one epoch of 200 or more mini-batches. A chunk of the heaviest settings
takes a few tens of milliseconds (``python -m benchmarks playground`` measures it)."""

PlaygroundData = Split
"""The points of a run (an :class:`mlp_course.experiments.Split`; ``X_test``/``y_test`` None when
nothing is held out). The playground's old name for it."""


def make_data(config: PlaygroundConfig) -> Split:
    """The points of ``config``: drawn and split with ``config.seed`` by :func:`make_split`.

    xor is the question's four points, all for training; ``test_fraction`` 0 holds out nothing.

    Returns
    -------
    Split
        ``X_train`` (n_train, 2), ``y_train`` (n_train, 1); ``X_test`` (n_test, 2) and
        ``y_test`` (n_test, 1), or None.
    """
    if config.dataset not in SPLIT_DATASETS:  # fixed points (xor): nothing to draw or to hold out
        X, y = DATASETS[config.dataset]()
        return Split(config.dataset, X, y, None, None)
    return make_split(config.dataset, n=N_POINTS, noise=config.noise, test_fraction=config.test_fraction,
                      seed=config.seed)


def make_network(config: PlaygroundConfig) -> MLP:
    """The untrained network of ``config``: hidden layers of ``units``, sigmoid output."""
    return MLP(config.sizes, config.activation, "sigmoid", init="normal", init_scale=config.init_scale,
               seed=config.seed)


def epoch_seed(seed: int, epoch: int) -> int:
    """The mini-batch shuffling seed of one epoch: independent of how epochs are chunked."""
    return int(np.random.SeedSequence([seed, epoch]).generate_state(1)[0])


class PlaygroundRun:
    """One network being trained with one config: its data, its history, whether it diverged.

    Attributes
    ----------
    config : PlaygroundConfig
    data : Split
    net : MLP
    history : History
        ``loss[i]``/``val_loss[i]``: training/test loss after epoch i (0-based). ``diverged_at``
        (0-based) is set when the run diverged; learners see it counted from 1, see
        :attr:`diverged_epoch`.
    initial_loss : float
        Training loss of the untrained network: what divergence is judged against (``start_loss``
        of every :func:`mlp_course.train` call of the run).
    """

    def __init__(self, config: PlaygroundConfig) -> None:
        self.config = config
        self.data = make_data(config)
        self.net = make_network(config)
        self.initial_loss = self.net.loss(self.data.X_train, self.data.y_train, config.loss)
        self.history = History(loss_name=config.loss, start_loss=self.initial_loss)

    @property
    def epoch(self) -> int:
        """Epochs trained so far."""
        return self.history.epochs

    @property
    def diverged(self) -> bool:
        return self.history.diverged

    @property
    def diverged_epoch(self) -> int | None:
        """The 1-based number of the epoch whose step broke the run (``history.diverged_at + 1``), or None.

        Learners count epochs from 1, like the loss plot's axis; the network shown is the one from
        before that epoch, after ``diverged_epoch - 1`` epochs.
        """
        return self.history.diverged_epoch

    @property
    def chunk_epochs(self) -> int:
        """Epochs per chunk: about :data:`CHUNK` gradient steps, at least one epoch."""
        if self.config.batch_size is None:
            return CHUNK
        steps_per_epoch = math.ceil(len(self.data.X_train) / self.config.batch_size)
        return max(1, CHUNK // steps_per_epoch)

    def steps(self, stop: int) -> Iterator[int]:
        """Train up to epoch ``stop``, one chunk at a time; yield the epoch reached after each chunk."""
        while self.epoch < stop and not self.diverged:
            self._train_until(min(stop, self.epoch + self.chunk_epochs))
            yield self.epoch

    def train_to(self, stop: int) -> None:
        """Train up to epoch ``stop`` (or until divergence) without interruption."""
        for _ in self.steps(stop):
            pass

    def _train_until(self, end: int) -> None:
        """Train from the current epoch to ``end``, or until mc.train finds that the run diverged."""
        start, cfg, data = self.epoch, self.config, self.data
        options = {"lr": cfg.lr, "loss": cfg.loss, "X_val": data.X_test, "y_val": data.y_test,
                   "start_loss": self.initial_loss}
        if cfg.batch_size is None:
            self._append(train(self.net, data.X_train, data.y_train, epochs=end - start, **options))
            return
        for epoch in range(start, end):
            self._append(train(self.net, data.X_train, data.y_train, epochs=1, batch_size=cfg.batch_size,
                               seed=epoch_seed(cfg.seed, epoch), **options))
            if self.history.diverged:
                return

    def _append(self, part: History) -> None:
        h = self.history
        if part.diverged and not h.diverged:
            h.diverged, h.diverged_at = True, h.epochs + part.diverged_at
        h.loss += part.loss
        h.accuracy += part.accuracy
        h.val_loss += part.val_loss
        h.val_accuracy += part.val_accuracy

    def status(self) -> str:
        """One line of plain text: epoch, losses, accuracies, and divergence in words."""
        return status_line(*self.status_parts())

    def page_status(self) -> str:
        """The status as the playground's page shows it: for a diverged run two short lines, the headline
        and "shown: …" (what divergence means is the headline's tooltip); otherwise :meth:`status`."""
        headline, _, shown = self.status_parts()
        return f"{headline}\nshown: {shown}" if headline else shown

    def status_parts(self) -> tuple[str, str, str]:
        """The status in three parts, for a page that shows them apart: ``(headline, why, shown)``.

        ``shown`` is the epoch, losses and accuracies of the network shown; for a diverged run
        ``headline`` says so and what to do, ``why`` what divergence means; both "" otherwise.
        """
        X, y, X_test, y_test = self.data.X_train, self.data.y_train, self.data.X_test, self.data.y_test
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            parts = [f"epoch {self.epoch}" + (" (untrained)" if self.epoch == 0 else ""),
                     f"train loss {_loss_text(self.net.loss(X, y, self.config.loss))}",
                     f"train accuracy {accuracy(self.net, X, y):.0%}"]
            if X_test is not None:
                parts += [f"test loss {_loss_text(self.net.loss(X_test, y_test, self.config.loss))}",
                          f"test accuracy {accuracy(self.net, X_test, y_test):.0%}"]
        line = " · ".join(parts)
        if not self.diverged:
            return "", "", line
        why = f"the loss rose above {DIVERGENCE_FACTOR:g}× its starting value or stopped being a finite number"
        return f"diverged at epoch {self.diverged_epoch} — lower the learning rate", why, line


def status_line(headline: str, why: str, shown: str) -> str:
    """:meth:`PlaygroundRun.status` from its :meth:`~PlaygroundRun.status_parts`, on one line."""
    return f"{headline} ({why}) · shown: {shown}" if headline else shown


def _loss_text(value: float) -> str:
    return f"{value:.4f}" if math.isfinite(value) and value >= 1e-3 else f"{value:.2e}"
