"""Reading a workbook: python-calamine against openpyxl (read-only), on a trips sheet.

.venv/bin/python bench/xlsx_read.py 5000
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path


def write_sheet(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã cán bộ", "Họ và tên", "Từ ngày", "Đến ngày", "Hình thức", "Địa điểm"])
    for i in range(rows):
        day = date(2024, 1, 1) + timedelta(days=i % 360)
        sheet.append(
            [f"GL{i % 50:02d}", "Nguyễn Thành Hưng", day, day, "theo chuyên đề", f"Xã {i}"]
        )
    book.save(path)


def best_of(runs: int, work: Callable[[], int]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trips.xlsx"
        write_sheet(path, rows)

        def with_openpyxl() -> int:
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=True)
            count = sum(1 for _ in book.active.iter_rows(values_only=True))
            book.close()
            return count

        def with_calamine() -> int:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_path(str(path))
            return len(book.get_sheet_by_name(book.sheet_names[0]).to_python())

        slow, fast = best_of(3, with_openpyxl), best_of(3, with_calamine)
        print(f"{rows} rows: openpyxl {slow:.3f} s, calamine {fast:.3f} s ({slow / fast:.0f}x)")


if __name__ == "__main__":
    main()
