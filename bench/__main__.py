"""`make bench`: every figure of the app against its limit, on the bench's own generated database.

For each figure the app's path and its limit (the raw SQL that returns the same rows, checked first:
same ids in the same order, or the same aggregate rows) run interleaved, A B A B …, and the medians are
compared; the load average is printed beside each figure. Then the app server, started as `make run`
starts it, is loaded by 16 clients on loopback. The table is printed and written to bench/results.json
with every figure, its ratio, its target and whether it is met.

    python -m bench                          # full scale: 100 000 products, 1 000 000 sale lines
    python -m bench --products 5000 --producers 200 --centers 20 --sale-lines 20000 --quick
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocophub python -m bench
"""

import argparse
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from . import database
from .output import table, write_results


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    scale = database.Scale()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=scale.products)
    parser.add_argument("--producers", type=int, default=None, help="default: products / 25")
    parser.add_argument("--centers", type=int, default=scale.centers)
    parser.add_argument("--sale-lines", type=int, default=scale.sale_lines)
    parser.add_argument("--days", type=int, default=scale.days, help="days of sales history")
    parser.add_argument("--seed", type=int, default=scale.seed)
    parser.add_argument("--regenerate", action="store_true", help="make the bench database again")
    parser.add_argument("--repeat", type=int, default=None, help="runs of each side (default 30; quick: 5)")
    parser.add_argument(
        "--load-seconds", type=float, default=None, help="per load figure (default 10; quick: 2)"
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs and shorter loads, to try it fast")
    parser.add_argument("--no-load", action="store_true", help="leave out the figures under load")
    parser.add_argument(
        "--var-dir", type=Path, default=None, help="where the bench's SQLite file and marker go"
    )
    parser.add_argument("--results", type=Path, default=Path(__file__).with_name("results.json"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    scale = database.Scale(
        products=args.products,
        producers=args.producers or max(1, -(-args.products // 25)),
        centers=args.centers,
        sale_lines=args.sale_lines,
        days=args.days,
        seed=args.seed,
    )
    repeat = args.repeat or (5 if args.quick else 30)
    duration = args.load_seconds or (2.0 if args.quick else 10.0)
    where = database.target(args.var_dir)
    started = time.monotonic()
    generated = database.ensure(scale, where, regenerate=args.regenerate)

    # the app in this process reads the bench's database, never the site's
    for key, value in where.env.items():
        if value:
            os.environ[key] = value
        else:
            os.environ.pop(key, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "ocophub.settings",
            "HTTPS": "0",
            "DEBUG": "0",
            # the app's side of every ratio ranks and counts its search, as on a first visit: a result
            # kept in the cache would time a cache read against the SQL (the loads time both)
            "CATALOGUE_RESULTS_CACHE_SECONDS": "0",
            # the order figure places many guest orders from one address
            "ORDER_MAX_OPEN_PER_CONTACT": "1000000",
            "ORDER_MAX_OPEN_PER_ADDRESS": "1000000",
            "RATE_GUEST_CHECKOUT_PER_ADDRESS": "1000000/3600",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    call_command("collectstatic", "--noinput", verbosity=0)
    setup_test_environment()  # responses carry their template context, for the same-rows checks

    from .figures import PAGE, SEARCHES, Bench
    from .timing import SameRowsError

    print(f"==> timing the app against its limits ({repeat} runs each, interleaved)", flush=True)
    bench = Bench(repeat)
    try:
        figures = bench.run()
    except SameRowsError as error:
        print(f"\nFAILED: {error}", file=sys.stderr)
        return 2
    if not args.no_load:
        from urllib.parse import urlencode

        from . import underload

        print(f"==> under load: {underload.CONNECTIONS} connections, {duration:g}s each", flush=True)
        from django.db import connections

        connections.close_all()
        paths = [f"/api/v1/products?{urlencode({'q': q, 'limit': PAGE})}" for q, _typo in SEARCHES]
        figures += underload.run(where, paths, f"/san-pham/{bench.product[1]}/", duration)
    about = {
        "database": where.label,
        "vendor": where.vendor,
        "scale": asdict(scale),
        "generated_s": round(generated, 1) if generated is not None else None,
        "repeat": repeat,
        "load_seconds": duration,
        "connections": 16,
        "cpus": os.cpu_count(),
        "took_s": round(time.monotonic() - started, 1),
        "at": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }
    print(table(figures, about))
    write_results(args.results, figures, about)
    print(f"results: {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
