"""The quantization-aware LSTM recurrence with its backward pass through time written out.

kws_train.LSTMKws runs its 49 steps through torch's autograd: every fake-quantizer, gate and
product of every step is a node of the graph, and the weights' gradient is summed from 49 small
products. Here the same forward pass runs without a graph, keeping what the backward pass
needs, and the backward pass goes through the steps in reverse with the straight-through rules
of kws_train's quantizers:
  - a grid quantizer (fq_grid, and the gate's output shift) passes the gradient unchanged, clamped
    or not;
  - a quantized sigmoid or tanh passes it through the float function's derivative, taken at the
    float output (sigmoid s: s (1 - s); tanh t: 1 - t^2), as autograd's sigmoid and tanh do;
  - the weight noise, the programming error, the offset-binary sum and the column ADC's rounding
    are constants of the step.
The weights' gradient is then one product over all steps, U^T dZ, with U the steps' [x_t, h_t-1]
rows and dZ their gates' gradients.

The forward values are those of the graph, operation for operation (the same random draws, in
the same order, the same products on the same shapes); the gradients are the same sums in another
order, so they agree to float rounding (tests/firmware/kws_lstm_bptt_check.py). A training with
it therefore takes another path from the first step on: kws_train.py --lstm-bptt fused. Without
gradients (evaluations, teachers) the forward loop alone runs, keeping nothing.
"""
import torch


def _q(x, scale, lo=None, hi=None):
    """The value of kws_train.ste(x, clamp(rhu(x scale), lo, hi) / scale): x + (q - x), which
    need not be q to the last bit. In place on one new tensor (IEEE addition commutes, so
    (q - x) + x is x + (q - x) bit for bit)."""
    t = torch.mul(x, scale).add_(0.5).floor_()
    if lo is not None:
        t.clamp_(lo, hi)
    return t.div_(scale).sub_(x).add_(x)


def _steps(x, wq, qbias, layer, terms, H, fracs, step_noise, keep):
    """The forward pass: (last h, [x_t, h_t-1] rows, the steps' weights' h rows, the steps' gate
    values); keep False keeps none of the three (no backward pass to come)."""
    _, prog, _, K = terms
    k_out, c_frac, tanh_c_frac, k_h = fracs
    B, T, C = x.shape
    w_pass = wq if prog is None else wq + prog[0]  # the weights of every step, without noise per step
    U = x.new_empty(T if keep else 1, B, C + H)   # each step's [x_t, h_t-1], the rows the array reads
    wh, kept = [], []   # per step: the h rows of the weights (noise, error); the gates' values
    h = x.new_zeros(B, H)
    c = x.new_zeros(B, H)
    for t in range(T):
        u = U[t if keep else 0]
        torch.cat([x[:, t], h], 1, out=u)
        if step_noise:
            w = layer.noisy(wq)
            w = w if prog is None else w + prog[0]
        else:
            w = w_pass
        if prog is not None:
            xw = u @ w
            y = xw + prog[1]
        else:
            xw = y = u @ w
        if layer.adc_lsb > 0:
            y = y + layer.adc_error(xw, w, K)
        y = y + qbias
        z = _q(y, 2.0 ** k_out)
        # each gate on its own slice, as LSTMKws does (a whole-row call could take another
        # vector path for some elements, and another last bit)
        si, sf, so = (torch.sigmoid(z[:, k * H:(k + 1) * H]) for k in (0, 1, 3))
        i, f, o = (_q(v, 256, 0, 255) for v in (si, sf, so))
        tg = torch.tanh(z[:, 2 * H:3 * H])
        g = _q(tg, 128, -128, 127)
        c_prev = c
        c = _q(f * c + i * g, 2.0 ** c_frac, -2 ** 31, 2 ** 31 - 1)
        tc = torch.tanh(_q(c, 2.0 ** tanh_c_frac, -256, 255))
        tcq = _q(tc, 128, -128, 127)
        h = _q(o * tcq, 2.0 ** k_h, -128, 127)
        if keep:
            wh.append(w[C:])
            kept.append((si, sf, so, i, f, o, tg, g, c_prev, tc, tcq))
    return h, U, wh, kept


class _Recurrence(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, wq, qbias, layer, terms, hidden, fracs, step_noise):
        """x (B, T, C) input values; wq, qbias the gate matrix's weights and bias on their grids
        (pass_terms()); step_noise: draw the weight noise at each step (else wq carries this
        pass's draw). Returns the last step's h."""
        h, ctx.U, ctx.wh, ctx.keep = _steps(x, wq, qbias, layer, terms, hidden, fracs, step_noise, True)
        ctx.H = hidden
        return h

    @staticmethod
    def backward(ctx, dh):
        U, wh, keep, H = ctx.U, ctx.wh, ctx.keep, ctx.H
        T, B, _ = U.shape
        dZ = U.new_empty(T, B, 4 * H)
        dc = torch.zeros_like(dh)
        for t in range(T - 1, -1, -1):
            si, sf, so, i, f, o, tg, g, c_prev, tc, tcq = keep[t]
            dc = dc + dh * o * (1 - tc * tc)             # h = grid(o tanh(grid(c)))
            dz = dZ[t]                                   # c = grid(f c_prev + i g)
            torch.mul(dc * g, (1 - si) * si, out=dz[:, :H])
            torch.mul(dc * c_prev, (1 - sf) * sf, out=dz[:, H:2 * H])
            torch.mul(dc * i, 1 - tg * tg, out=dz[:, 2 * H:3 * H])
            torch.mul(dh * tcq, (1 - so) * so, out=dz[:, 3 * H:])
            dc = dc * f
            dh = dz @ wh[t].t()
        dZ = dZ.reshape(T * B, 4 * H)
        dw = U.reshape(T * B, -1).t() @ dZ
        ctx.U = ctx.wh = ctx.keep = None
        return None, dw, dZ.sum(0), None, None, None, None, None


def last_h(x, layer, terms, hidden, fracs, step_noise=True):
    """The LSTM's last h over x (B, T, C) for the gate layer (a kws_train.QLinear, quantized) with
    its pass_terms() `terms`; fracs = (gate output exponent, c grid, tanh(c) input grid, h grid);
    step_noise: the layer's weight noise drawn at every step (False: terms carry the pass's draw)."""
    wq, _, qbias, _ = terms
    if not torch.is_grad_enabled():   # an evaluation or a teacher: the same values, nothing kept
        return _steps(x, wq, qbias, layer, terms, hidden, fracs, step_noise, False)[0]
    return _Recurrence.apply(x, wq, qbias, layer, terms, hidden, fracs, step_noise)
