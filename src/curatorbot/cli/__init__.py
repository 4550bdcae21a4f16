"""The command line: parse, load config, build adapters, call one core function, print, exit."""
