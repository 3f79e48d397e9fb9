"""Python peer of test/bench/stats.ts: times the same drift statistics on the
same data (float64 files written by the TypeScript side).

  scipy:     a loop over features of scipy.stats.ks_2samp, Evidently-style PSI
             and Jensen-Shannon bins (numpy.histogram_bin_edges 'sturges'),
             scipy.spatial.distance.jensenshannon, wasserstein_distance / std
  evidently: Report([DataDriftPreset()]).run(...) on pandas DataFrames

Usage: python3 stats_peer.py DATA_DIR SPEC_JSON   (prints one JSON document)
"""
import json
import sys
import time


def timed(fn, budget_s=2.0, max_reps=20):
    """Median CPU time of the process (time.process_time: every thread, so
    multi-threaded BLAS is not under-counted) per call, in ms."""
    times = []
    start = time.perf_counter()
    while True:
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
        if len(times) >= max_reps or time.perf_counter() - start > budget_s:
            break
    times.sort()
    return times[len(times) // 2] * 1000.0, len(times)


def main():
    data_dir, spec = sys.argv[1], json.loads(sys.argv[2])
    out = {"python": sys.version.split()[0], "results": [], "ks_worst": None}
    try:
        import numpy as np
        from scipy import stats
        from scipy.spatial import distance
        import scipy
        out["scipy"] = scipy.__version__
        out["numpy"] = np.__version__
        try:
            from threadpoolctl import threadpool_info
            out["blas"] = "; ".join(
                f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} x{i.get('num_threads')}"
                for i in threadpool_info() if i.get("user_api") == "blas"
            )
        except Exception as e:  # noqa: BLE001
            out["blas"] = f"unknown ({type(e).__name__})"
    except Exception as e:  # noqa: BLE001
        out["scipy_error"] = f"{type(e).__name__}: {e}"
        print(json.dumps(out))
        return
    try:
        import pandas as pd
        import evidently
        from evidently import Report
        from evidently.presets import DataDriftPreset
        out["evidently"] = evidently.__version__
    except Exception as e:  # noqa: BLE001
        out["evidently_error"] = f"{type(e).__name__}: {str(e).splitlines()[0]}"
        Report = None

    def shares(r, c):
        if len(np.unique(r)) > 20:
            bins = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
            return np.histogram(r, bins)[0] / len(r), np.histogram(c, bins)[0] / len(c)
        keys = np.union1d(np.unique(r), np.unique(c))
        rv, rc = np.unique(r, return_counts=True)
        cv, cc = np.unique(c, return_counts=True)
        rp = np.zeros(len(keys)); rp[np.searchsorted(keys, rv)] = rc
        cp = np.zeros(len(keys)); cp[np.searchsorted(keys, cv)] = cc
        return rp / len(r), cp / len(c)

    def fill(p):
        p = p.copy()
        m = p[p != 0].min()
        p[p == 0] = m / 1e6 if m <= 0.0001 else 0.0001
        return p

    def all_tests(r, c):
        ks = stats.ks_2samp(r, c)
        rp, cp = shares(r, c)
        fr, fc = fill(rp), fill(cp)
        psi = np.sum((fr - fc) * np.log(fr / fc))
        js = distance.jensenshannon(rp, cp)
        wn = stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)
        return ks.pvalue, psi, js, wn

    for item in spec["sizes"]:
        n_ref, n_cur, features = item["nRef"], item["nCur"], item["features"]
        ref = np.fromfile(f"{data_dir}/{item['key']}-ref.f64", dtype="<f8").reshape(features, n_ref)
        cur = np.fromfile(f"{data_dir}/{item['key']}-cur.f64", dtype="<f8").reshape(features, n_cur)
        res = {"key": item["key"]}
        res["scipy_ms"], res["scipy_reps"] = timed(lambda: [all_tests(ref[i], cur[i]) for i in range(features)])
        res["scipy_ks_ms"], _ = timed(lambda: [stats.ks_2samp(ref[i], cur[i]) for i in range(features)])
        res["check"] = [float(x) for x in all_tests(ref[0], cur[0])]
        if Report is not None:
            ref_df = pd.DataFrame({f"f{i}": ref[i] for i in range(features)})
            cur_df = pd.DataFrame({f"f{i}": cur[i] for i in range(features)})
            try:
                report = Report([DataDriftPreset()])
                report.run(current_data=cur_df, reference_data=ref_df)
                res["evidently_ms"], res["evidently_reps"] = timed(
                    lambda: report.run(current_data=cur_df, reference_data=ref_df), budget_s=5.0, max_reps=5
                )
            except Exception as e:  # noqa: BLE001
                res["evidently_error"] = f"{type(e).__name__}: {str(e).splitlines()[0]}"
        out["results"].append(res)

    w = spec.get("ksWorst")
    if w:
        a = np.fromfile(f"{data_dir}/ksworst-ref.f64", dtype="<f8")
        b = np.fromfile(f"{data_dir}/ksworst-cur.f64", dtype="<f8")
        ms, reps = timed(lambda: stats.ks_2samp(a, b))
        out["ks_worst"] = {"ms": ms, "reps": reps, "pvalue": float(stats.ks_2samp(a, b).pvalue)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
