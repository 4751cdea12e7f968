"""Teacher-student distillation for kws_train.py (--teacher DIR[,DIR...] --distill W [--distill-temp T]).

The teachers are earlier training runs (their model.pt float weights and model.json descriptor),
run fake-quantized without weight noise: what their integer models compute (the exported integer
model agrees with the fake-quantized one on every clip, docs/kws.md). A directory without a
model.pt, such as a committed models/kws-<m>, teaches through its exported integer weights
(kws_train.model_from_export), which give the same model. Their softened posteriors,
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


def load_teachers(dirs, student_desc, build, build_export=None):
    """The teacher models of `dirs`, in eval mode, fake-quantized without noise.
    student_desc: the input fields the student reads (INPUT_FIELDS); build(kind, state_dict, desc)
    makes the torch model of a descriptor (kws_train.model_from_state); build_export(kind, desc,
    dir) makes it from the exported integer weights (kws_train.model_from_export), used where a
    directory has no model.pt."""
    teachers = []
    for d in dirs:
        paths = [os.path.join(d, f) for f in ("model.json", "model.pt")]
        if not os.path.exists(paths[0]):
            raise TeacherError("%s: missing (a teacher is an earlier kws_train.py --out directory)" % paths[0])
        try:
            with open(paths[0]) as f:
                desc = json.load(f)
        except (OSError, ValueError) as e:
            raise TeacherError("%s: %s" % (paths[0], e))
        for k in INPUT_FIELDS:
            if desc.get(k) != student_desc.get(k):
                raise TeacherError("%s: %s is %s, the student reads %s: the teacher would see other input"
                                   % (paths[0], k, _short(desc.get(k)), _short(student_desc.get(k))))
        if not os.path.exists(paths[1]):
            teachers.append(_from_export(d, desc, build_export, paths[1]))
            continue
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


def _from_export(d, desc, build_export, pt):
    """The teacher of a directory without model.pt, from its exported layers, or TeacherError."""
    names = [L.get("name") for L in desc.get("layers", [])] if isinstance(desc.get("layers"), list) else []
    files = [os.path.join(d, "%s%s.npy" % (n, sfx)) for n in names for sfx in ("", "_bias")]
    if build_export is None or not names or not all(os.path.exists(f) for f in files):
        raise TeacherError("%s: missing, and no exported layers beside it to rebuild the model from "
                           "(a teacher is an earlier kws_train.py --out directory or a models/kws-<m>)" % pt)
    try:
        model = build_export(desc.get("type"), desc, d)
    except (OSError, ValueError, KeyError, TypeError, AssertionError) as e:
        raise TeacherError("%s: the exported layers do not rebuild the %s its model.json describes: %s"
                           % (d, desc.get("type"), str(e).splitlines()[0] if str(e) else type(e).__name__))
    model.eval()
    return model


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
