"""The seed notebook's own printed logs, and the configs that train the very nets it printed.

The students have lab08-1 open beside the app; its logs are the numbers they know. Each cell's log is
kept here as it was printed (`step cost` lines), with the cell's cadence and the Config of its net.
The nn cells' nets are drawn by `init="notebook"` (see model._notebook_before): the notebook's printed
2-2-1 run is the second 2-2-1 net drawn after torch.manual_seed(777), its deep run the one after that.
The notebook ran on a GPU; float32 on a CPU follows it to 6 digits at step 0 and within 1 % at every printed
line (tests/test_notebook.py; the largest gap is where the cost falls fastest).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from .config import Config


@dataclass(frozen=True)
class Cell:
    name: str
    config: Optional[Config]  # trains the very net the cell printed; None where nobody can know it
    cadence: tuple  # (dense, until, then): printed when step % dense == 0 and step < until, or step % then == 0
    printed: str  # the cell's output, as printed

    def logged(self, step: int) -> bool:
        dense, until, then = self.cadence
        return (step % dense == 0 and step < until) or step % then == 0

    def log(self) -> list[tuple[int, float]]:
        """[(step, cost), …] as the notebook printed them."""
        return [(int(s), float(c)) for s, c in (line.split() for line in self.printed.split("\n") if line.strip())]


SEED_221 = Config(hidden_layers=1, width=2, init="notebook", backend="autograd")  # the nn cell, In [13]

CELLS = {
    # In [11]: the hand-written chain rule with weights left uninitialised (torch.Tensor(2, 2)) and
    # `learning_rate` never defined. Whatever memory the weights got, nobody can know: no Config trains it.
    "hand-written": Cell("hand-written", None, (100, 2000, 400), """
0 0.6931471824645996
100 0.6931471824645996
200 0.6931471824645996
300 0.6931471824645996
400 0.6931471824645996
500 0.6931471824645996
600 0.6931471228599548
700 0.6931452751159668
800 0.6930633187294006
900 0.6412245035171509
1000 0.2531474232673645
1100 0.03129035234451294
1200 0.016702039167284966
1300 0.01122652180492878
1400 0.008407686837017536
1500 0.006701599806547165
1600 0.0055622230283916
1700 0.004749101586639881
1800 0.0041405013762414455
1900 0.0036683687940239906
2000 0.003291659988462925
2400 0.002328727161511779
2800 0.0017987260362133384
3200 0.001463932334445417
3600 0.001233537564985454
4000 0.0010654086945578456
4400 0.0009373538196086884
4800 0.0008366158581338823
5200 0.0007553243776783347
5600 0.0006883729947730899
6000 0.0006322836852632463
6400 0.0005845638224855065
6800 0.0005435418570414186
7200 0.0005078301182948053
7600 0.0004765183839481324
8000 0.00044881596113555133
8400 0.0004242006689310074
8800 0.00040207590791396797
9200 0.0003821431891992688
"""),
    # In [13]: nn.Linear(2, 2), nn.Linear(2, 1), Sigmoid, BCELoss, SGD(lr=1)
    "2-2-1": Cell("2-2-1", SEED_221, (100, 1000, 500), """
0 0.7126196026802063
100 0.6933621168136597
200 0.6932636499404907
300 0.6932241916656494
400 0.693203866481781
500 0.6931912899017334
600 0.6931823492050171
700 0.6931754350662231
800 0.6931697130203247
900 0.6931648254394531
1000 0.6931604743003845
1500 0.6931399703025818
2000 0.6930841207504272
2500 0.6895962357521057
3000 0.04585985466837883
3500 0.013895433396100998
4000 0.00805296003818512
4500 0.005646144971251488
5000 0.004339577630162239
5500 0.003520903643220663
6000 0.002960511948913336
6500 0.0025531407445669174
7000 0.0022437721490859985
7500 0.0020009279251098633
8000 0.0018052862724289298
8500 0.0016442961059510708
9000 0.0015095683047547936
9500 0.0013951826840639114
10000 0.0012968203518539667
"""),
    # In [14]: four nn.Linear layers 2-10-10-10-1, all sigmoid, BCELoss, SGD(lr=1)
    "2-10-10-10-1": Cell("2-10-10-10-1", replace(SEED_221, hidden_layers=3, width=10), (100, 2000, 500), """
0 0.6937791109085083
100 0.6931153535842896
200 0.6931127309799194
300 0.693109929561615
400 0.6931067705154419
500 0.6931031942367554
600 0.6930992007255554
700 0.6930948495864868
800 0.6930898427963257
900 0.693084180355072
1000 0.693077564239502
1100 0.6930699348449707
1200 0.693061113357544
1300 0.6930506229400635
1400 0.6930381655693054
1500 0.6930232644081116
1600 0.6930047869682312
1700 0.6929820775985718
1800 0.6929532289505005
1900 0.6929158568382263
2000 0.6928662657737732
2500 0.691940188407898
3000 0.5511929988861084
3500 0.002833011094480753
4000 0.0011025737039744854
4500 0.0006645479006692767
5000 0.00046999045298434794
5500 0.00036121075390838087
6000 0.0002922551066149026
6500 0.00024469252093695104
7000 0.0002100691490340978
7500 0.00018377824744675308
8000 0.00016316630353685468
8500 0.00014654890401288867
9000 0.00013292730727698654
9500 0.00012157116725575179
10000 0.00011192896636202931
"""),
}

# What must match for a run to be the notebook's net (steps, backend, device and precision may differ).
_SAME_NET = ("dataset", "hidden_layers", "width", "activation", "init", "lr", "seed", "grad_convention", "features",
             "loss", "optimizer", "momentum", "l2")  # all that shapes the run but its length, backend and device


def cell_of(config: Config) -> Optional[Cell]:
    """The notebook cell whose printed net `config` trains, if any (e.g. the seed-lab presets)."""
    for cell in CELLS.values():
        if cell.config is not None and all(getattr(config, f) == getattr(cell.config, f) for f in _SAME_NET):
            return cell
    return None
