"""Bad-input matrix cases (hostile values): NaN, infinities and 1e309 in float and integer
keys, a malformed override, and one router or map spelled two ways, each refused by
``actors.sweep`` before any work with nothing written."""

from __future__ import annotations

from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"

SIM, NET, QK = CONF / "simulators.yaml", CONF / "netsim_default.yaml", CONF / "qkernels.yaml"
CLOUD, ROUTING = CONF / "cloud_eval.yaml", CONF / "routing_eval.yaml"

CASES: list[tuple[Path, list[str], str, str]] = [
    (SIM, ["noise=[nan]"], "noise[0]", "'nan'"),
    (SIM, ["noise=[.inf]"], "noise[0]", "inf"),
    (SIM, ["noise=[1e309]"], "noise[0]", "inf"),
    (SIM, ["depth=[.nan]"], "depth[0]", "nan"),
    (SIM, ["shots=1e309"], "shots", "inf"),
    (SIM, ["actor.memory_budget_mb=.nan"], "actor.memory_budget_mb", "nan"),
    (SIM, ["shots=[1,"], "override", "shots=[1,"),
    (NET, ["scale=.nan"], "scale", "nan"),
    (QK, ["svm_c=.nan"], "svm_c", "nan"),
    (QK, ["seed=-1"], "seed", "0..4294967295"),
    (QK, ["seed=4294967296"], "seed", "0..4294967295"),
    (QK, ["scale=1e309"], "scale", "inf"),
    (QK, ["qcnn.lr=.inf"], "qcnn.lr", "inf"),
    (CLOUD, ["env.tasks.rate=.inf"], "env.tasks.rate", "inf"),
    (CLOUD, ["env.tasks.rate=.nan"], "env.tasks.rate", "nan"),
    (ROUTING, ["sizes=[1e309]"], "sizes[0]", "inf"),
    (ROUTING, ["routers=[sabre-4,sabre-04]"], "routers[1]", "spelled another way"),
    (ROUTING, ["maps=[grid-5x5,grid-05x5]"], "maps[1]", "spelled another way"),
    (ROUTING, ["maps=[heavy-hex-3,heavy-hex-19]"], "maps[1]", "both are 'heavy-hex-19'"),
    (SIM, ["output_dir=/proc/qray-out"], "output_dir", "virtual file system 'proc'"),
    (SIM, ["output_dir=/sys/qray-out"], "output_dir", "virtual file system 'sysfs'"),
]
