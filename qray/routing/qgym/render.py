"""Frames of a routing episode (matplotlib's Agg canvas: no display; imported lazily)."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np


class Renderer:
    """Draws the connection graph with each physical qubit's logical label; the next gate's
    qubits in red (green when executable), the last SWAP's edge in orange."""

    def __init__(self, graph: nx.Graph, size: tuple[float, float] = (5.0, 5.0)) -> None:
        self.graph = graph
        self.pos = nx.kamada_kawai_layout(graph)
        self.size = size
        self._window: Any = None

    def frame(self, state: Any) -> np.ndarray:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=self.size, dpi=80)
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_axis_off()
        front: set[int] = set()
        if not state.is_done():
            a, b = state.interaction_circuit[state.position]
            front = {int(state.where[a]), int(state.where[b])}
        ready = state.front_executable()
        last = None
        if state.swap_gates_inserted:
            _, la, lb = state.swap_gates_inserted[-1]
            last = {int(state.where[la]), int(state.where[lb])}
        for u, v in self.graph.edges:
            color = "tab:orange" if last == {u, v} else "0.7"
            (x0, y0), (x1, y1) = self.pos[u], self.pos[v]
            ax.plot([x0, x1], [y0, y1], color=color, lw=1 if color == "0.7" else 2, zorder=1)
        xy = np.array([self.pos[p] for p in range(state.num_nodes)])
        colors = ["tab:green" if p in front and ready else "tab:red" if p in front
                  else "tab:blue" for p in range(state.num_nodes)]
        ax.scatter(xy[:, 0], xy[:, 1], s=300, c=colors, zorder=2)
        for p in range(state.num_nodes):
            ax.text(*xy[p], str(int(state.occupant[p])), ha="center", va="center",
                    color="white", fontsize=8, zorder=3)
        ax.set_title(f"step {state.steps_done}  gate {state.position}/"
                     f"{len(state.interaction_circuit)}  swaps {len(state.swap_gates_inserted)}",
                     fontsize=9)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., :3].copy()

    def show(self, frame: np.ndarray) -> None:
        import matplotlib.pyplot as plt  # human mode only: needs a display

        if self._window is None:
            plt.ion()
            fig, ax = plt.subplots()
            ax.set_axis_off()
            self._window = (fig, ax.imshow(frame))
        else:
            self._window[1].set_data(frame)
        self._window[0].canvas.draw_idle()
        plt.pause(0.001)

    def close(self) -> None:
        if self._window is not None:
            import matplotlib.pyplot as plt

            plt.close(self._window[0])
            self._window = None
