"""The chain rule, written out by hand: the seed's back-propagation cell, made general and correct.

This is the function the Chain-rule page shows; the code on the page is the code that runs.
d<name> means ∂C/∂<name>, with C = mean binary cross-entropy over the N samples (or, with
output_delta=losses.mse_delta, their mean squared error: only δ_L changes).
"""

from .losses import bce_delta


def backward(W, a, y, df, output_delta=bce_delta):
    """∂C/∂W_l, ∂C/∂b_l for every layer, and δ_l = ∂C/∂z_l, from the forward pass's
    activations a. (Its lines fit the Chain rule page, which shows this very source.)

    W[l]: (B, n_in, n_out); a[l]: (B, N, n_in) with a[0] = X; y: (N, 1) or (B, N, 1);
    df: f' of the hidden layers. Indices as in forward(): a[l] feeds layer l, so the
    slide's a_{l-1} is a[l] here.
    """
    L, N = len(W), y.shape[-2]  # layers, samples
    dW, db, delta = [None] * L, [None] * L, [None] * L
    delta[L - 1] = output_delta(a[L], y, N)  # δ_L = ∂C/∂ŷ ⊙ σ'(z_L) = (ŷ − y)/N for BCE
    for l in reversed(range(L)):
        dW[l] = a[l].mT @ delta[l]  # ∂C/∂W_l = a_{l-1}ᵀ δ_l
        db[l] = delta[l].sum(-2, keepdims=True)  # ∂C/∂b_l = Σ_n δ_l
        if l:  # δ_{l-1} = (δ_l W_lᵀ) ⊙ f'(z_{l-1})
            delta[l - 1] = (delta[l] @ W[l].mT) * df(a[l])
    return dW, db, delta
