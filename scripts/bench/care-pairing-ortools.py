"""Solves the graphs linli-bench-care exported with OR-Tools' SimpleMinCostFlow and checks that
every compound's stage pairs as many people at the same cost as the Swift solver.

    care-pairing-ortools.py DIR

DIR holds graphs.json (one entry per compound and stage) and arcs.bin (int64 quadruples: tail,
head, capacity, unit cost). Only the solve calls are timed, not reading or building the graphs.
"""
import json
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow


def main(directory):
    with open(f"{directory}/graphs.json") as f:
        summary = json.load(f)
    arcs = np.fromfile(f"{directory}/arcs.bin", dtype=np.int64).reshape(-1, 4)
    totals = {}
    mismatches = []
    for graph in summary["graphs"]:
        stage = graph["stage"]
        total = totals.setdefault(stage, {"seconds": 0.0, "cpu": 0.0, "paired": 0, "cost": 0, "swiftPaired": 0, "swiftCost": 0, "graphs": 0, "arcs": 0})
        paired, cost = graph["fixed"], graph["fixedCost"]
        if graph["supply"] > 0 and graph["count"] > 0:
            block = arcs[graph["first"]:graph["first"] + graph["count"]]
            flow = min_cost_flow.SimpleMinCostFlow()
            flow.add_arcs_with_capacity_and_unit_cost(block[:, 0], block[:, 1], block[:, 2], block[:, 3])
            supplies = np.zeros(graph["nodes"], dtype=np.int64)
            supplies[0], supplies[1] = graph["supply"], -graph["supply"]
            flow.set_nodes_supplies(np.arange(graph["nodes"], dtype=np.int64), supplies)
            started, cpu = time.perf_counter(), time.process_time()
            status = flow.solve_max_flow_with_min_cost()
            total["seconds"] += time.perf_counter() - started
            total["cpu"] += time.process_time() - cpu
            if status != flow.OPTIMAL:
                mismatches.append(f"{graph['compound']} {stage}: OR-Tools status {status}")
                continue
            paired += flow.maximum_flow()
            cost += flow.optimal_cost()
        total["graphs"] += 1
        total["arcs"] += graph["count"]
        total["paired"] += paired
        total["cost"] += cost
        total["swiftPaired"] += graph["swiftPaired"]
        total["swiftCost"] += graph["swiftCost"]
        if (paired, cost) != (graph["swiftPaired"], graph["swiftCost"]):
            mismatches.append(f"compound {graph['compound']} {stage}: OR-Tools pairs {paired} at {cost}, Swift {graph['swiftPaired']} at {graph['swiftCost']}")
    for stage, total in totals.items():
        print(f"OR-Tools {stage}: {total['graphs']} graphs, {total['arcs']} arcs, solve calls {total['seconds']:.3f} s (CPU {total['cpu']:.3f} s); "
              f"paired {total['paired']} (Swift {total['swiftPaired']}), cost {total['cost']} (Swift {total['swiftCost']})")
    swift = summary["swift"]
    print(f"OR-Tools both stages: {sum(t['seconds'] for t in totals.values()):.3f} s in solve calls (CPU {sum(t['cpu'] for t in totals.values()):.3f} s); "
          f"Swift both stages: {swift['seconds']:.3f} s wall clock (CPU {swift['cpuSeconds']:.3f} s)")
    for stage in ("primary", "backup"):
        if totals.get(stage, {}).get("cost") != swift[f"{stage}Cost"]:
            mismatches.append(f"{stage}: OR-Tools total {totals.get(stage, {}).get('cost')}, Swift total {swift[stage + 'Cost']}")
    if mismatches:
        print(f"MISMATCH in {len(mismatches)} places:", file=sys.stderr)
        for line in mismatches[:50]:
            print("  " + line, file=sys.stderr)
        sys.exit(1)
    print("every compound and stage: same number paired, same cost")


if __name__ == "__main__":
    main(sys.argv[1])
