"""Write telco_sample.csv: 400 customers in the exact layout of the IBM telco churn file
(../shared/data/telco_churn.csv), with one planted driver. Run it to regenerate the fixture:

    python tests/data/make_telco_sample.py

Planted: month-to-month customers churn with probability 0.45, one-year 0.15 and two-year 0.05
(3x and 9x), and paying by electronic check adds 0.10. Every other column is drawn independently of
churn, so contract must come out as the first driver and payment method as a minor one.
"""

from pathlib import Path

import numpy as np
import pandas as pd

HEADER = ["rownames", "churn", "female", "senior_citizen", "partner", "dependents", "tenure", "phone_service",
          "multiple_lines", "internet_service", "online_security", "online_backup", "device_protection",
          "tech_support", "streaming_tv", "streaming_movies", "contract", "paperless_billing", "payment_method",
          "monthly_charges", "total_charges"]
CONTRACTS = ("Month-to-month", "One year", "Two year")
CHURN_P = {"Month-to-month": 0.45, "One year": 0.15, "Two year": 0.05}
PAYMENTS = ("Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)")


def generate(n: int = 400, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    contract = rng.choice(CONTRACTS, n, p=[0.55, 0.25, 0.20])
    payment = rng.choice(PAYMENTS, n)
    p = np.array([CHURN_P[c] for c in contract]) + 0.10 * (payment == "Electronic check")
    churn = rng.random(n) < p
    phone = rng.random(n) < 0.9
    internet = rng.choice(("DSL", "Fiber optic", "No"), n, p=[0.35, 0.45, 0.20])
    tenure = rng.integers(0, 73, n)
    monthly = np.round(rng.uniform(18.0, 118.0, n), 2)

    def service():
        return np.where(internet == "No", "No internet service", rng.choice(("Yes", "No"), n))

    frame = pd.DataFrame({
        "rownames": np.arange(1, n + 1), "churn": np.where(churn, "Yes", "No"),
        "female": rng.integers(0, 2, n), "senior_citizen": (rng.random(n) < 0.16).astype(int),
        "partner": rng.integers(0, 2, n), "dependents": (rng.random(n) < 0.3).astype(int), "tenure": tenure,
        "phone_service": phone.astype(int),
        "multiple_lines": np.where(phone, rng.choice(("Yes", "No"), n), "No phone service"),
        "internet_service": internet, "online_security": service(), "online_backup": service(),
        "device_protection": service(), "tech_support": service(), "streaming_tv": service(),
        "streaming_movies": service(), "contract": contract, "paperless_billing": rng.integers(0, 2, n),
        "payment_method": payment, "monthly_charges": monthly,
        "total_charges": np.round(monthly * np.maximum(tenure, 1), 2),
    })
    frame.loc[frame.tenure == 0, "total_charges"] = np.nan  # blank, as in the real file
    return frame[HEADER]


if __name__ == "__main__":
    out = Path(__file__).with_name("telco_sample.csv")
    generate().to_csv(out, index=False)
    print(f"wrote {out}")
