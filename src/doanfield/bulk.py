"""A large trips CSV read column-wise: the row path's verdict, shown for the whole file at once.

A national file (a million trips) checked row by row in Python takes several times what SQLite
takes to load it. Here pyarrow reads the file in C++; every distinct value of a column goes once
through the row path's own conversions (`Cells`, the importer's code maps: a million rows hold a
few thousand distinct dates, codes and kinds); the tests between the cells of a row (end before
start, the cadre's post and absences, `max_trip_days`, the host unit's life) run over whole
columns (`TripFacts.may_clash_any`, `host_outside_any`); the file's repeats are found by grouping,
the stored trips it repeats by the database; the rows go in through Arrow (engine.StagedTable).

There is one set of rules, the row path's (importer.TripImporter.take): this path only *accepts* a
file it has shown the row path would accept whole, storing the same trips in the same order with
the same counts. Anything else — a bad row, a row a test flags, a layout or a column it does not
know, quotes, another encoding — and it declines, having written nothing: the row path reads the
file again and names every bad row with its line (SPEC §5). tests/test_bulk_import.py checks the
two against each other over generated files.
"""

from __future__ import annotations

import mmap
import unicodedata
from collections.abc import Callable
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from doanfield.importer import Cells, TripImporter
    from doanfield.reading import Layout, Rows

# From this size on a trips CSV is tried column-wise (a smaller one is quick row by row, and
# loading pyarrow would cost more than it saves).
BULK_FROM_BYTES = 8 << 20
# The trip fields this path reads (importer.TRIP_FIELDS, which it must equal: a field added to
# the row path keeps every file on the row path until it is added here too).
FIELDS = (
    "cadre",
    "start",
    "end",
    "kind",
    "place",
    "unit",
    "program",
    "note",
    "order",
    "report_date",
    "report",
)
KEY = ("cadre_id", "start", "end", "kind", "place")
# Python's CSV reader refuses a longer cell (its field size limit), even a blank one.
MAX_BLANK = 2000
# A file read column-wise: its rows under the header, and each column as its distinct cells (as
# written) and each row's index into them.
ReadColumns = tuple[int, list[tuple[list[str], Any]]]


class Declined(Exception):
    """The file is not one this path can show the row path accepts: read it row by row."""


def available() -> bool:
    try:
        import adbc_driver_sqlite  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def import_trips(
    session: Session,
    path: Path,
    rows: Rows,
    layout: Layout,
    importer: TripImporter,
    progress: Callable[[int, int], None] | None = None,
    ahead: ReadAhead | None = None,
) -> bool:
    """Import the file column-wise when it can be shown good; False (nothing written) else.
    `ahead`: the file's reading begun before (read_ahead)."""
    from doanfield import importer as row_path
    from doanfield.engine import StagedTable

    if (
        row_path.TRIP_FIELDS != FIELDS
        or rows.size < BULK_FROM_BYTES
        or rows.encoding not in ("utf-8", "utf-8-sig")
        or rows.header_row != 1
        or rows.lettered
        or "name" in layout.fields
        or not available()
    ):
        if ahead is not None:
            ahead.close()
        return False
    try:
        table, skipped, checks = _checked(path, rows, layout, importer, progress, ahead)
    except Declined:
        return False
    # The rows are staged in a thread of their own while the tests left run here. Into an empty
    # table, they carry its index, copied in order (engine.StagedTable).
    stored = importer.stored_any
    staged = StagedTable(session, "trip", table, unique=KEY if stored else (), empty=not stored)
    try:
        try:
            checks()
        except Declined:
            return False
        added = staged.insert()
    finally:
        staged.close()
    result = importer.result
    result.rows = table.num_rows + skipped
    result.added += added
    result.skipped += skipped + table.num_rows - added
    return True


def _checked(
    path: Path,
    rows: Rows,
    layout: Layout,
    importer: TripImporter,
    progress: Callable[[int, int], None] | None,
    ahead: ReadAhead | None,
) -> tuple[Any, int, Callable[[], None]]:
    """The trips to store (an Arrow table in TRIP_COLUMNS, file order, the file's repeats left
    out), how many repeats were left out, and the tests left to run (they raise Declined): the
    rows may be staged meanwhile. Declined when a row is shown not good."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from doanfield import importer as row_path

    bom = rows.encoding == "utf-8-sig"
    done = ahead.result(rows.delimiter, bom) if ahead is not None else None
    n, read = done or _read(path, rows.delimiter, bom)
    if progress:
        progress(rows.size // 3, rows.size)
    if n == 0:
        raise Declined
    fields = layout.fields
    columns: dict[str, tuple[list[str], Any]] = {}
    for index, cells in enumerate(read):
        field = fields[index] if index < len(fields) else ""
        if field is None:  # a row-number column: passed over
            continue
        if not field:  # beyond the header or untitled: must be blank
            if not _all_blank(cells[0]):
                raise Declined
            continue
        columns[field] = cells
    convert = _Converter(importer)

    def column(field: str, conversion: Callable[[Cells], Any]) -> tuple[list[Any], Any]:
        """The distinct cells converted, and each row's index into them."""
        cells = columns.get(field)
        if cells is None:
            return [convert.one(field, "", conversion)], pa.array([0] * n, pa.int32())
        distinct, at = cells
        return [convert.one(field, v, conversion) for v in distinct], at

    def spread(values: list[Any], at: Any, kind: Any) -> Any:
        return pc.take(pa.array(values, kind), at)

    def coded(values: list[str], at: Any) -> Any:
        """Text as the distinct values and each row's index: stored as such, never spread."""
        return pa.DictionaryArray.from_arrays(at, pa.array(values, pa.string()))

    cadres, cadre_at = column("cadre", convert.cadre)
    starts, start_at = column("start", convert.start)
    ends, end_at = column("end", convert.end)  # None: the start
    kinds, kind_at = column("kind", convert.kind)
    units, unit_at = column("unit", convert.unit)
    cadre_id = spread(cadres, cadre_at, pa.int64())
    # Dates as day numbers to test and group, as the row path stores them (ISO text) to store.
    start_day = spread([d.toordinal() for d in starts], start_at, pa.int64())
    end_day = pc.coalesce(
        spread([d and d.toordinal() for d in ends], end_at, pa.int64()), start_day
    )
    if pc.any(pc.less(end_day, start_day)).as_py():
        raise Declined
    unit_id = spread([u if u >= 0 else None for u in units], unit_at, pa.int64())

    def checks() -> None:
        """The tests between a row's cells and the ledger's other records."""
        facts = importer.facts
        if facts.may_clash_any(cadre_id, start_day, end_day):
            raise Declined
        if facts.host_outside_any(unit_id, start_day, end_day):
            raise Declined
        # A trip filed with its report goes the careful way on the row path too: not tried here.
        if any(not _all_blank(columns[f][0]) for f in ("report_date", "report") if f in columns):
            raise Declined
        if progress:
            progress(rows.size * 2 // 3, rows.size)

    text = {f: column(f, convert.text(f)) for f in ("place", "program", "note", "order")}
    start = spread([d.isoformat() for d in starts], start_at, pa.string())
    end = pc.coalesce(spread([d and d.isoformat() for d in ends], end_at, pa.string()), start)
    out = pa.table(
        {
            "cadre_id": cadre_id,
            "start": start,
            "end": end,
            "kind": coded(kinds, kind_at),
            "place": coded(*text["place"]),
            "unit_id": unit_id,
            "program": coded(*text["program"]),
            "note": coded(*text["note"]),
            "travel_order": coded(*text["order"]),
            "report_date": pa.nulls(n, pa.string()),
            "report": pa.nulls(n, pa.string()),
        }
    )
    assert tuple(out.column_names) == row_path.TRIP_COLUMNS
    # The file's own repeats (same cadre, start, end, kind, place): the first is kept.
    places = text["place"][0]
    place_code = {place: i for i, place in enumerate(dict.fromkeys(places))}
    kind_code = {kind: i for i, kind in enumerate(dict.fromkeys(kinds))}
    what = pc.add(
        pc.multiply(spread([place_code[p] for p in places], text["place"][1], pa.int64()), 16),
        spread([kind_code[k] for k in kinds], kind_at, pa.int64()),
    )
    # n distinct values of any function of the key: no two rows share a key (most files).
    mixed = pc.add(pc.multiply(cadre_id, 1_000_003), pc.multiply(start_day, 7919))
    mixed = pc.add(pc.add(mixed, pc.multiply(end_day, 104_729)), pc.multiply(what, 15_485_863))
    counts = pc.value_counts(mixed)
    shared = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if len(shared) == 0:
        return out, 0, checks
    # Rows that may repeat another (few): their whole keys compared, in file order.
    maybe = pc.indices_nonzero(pc.is_in(mixed, value_set=shared))
    picked = (pc.take(c, maybe).to_pylist() for c in (cadre_id, start_day, end_day, what))
    seen: set[tuple[int, int, int, int]] = set()
    repeats = []
    for index, *key in zip(maybe.to_pylist(), *picked, strict=True):
        if tuple(key) in seen:
            repeats.append(index)
        seen.add(tuple(key))
    if not repeats:
        return out, 0, checks
    # The rows between the repeats, as slices of the table (no copy).
    bounds = [-1, *repeats, n]
    kept = [out.slice(a + 1, b - a - 1) for a, b in pairwise(bounds) if b - a > 1]
    return pa.concat_tables(kept), len(repeats), checks


def _read(path: Path, delimiter: str, bom: bool) -> ReadColumns:
    """How many rows there are under the file's header, and each of the header's columns as
    its distinct cells (as written) and each row's index into them; Declined when pyarrow may
    not read them as Python would."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    # Mapped, not read: no copy of the file in this process's own memory.
    with path.open("rb") as handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            raise Declined from None
    # Quoting rules of two readers need not agree, and Python's refuses a NUL: not tried.
    if data.find(b'"') >= 0 or data.find(b"\0") >= 0:
        raise Declined
    start = 3 if bom else 0
    newline = data.find(b"\n", start)
    header = data[start:newline] if newline >= 0 else data[start:-1]
    width = header.count(delimiter.encode()) + 1
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(start)),
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char=False, ignore_empty_lines=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):  # a row of another width, a bad byte …
        raise Declined from None
    read = []
    for cells in table.columns:
        encoded = pc.dictionary_encode(cells).combine_chunks()
        read.append((encoded.dictionary.to_pylist(), encoded.indices))
    return table.num_rows, read


class ReadAhead:
    """A large trips CSV read by pyarrow in a thread of its own from the command's start, while
    Python loads the rest of doanfield and opens the ledger (pyarrow reads without Python's
    lock): ~0.3 s of a national import. Its delimiter and byte-order mark are guessed from the
    header line; the import uses the table only when the file's reader found the same."""

    def __init__(self, path: Path) -> None:
        import threading

        self.path = path
        self.done: ReadColumns | None = None
        self.declined = False
        self.guess = (",", False)
        self.thread: Any = threading.Thread(target=self._run, name="doanfield-read-ahead")
        self.thread.start()

    def _run(self) -> None:
        try:
            with self.path.open("rb") as handle:
                head = handle.read(1 << 16)
            bom = head.startswith(b"\xef\xbb\xbf")
            line = head[3 if bom else 0 :].split(b"\n", 1)[0]
            delimiter = max(",;\t", key=lambda d: line.count(d.encode()))
            self.guess = (delimiter, bom)
            self.done = _read(self.path, delimiter, bom)
        except Declined:
            self.declined = True
        except Exception:  # read again, and told, on the import's own thread
            self.done = None

    def result(self, delimiter: str, bom: bool) -> ReadColumns | None:
        """The table read ahead if read as the import would read it (None: read it now)."""
        self._join()
        done, self.done = self.done, None
        if self.guess != (delimiter, bom):
            return None
        if self.declined:
            raise Declined
        return done

    def close(self) -> None:
        """The reading waited for, and what it read let go (the import did not want it)."""
        self._join()
        self.done = None

    def _join(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None


def read_ahead(path: Path, sheet: str | None = None) -> ReadAhead | None:
    """Begin reading a trips file column-wise, if it may be one the import reads so."""
    try:
        large = path.stat().st_size >= BULK_FROM_BYTES
    except OSError:
        return None
    if not large or sheet is not None or path.suffix.lower() in (".xlsx", ".xlsm", ".json"):
        return None
    return ReadAhead(path)


def _all_blank(distinct: list[str]) -> bool:
    return all(not v.strip() and len(v) < MAX_BLANK for v in distinct)


class _Converter:
    """Each distinct cell through the row path's conversions; a cell it refuses declines."""

    def __init__(self, importer: TripImporter) -> None:
        self.importer = importer

    def one(self, field: str, raw: str, conversion: Callable[[Cells], Any]) -> Any:
        from doanfield.importer import Cells, RowError

        value = unicodedata.normalize("NFC", raw).strip()  # as the row path reads a line
        try:
            return conversion(Cells({field: value} if value else {}, self.importer.dates))
        except RowError:
            raise Declined from None

    def cadre(self, cells: Cells) -> int:
        found = self.importer.cadres.get(cells.required("cadre"))
        if found is None:
            raise Declined
        return found

    def start(self, cells: Cells) -> date:
        return cells.required_day("start")

    def end(self, cells: Cells) -> date | None:
        return cells.day("end")

    def kind(self, cells: Cells) -> str:
        from doanfield.domain import TripKind
        from doanfield.vocabulary import TRIP_KINDS

        return cells.word("kind", TRIP_KINDS, TripKind.other.value)

    def unit(self, cells: Cells) -> int:
        host = cells.values.get("unit", "")
        if not host:
            return -1
        found = self.importer.units.get(host)
        if found is None:
            raise Declined
        return found

    def text(self, field: str) -> Callable[[Cells], str]:
        return lambda cells: cells.text(field)


# ------------------------------------------------------------------------ export

# From this many trips a CSV export is written column-wise (fewer are quick row by row).
EXPORT_FROM_TRIPS = 100_000
# The columns this path writes (columns.COLUMNS["trips"], which it must equal, as FIELDS above).
EXPORTED = FIELDS


def export_trips(session: Session, ledger: Any, output: Any) -> bool:
    """Every trip into the CSV file `output` column-wise, byte for byte what the row path
    (ledger.iter_trips through render.write_csv) writes; False (nothing written) when this
    ledger or these columns are not ones it writes, or the trips are few."""
    from doanfield.columns import COLUMNS

    path = getattr(ledger, "path", None)
    if (
        COLUMNS["trips"] != EXPORTED
        or path is None
        or ledger.read_only
        or not available()
        or (session.connection().exec_driver_sql("SELECT count(*) FROM trip").scalar() or 0)
        < EXPORT_FROM_TRIPS
    ):
        return False
    import adbc_driver_sqlite.dbapi as adbc
    import pyarrow as pa
    import pyarrow.compute as pc

    # A reader of its own on the file: in WAL mode, a consistent snapshot as the session's is.
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    with adbc.connect(uri) as reading, reading.cursor() as cursor:

        def read(sql: str) -> Any:
            cursor.execute(sql)
            return cursor.fetch_arrow_table()

        # Every column of one type throughout (ADBC types a column by its first rows).
        trips = read(
            'SELECT id, cadre_id, start, "end", kind, place, coalesce(unit_id, -1) AS unit_id, '
            "program, note, travel_order, coalesce(CAST(report_date AS TEXT), '') AS report_date, "
            "coalesce(report, '') AS report FROM trip"
        )
        cadres, units = read("SELECT id, code FROM cadre"), read("SELECT id, code FROM unit")

    def code(ids: Any, of: Any) -> Any:
        return pc.take(of.column("code"), pc.index_in(ids, value_set=of.column("id")))

    columns = {
        "cadre": code(trips.column("cadre_id"), cadres),
        **{c: trips.column(c) for c in ("start", "end", "kind", "place")},
        "unit": pc.fill_null(code(trips.column("unit_id"), units), ""),
        "program": trips.column("program"),
        "note": trips.column("note"),
        "order": trips.column("travel_order"),
        "report_date": trips.column("report_date"),
        "report": trips.column("report"),
    }
    encoded = {c: _distinct(v) for c, v in columns.items()}
    # The row path's order (ledger.iter_trips): first day, cadre's code, id. Text compares by
    # code point in Python as byte by byte in SQLite (UTF-8 keeps the order): by rank here.
    ranks = [_ranks(*encoded[c]) for c in ("start", "cadre")]
    first = pc.add(pc.multiply(ranks[0], 1 << 32), ranks[1])
    keys = pa.table({"first": first, "id": trips.column("id")})
    order = pc.sort_indices(keys, [("first", "ascending"), ("id", "ascending")])
    lines = csv_lines([(values, pc.take(at, order)) for values, at in encoded.values()])
    with output.open_binary() as handle:
        handle.write(b"\xef\xbb\xbf" + (",".join(EXPORTED) + "\r\n").encode())
        handle.write(lines)
    return True


def _distinct(column: Any) -> tuple[list[str], Any]:
    """A text column as its distinct values and each row's index into them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(pc.cast(column, pa.string())).combine_chunks()
    return encoded.dictionary.to_pylist(), encoded.indices


def _ranks(values: list[str], at: Any) -> Any:
    """Each row's place among the distinct values in sorted order (int64)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    place = {v: i for i, v in enumerate(sorted(values))}
    return pc.take(pa.array([place[v] for v in values], pa.int64()), at)


def csv_lines(columns: list[tuple[list[str], Any]]) -> bytes:
    """Rows of text cells (each column its distinct values and each row's index into them) as
    render.write_csv writes them: each distinct cell once through columns.neutralise (a formula
    lead gets a `'`) and csv's minimal quoting (a cell holding a comma, a quote or a line break
    is quoted), cells joined by commas, lines ended by CRLF."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from doanfield.columns import neutralise

    cells = [
        pc.take(pa.array([_csv_cell(neutralise(v)) for v in values], pa.string()), at)
        for values, at in columns
    ]
    lines = pc.binary_join_element_wise(*cells, ",") if len(cells) > 1 else cells[0]
    lines = pc.binary_join_element_wise(lines, "\r\n", "")
    whole = pa.concat_arrays(lines.chunks) if isinstance(lines, pa.ChunkedArray) else lines
    if len(whole) == 0:
        return b""
    _, offsets, data = whole.buffers()
    at = pa.Array.from_buffers(pa.int32(), len(whole) + 1, [None, offsets], offset=whole.offset)
    written: bytes = data.to_pybytes()
    return written[at[0].as_py() : at[-1].as_py()]


def _csv_cell(text: str) -> str:
    """A cell as csv.writer (QUOTE_MINIMAL, CRLF lines) writes it among others."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
