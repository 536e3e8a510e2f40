// OpenQASM 3: stdgates.inc gates outside the IR (crx, U, ch), one register, measurements
OPENQASM 3.0;
include "stdgates.inc";
qubit[3] q;
bit[3] c;
h q[0];
crx(0.4) q[0], q[1];
U(0.1, 0.2, 0.3) q[2];
ch q[1], q[2];
sx q[0];
c = measure q;
