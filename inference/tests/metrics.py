#!/usr/bin/env python3
"""scikit-learn's metrics on the predictions given on stdin, for `metrics.rs`.

Reads {"cases": [{"truth", "predicted", "scores", "k", "y", "y_hat"}]} and writes
{"cases": [{"accuracy", "top_k", "precision", "recall", "f1", "mae", "rmse", "r2"}]}.
"""

import json
import sys

import numpy as np
from sklearn import metrics

out = []
for case in json.load(sys.stdin)["cases"]:
    truth, predicted = case["truth"], case["predicted"]
    scores = np.array(case["scores"], dtype=np.float64)
    y, y_hat = case["y"], case["y_hat"]
    out.append(
        {
            "accuracy": metrics.accuracy_score(truth, predicted),
            # scikit-learn reads two-class scores as one probability with a threshold: top-k is
            # compared on three classes and more.
            "top_k": None
            if scores.shape[1] < 3
            else metrics.top_k_accuracy_score(truth, scores, k=case["k"], labels=list(range(scores.shape[1]))),
            "precision": metrics.precision_score(truth, predicted, average="macro", zero_division=0),
            "recall": metrics.recall_score(truth, predicted, average="macro", zero_division=0),
            "f1": metrics.f1_score(truth, predicted, average="macro", zero_division=0),
            "mae": metrics.mean_absolute_error(y, y_hat),
            "rmse": float(np.sqrt(metrics.mean_squared_error(y, y_hat))),
            "r2": metrics.r2_score(y, y_hat),
        }
    )
json.dump({"cases": out}, sys.stdout)
