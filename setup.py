"""The one compiled module, network/_bucket.pyx (the exact bucket-queue searches of network/kernel.py).

Everything else about the package is in pyproject.toml; ``pip install -e .`` (or ``pip install .``) runs
Cython and the C compiler through the build requirements listed there.
"""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [Extension("coverage_planner.network._bucket", ["coverage/network/_bucket.pyx"])],
        compiler_directives={"language_level": 3},
    )
)
