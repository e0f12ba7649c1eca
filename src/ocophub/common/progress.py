"""Progress of long commands, as a bar per stage."""

from typing import Any


class ProgressPrinter:
    """A one-line bar per stage, redrawn in place on a terminal and printed once otherwise."""

    def __init__(self, stdout: Any, width: int = 30) -> None:
        self.stdout = stdout
        self.width = width
        self.tty = hasattr(stdout, "isatty") and stdout.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        filled = int(self.width * done / total) if total else self.width
        line = f"  {stage:<20} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}"
        if self.tty:
            self.stdout.write("\r" + line, ending="\n" if done >= total else "")
            self.stdout.flush()
        elif done >= total:
            self.stdout.write(line)
