"""The command-line interface (click). Thin: parse, call one library function, write output."""
