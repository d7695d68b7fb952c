"""Helpers shared by several test files, written once: hypothesis settings,
float64 variables, the shape-value-gradient check, small NumPy references,
and running jobs in threads. (Hypothesis strategies are in strategies.py.)"""

import threading


def in_threads(*jobs):
    """Run each job in its own thread, all at once, and wait for them all."""
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
