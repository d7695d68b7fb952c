"""Run every benchmark in bench/ (each prints its own table)."""

import pathlib
import subprocess
import sys

here = pathlib.Path(__file__).parent
for script in sorted(here.glob("bench_*.py")):
    print(f"\n===== {script.name} =====", flush=True)
    subprocess.run([sys.executable, str(script)], check=True)
