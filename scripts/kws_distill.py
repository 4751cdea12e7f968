"""Teacher-student distillation for kws_train.py (--teacher DIR[,DIR...] --distill W [--distill-temp T]).

The teachers are earlier training runs (their model.pt float weights and model.json descriptor),
run fake-quantized without weight noise: what their integer models compute (the exported integer
model agrees with the fake-quantized one on every clip, docs/kws.md). Their softened posteriors,
averaged over the teachers, are the target of the student's softened posterior on the same
augmented batch; the student's loss gains W x T^2 x KL(p_teacher || p_student) (Hinton et al.
2015: the T^2 keeps the gradient's scale independent of T). A teacher must read the student's
input: same Mel band, dither, floor, CMN, cepstra and input offsets, or it is refused.
"""
import json
import os
import pickle

import torch
import torch.nn.functional as F


class TeacherError(Exception):
    pass


# descriptor fields that fix what the model reads; a teacher must agree with the student on all
INPUT_FIELDS = ("mel_band_hz", "dither", "log_floor_rel_q7", "noise_floor_rel_q7", "num_ceps", "num_frames",
                "in_shift", "in_frac", "cmn", "in_offset_q7", "cvn")


def load_teachers(dirs, student_desc, build):
    """The teacher models of `dirs`, in eval mode, fake-quantized without noise.
    student_desc: the input fields the student reads (INPUT_FIELDS); build(kind, state_dict, desc)
    makes the torch model of a descriptor (kws_train.model_from_state)."""
    teachers = []
    for d in dirs:
        paths = [os.path.join(d, f) for f in ("model.json", "model.pt")]
        for p in paths:
            if not os.path.exists(p):
                raise TeacherError("%s: missing (a teacher is an earlier kws_train.py --out directory)" % p)
        try:
            with open(paths[0]) as f:
                desc = json.load(f)
        except (OSError, ValueError) as e:
            raise TeacherError("%s: %s" % (paths[0], e))
        for k in INPUT_FIELDS:
            if desc.get(k) != student_desc.get(k):
                raise TeacherError("%s: %s is %s, the student reads %s: the teacher would see other input"
                                   % (paths[0], k, _short(desc.get(k)), _short(student_desc.get(k))))
        try:
            state = torch.load(paths[1])
        except (OSError, RuntimeError, EOFError, pickle.UnpicklingError) as e:
            raise TeacherError("%s: not a saved state dict: %s" % (paths[1], str(e).splitlines()[0] if str(e) else type(e).__name__))
        try:
            model = build(desc.get("type"), state, desc)
        except (RuntimeError, KeyError, ValueError, TypeError, AttributeError) as e:
            raise TeacherError("%s: does not load as the %s its model.json describes: %s"
                               % (paths[1], desc.get("type"), str(e).splitlines()[0]))
        model.eval()
        teachers.append(model)
    return teachers


def _short(v):
    s = json.dumps(v)
    return s if len(s) < 40 else s[:37] + "..."


def teacher_probs(teachers, x, temp):
    """The teachers' posteriors at temperature `temp` on input x (as the student gets it), averaged."""
    with torch.no_grad():
        return torch.stack([F.softmax(t(x) / temp, 1) for t in teachers]).mean(0)


def distill_loss(out, target, temp):
    """T^2 x KL(target || softmax(out / T)), averaged over the batch."""
    return temp * temp * F.kl_div(F.log_softmax(out / temp, 1), target, reduction="batchmean")
