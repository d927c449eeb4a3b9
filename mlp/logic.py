"""What a trained unit computes on the truth table's four points, named as one of the 16 logic functions.

A unit's value at (x₁, x₂) = (0,0), (0,1), (1,0), (1,1), rounded at ½, is a 4-bit truth table; each table
is one of 16 functions of two inputs (OR, NAND, "x₁ AND NOT x₂", …). For the seed's 2-2-1 net that names
what each hidden unit learned and what the output does with them, from the trained weights, not by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import CORNERS
from .model import ACTIVATIONS, forward, sigmoid

# truth table (values at 00, 01, 10, 11, as a string of 0/1) → the function, with {a} and {b} its inputs
FUNCTIONS = {
    "0000": "0", "0001": "{a} AND {b}", "0010": "{a} AND NOT {b}", "0011": "{a}",
    "0100": "{b} AND NOT {a}", "0101": "{b}", "0110": "{a} XOR {b}", "0111": "{a} OR {b}",
    "1000": "NOR({a}, {b})", "1001": "{a} XNOR {b}", "1010": "NOT {b}", "1011": "{a} OR NOT {b}",
    "1100": "NOT {a}", "1101": "{b} OR NOT {a}", "1110": "NAND({a}, {b})", "1111": "1",
}


def table(values) -> str:
    """'0110' from a unit's four values at (0,0), (0,1), (1,0), (1,1), each rounded at ½."""
    return "".join("1" if v > 0.5 else "0" for v in np.asarray(values, dtype=np.float64).ravel())


def name(bits: str, a: str = "x₁", b: str = "x₂") -> str:
    """The function a truth table stands for, written with the inputs' names: name('0111') = 'x₁ OR x₂'."""
    return FUNCTIONS[bits].format(a=a, b=b)


@dataclass(frozen=True)
class HiddenLogic:
    """A net with one hidden layer of two units, on the four points of the truth tables."""

    hidden: np.ndarray  # (4, 2): each hidden unit's value at the four points
    output: np.ndarray  # (4,): ŷ at the four points
    hidden_tables: tuple  # each hidden unit's truth table, e.g. ("0100", "0010")
    output_of_hidden: str  # the output's table over (h₁, h₂) = (0,0), (0,1), (1,0), (1,1)
    output_table: str  # the whole net's table over (x₁, x₂)

    def names(self) -> dict:
        """The sentence's parts: each hidden unit over x₁, x₂; the output over h₁, h₂; the net over x₁, x₂."""
        return {"units": [name(bits) for bits in self.hidden_tables],
                "output": name(self.output_of_hidden, "h₁", "h₂"), "net": name(self.output_table)}


def hidden_logic(W, b, activation: str) -> HiddenLogic:
    """What the hidden units and the output of a 2-2-1 net (W, b as Run.params_at gives them) compute."""
    if len(W) != 2 or W[0].shape[-2:] != (2, 2):
        raise ValueError("hidden_logic names the units of a 2-2-1 net (one hidden layer of two units, inputs x₁, x₂)")
    _, a = forward(W, b, CORNERS, ACTIVATIONS[activation].f)
    hidden, output = a[1][0], a[2][0, :, 0]
    # the output layer alone, fed the four corners of (h₁, h₂): what it does with the hidden units
    of_hidden = sigmoid(CORNERS @ W[1][0] + b[1][0])[:, 0]
    return HiddenLogic(hidden, output, tuple(table(hidden[:, j]) for j in range(2)), table(of_hidden), table(output))
