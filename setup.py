"""Build hook: the wheel carries kbtools/wckb/kb.json, exported from the checked kb/ at build time.

Everything else is declared in pyproject.toml. A kb with an error stops the build with the same
report as `make check`, so a wheel never carries unchecked facts.
"""
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithKb(build_py):
    def run(self):
        super().run()
        out = Path(self.build_lib).resolve() / "kbtools" / "wckb" / "kb.json"
        subprocess.run([sys.executable, "-m", "kbtools.wckb.export", str(out)], cwd=HERE, check=True)


setup(cmdclass={"build_py": BuildWithKb})
