"""The bodies of the CLI's commands, so that ``boardops.cli`` holds only click: options,
arguments and the call. Each function here takes the parsed options, calls the library
and prints through the one view it picks; ``common`` holds what several commands share.
"""
