"""The ``qkernels`` workload: quantum-kernel SVMs on kernel workers (see specs/qkernels.md)."""
