// OpenQASM 2: gates outside the IR (u3, ccx, a gate defined here), a barrier, measurements
OPENQASM 2.0;
include "qelib1.inc";
gate entangle a, b { h a; cx a, b; }
qreg q[4];
creg c[4];
u3(0.3, 0.2, 0.1) q[1];
entangle q[0], q[2];
ccx q[0], q[1], q[3];
barrier q;
rz(0.7) q[3];
cu1(0.4) q[1], q[2];
measure q -> c;
