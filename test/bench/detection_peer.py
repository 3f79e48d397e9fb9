"""Peers of `npm run bench:detection` on the very streams Aegis saw.

argv: <dir> <spec json>. For each stream, <dir>/<name>-ref.f64 (reference
rows × features) and <dir>/<name>-cur.f64 (stream rows × features, NaN =
missing), row-major float64. Per evaluation (every `every` rows, window the
last `window` rows) it records whether each peer alarmed:
  ks        plain two-sample KS per feature, p < 0.05 (scipy ks_2samp), which
            is Evidently's DataDriftPreset column test for <= 1,000 reference
            rows; NaN dropped as Evidently does
  kswin     river.drift.KSWIN(alpha, seed) per feature, fed every
            `kswinStride`-th value (it runs one scipy KS per update), alarm
            when it detected drift since the previous evaluation
  kswin30   the same at alpha / features
  adwin     river.drift.ADWIN(delta=0.002) per feature, every value
and, for `evidentlyAt` evaluations, Evidently's own Report(DataDriftPreset):
the drifted-column count and its dataset-drift headline (share >= 0.5).
Prints one JSON line.
"""
import json
import sys

import numpy as np


def main():
    root, spec = sys.argv[1], json.loads(sys.argv[2])
    from scipy.stats import ks_2samp
    import scipy
    out = {"python": sys.version.split()[0], "scipy": scipy.__version__, "numpy": np.__version__, "streams": {}}
    try:
        import river
        from river import drift
        out["river"] = river.__version__
    except Exception as e:  # noqa: BLE001
        drift = None
        out["river_error"] = f"{type(e).__name__}: {str(e).splitlines()[0]}"
    try:
        import evidently
        import pandas as pd
        from evidently import Report
        from evidently.presets import DataDriftPreset
        out["evidently"] = evidently.__version__
    except Exception as e:  # noqa: BLE001
        Report = None
        out["evidently_error"] = f"{type(e).__name__}: {str(e).splitlines()[0]}"

    for s in spec["streams"]:
        f = s["features"]
        ref = np.fromfile(f"{root}/{s['name']}-ref.f64").reshape(-1, f)
        cur = np.fromfile(f"{root}/{s['name']}-cur.f64").reshape(-1, f)
        every, window, evals = s["every"], s["window"], s["evaluations"]
        res = {"ks": [], "kswin": [], "kswin30": [], "adwin": [], "evidently": []}
        dets = None
        if drift is not None:
            dets = {
                "kswin": [drift.KSWIN(alpha=s["kswinAlpha"], seed=j) for j in range(f)],
                "kswin30": [drift.KSWIN(alpha=s["kswinAlpha"] / f, seed=j) for j in range(f)],
                "adwin": [drift.ADWIN(delta=0.002) for _ in range(f)],
            }
        refs = [ref[:, j][~np.isnan(ref[:, j])] for j in range(f)]
        for e in range(evals):
            end = (e + 1) * every
            lo = max(0, end - window)
            if dets is not None:
                fired = {k: False for k in dets}
                for j in range(f):
                    col = cur[end - every:end, j]
                    for i, v in enumerate(col):
                        if np.isnan(v):
                            continue
                        dets["adwin"][j].update(v)
                        fired["adwin"] |= dets["adwin"][j].drift_detected
                        if (end - every + i) % s["kswinStride"] == 0 and e < s["kswinEvaluations"]:
                            for k in ("kswin", "kswin30"):
                                dets[k][j].update(v)
                                fired[k] |= dets[k][j].drift_detected
                for k in dets:
                    if k != "adwin" and e >= s["kswinEvaluations"]:
                        continue
                    res[k].append(bool(fired[k]))
            flagged = 0
            for j in range(f):
                w = cur[lo:end, j]
                w = w[~np.isnan(w)]
                if len(w) and len(refs[j]) and ks_2samp(refs[j], w, method="asymp").pvalue < 0.05:
                    flagged += 1
            res["ks"].append(flagged)
            if Report is not None and e in s["evidentlyAt"]:
                cols = [f"x{j}" for j in range(f)]
                snap = Report([DataDriftPreset()]).run(pd.DataFrame(cur[lo:end], columns=cols), pd.DataFrame(ref, columns=cols))
                count = None
                for m in snap.dict()["metrics"]:
                    if "DriftedColumnsCount" in str(m.get("metric_id", m.get("metric_name", ""))):
                        count = m["value"]["count"]
                res["evidently"].append({"evaluation": e, "driftedColumns": count, "datasetDrift": count is not None and count / f >= 0.5})
        out["streams"][s["name"]] = res
    print(json.dumps(out))


if __name__ == "__main__":
    main()
