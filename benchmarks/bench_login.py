"""Server time of the login page: the baseline every later page is compared with."""

import statistics
import time

from django.test import Client

RUNS = 200


def main() -> None:
    client = Client()
    client.get("/accounts/login/")  # warm up templates and translations
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get("/accounts/login/")
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    print(f"BENCH login.page.median_ms {statistics.median(timings) * 1000:.2f} ms")
    print(f"BENCH login.page.p95_ms {statistics.quantiles(timings, n=20)[18] * 1000:.2f} ms")
