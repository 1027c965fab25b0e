"""The command line: parse options, run the stages, print what happened."""
