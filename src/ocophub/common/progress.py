"""Progress of long commands, as a bar per stage."""

from typing import Any

STEPS = 10  # lines a stage prints when the output is not a terminal (a log, a pipe, CI)


class ProgressPrinter:
    """A one-line bar per stage, redrawn in place on a terminal; elsewhere a line at every tenth of
    the way, so that a log shows a long stage moving, not only its end."""

    def __init__(self, stdout: Any, width: int = 30) -> None:
        self.stdout = stdout
        self.width = width
        self.tty = hasattr(stdout, "isatty") and stdout.isatty()
        self.printed: dict[str, int] = {}  # per stage, the last tenth printed

    def __call__(self, stage: str, done: int, total: int) -> None:
        filled = int(self.width * done / total) if total else self.width
        line = f"  {stage:<20} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}"
        if self.tty:
            self.stdout.write("\r" + line, ending="\n" if done >= total else "")
            self.stdout.flush()
            return
        step = STEPS if done >= total or not total else int(STEPS * done / total)
        if step > self.printed.get(stage, 0) or (done >= total and stage not in self.printed):
            self.printed[stage] = step
            self.stdout.write(line)
            if hasattr(self.stdout, "flush"):
                self.stdout.flush()
        if done >= total:
            self.printed.pop(stage, None)
