#!/usr/bin/env python3
"""Prints a TCP port that is free on 127.0.0.1 (scripts/blackbox.sh starts pulse on it)."""
from cluster import free_port

print(free_port())
