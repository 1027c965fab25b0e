"""Exit codes and the errors several stages raise, in one place so no stage imports another for them."""

EXIT_OK = 0           # done, or nothing to do
EXIT_FAILED = 1       # a slide failed to render or export; the others were published
EXIT_INPUT = 2        # the script, a take or the command line is wrong: fix the named line
EXIT_MISSING = 3      # a program or package is missing, or not allowed to install it
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad command-line use; exit 2."""


class MediaError(Exception):
    """A video that is missing, unreadable, or does not match what was expected."""
