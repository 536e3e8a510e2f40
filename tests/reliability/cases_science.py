"""Bad-input matrix cases (science): (config, overrides, key named, fragment of the message),
each refused by ``actors.sweep`` before any work with nothing written."""

from __future__ import annotations

from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"

SIM, QK = CONF / "simulators.yaml", CONF / "qkernels.yaml"
NET, NET2 = CONF / "netsim_default.yaml", CONF / "netsim_paper2.yaml"
NET7, NET8, NET12 = (CONF / "netsim_paper7.yaml", CONF / "netsim_paper8.yaml",
                     CONF / "netsim_paper12.yaml")
HUGE = "100000000000000000000"  # 1e20 as an integer

CASES: list[tuple[Path, list[str], str, str]] = [
    # netsim: topology sizes, refused before any graph is built
    (NET7, ["models.paper7.n_nodes=100000000"], "models.paper7.n_nodes", "2..100,000"),
    (NET7, ["models.paper7.m=1000"], "models.paper7.m", "1..50"),
    (NET7, ["models.paper7.n_isps=1000"], "models.paper7.n_isps", "2..10"),
    (NET7, ["models.paper7.k=100"], "models.paper7.k", "at most 64 paths"),
    (NET7, [f"models.paper7.total_qubits={HUGE}"], "models.paper7.total_qubits", "1..10,000"),
    (NET2, ["models.paper2.n_nodes=1000000"], "models.paper2.n_nodes", "2..100"),
    (NET2, ["models.paper2.n_paths=100000"], "models.paper2.n_paths", "1..64"),
    (NET2, ["models.paper2.side_km=1e308"], "models.paper2.side_km", "1e+308"),
    (NET2, ["models.paper2_port.t2_s=1e308"], "models.paper2_port.t2_s", "1e+308"),
    # netsim paper2 (the authors' model): every key of models.paper2 and UCBPaper2's gamma
    (NET2, ["models.paper2.topology=ring"], "models.paper2.topology", "fixed or random"),
    (NET2, ["models.paper2.n_nodes=16"], "models.paper2.n_nodes", "15 with topology: fixed"),
    (NET2, ["models.paper2.source=0"], "models.paper2.source", "1..15"),
    (NET2, ["models.paper2.target=99"], "models.paper2.target", "1..15"),
    (NET2, ["models.paper2.p_bsm=1.5"], "models.paper2.p_bsm", "[0, 1]"),
    (NET2, ["models.paper2.p_gate=-0.1"], "models.paper2.p_gate", "[0, 1]"),
    (NET2, ["models.paper2.p_init=2"], "models.paper2.p_init", "[0, 1]"),
    (NET2, ["models.paper2.refractive_index=0.5"], "models.paper2.refractive_index", "[1, 10]"),
    (NET2, ["models.paper2.attenuation_db_per_km=1e308"], "models.paper2.attenuation_db_per_km",
     "1e+308"),
    (NET2, ["models.paper2.dephasing_rate=1e308"], "models.paper2.dephasing_rate", "1e+308"),
    (NET2, ["models.paper2.t_bsm_s=1e308"], "models.paper2.t_bsm_s", "1e+308"),
    (NET2, ["models.paper2.t_d_s=-1"], "models.paper2.t_d_s", "-1"),
    (NET2, ["models.paper2.min_path_fidelity=0.99"], "models.paper2.min_path_fidelity",
     "no path"),
    (NET2, ["models.paper2.max_edge_km=1"], "models.paper2.target", "no path"),
    (NET2, ["models.paper2.topology=random", "models.paper2.n_nodes=1000"],
     "models.paper2.n_nodes", "2..100"),
    (NET2, ["learners=[UCBPaper2]", "learner_params.UCBPaper2.gamma=-1"],
     "learner_params.UCBPaper2.gamma", "-1"),
    (NET2, ["learners=[UCBPaper2]", "learner_params.UCBPaper2.gamma=[]"],
     "learner_params.UCBPaper2.gamma", "1..1,000 values"),
    (NET2, ["learners=[UCBPaper2]", "learner_params.UCBPaper2.gamma=[1,x]"],
     "learner_params.UCBPaper2.gamma", "x"),
    (NET8, ["models.paper8.n_nodes=100000"], "models.paper8.n_nodes", "2..500"),
    (NET12, ["models.paper12.n_nodes=100000"], "models.paper12.n_nodes", "2..1,000"),
    (NET12, ["models.paper12.distance_scale=1e308"], "models.paper12.distance_scale",
     "1e+308"),
    (NET, [f"models.default.attempts={HUGE}"], "models.default.attempts",
     "1..1,000,000,000"),
    # netsim: the sweep's own numbers
    (NET, ["horizons=[100000000]"], "horizons[0]", "1..1,000,000"),
    (NET, ["runs=1000000000"], "runs", "1..1,000"),
    (NET, [f"epoch={HUGE}"], "epoch", "1..1,000,000"),
    (NET, ["scale=1e308"], "scale", "1e+308"),
    (NET, [f"topology_seed={HUGE}"], "topology_seed", "0..4,294,967,295"),
    (NET, ["replicas=1000000"], "replicas", "1..256"),
    (NET, [f"scenario_params.adaptive.window={HUGE}"], "scenario_params.adaptive.window",
     "1..1,000,000"),
    (NET, ["learner_params.EXPNeuralUCB.width=100000000"], "learner_params.EXPNeuralUCB.width",
     "1..1,024"),
    (NET, ["learner_params.EXPNeuralUCB.width=1024", "learner_params.EXPNeuralUCB.sigma=full"],
     "learner_params.EXPNeuralUCB.width", "too wide"),
    (NET, ["horizons=[1000000]", "scale=10"], "scale", "replay buffer"),
    (NET, ["learner_params.EXPUCB.eta=1e308"], "learner_params.EXPUCB.eta", "1e+308"),
    (NET, ["allocator_params.Dynamic.power=1e308"], "allocator_params.Dynamic.power",
     "1e+308"),
    # qkernels
    (QK, ["dataset=classification", "n_classes=10", "n_samples=20"], "n_samples",
     "at least 50 samples for folds=5 and 10 classes"),
    (QK, ["classes=[0,1]", "n_samples=20", "folds=15"], "n_samples", "at least 30 samples"),
    (QK, ["scale=1e308"], "scale", "1e+308"),
    (QK, ["svm_c=1e308"], "svm_c", "1e+308"),
    (QK, [f"n_samples={HUGE}"], "n_samples", "1797"),
    (QK, ["dataset=classification", f"n_samples={HUGE}"], "n_samples", "200,000"),
    (QK, ["dataset=classification", "n_samples=200000", "backends=[numpy]"], "n_samples",
     "Gram matrices"),
    (QK, ["qcnn.epochs=1000000000"], "qcnn.epochs", "1..1,000"),
    (QK, [f"qcnn.batch_size={HUGE}"], "qcnn.batch_size", "1..65,536"),
    (QK, ["qcnn.lr=1e308"], "qcnn.lr", "1e+308"),
    # simulators
    (SIM, ["timeout_s=1e308"], "timeout_s", "604800"),
    (SIM, [f"shots={HUGE}"], "shots", "1..1,000,000"),
    (SIM, ["depth=[1000000000]"], "depth[0]", "1..1000"),
    (SIM, ["repetitions=1000000000"], "repetitions", "1..100,000"),
    (SIM, [f"warmup={HUGE}"], "warmup", "0..100"),
    (SIM, ["n_qubits=[64]"], "n_qubits[0]", "1..63"),
    (SIM, ["depth={start: 1, stop: 1000}", "n_qubits={start: 1, stop: 63}", "repetitions=100"],
     "depth", "too large a grid"),
]
