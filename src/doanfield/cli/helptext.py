"""The Vietnamese of every `--help`, and the examples that end each command's help.

The English stays where the command is written (its docstring, each option's `help=`); this
module holds the rest, keyed by the command's path (`"trip add"`, `""` for doanfield itself):

    HELP_VI["trip add"] = {
        "": "Ghi một đợt đi cơ sở: ...",          # the command's own help
        "--cadre": "Cán bộ đi cơ sở.",              # an option, by its long flag
        "ID": "...",                                # an argument, by its metavar
    }
    EXAMPLES["trip add"] = ["doanfield trip add --cadre GL04 --date 19/02/2024"]

Options shared by many commands (cli/common.py) are translated once, in SHARED_VI, keyed by
their English help. A date option's " Date as 19/02/2024 or 2024-02-19." is added in either
language by itself. cli/main.py puts it all in place before the help is printed, and
tests/test_help.py fails when a command, option or argument lacks its Vietnamese or a command
its examples, and runs every example's parsing.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any

DATE_HELP_VI = "Ngày dạng 19/02/2024 hoặc 2024-02-19."

# Help texts of the options every list and report shares, by their English text.
SHARED_VI: dict[str, str] = {
    "Output: table for people; csv, json, xlsx for files.": (
        "Dạng kết quả: table (bảng) để đọc; csv, json, xlsx để ghi ra tệp."
    ),
    "Write to FILE instead of the screen.": "Ghi ra TỆP thay vì in ra màn hình.",
    "Replace FILE if it exists (never the ledger).": (
        "Ghi đè TỆP nếu đã có (không bao giờ ghi đè sổ)."
    ),
    "Only this year.": "Chỉ năm này.",
    "The year to report.": "Năm báo cáo.",
    "Only this unit and every unit below it.": "Chỉ đơn vị này và các đơn vị cấp dưới.",
    "Only this cadre.": "Chỉ cán bộ này.",
    "Judge statuses as of DATE (default: 31 Dec of the year, or today if earlier).": (
        "Xét trạng thái tính đến NGÀY (mặc định: 31/12 của năm, hoặc hôm nay nếu sớm hơn)."
    ),
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
}


def _words_first(what: str, column: str) -> str:
    """`Hình thức: theo chuyên đề; kiểm tra, giám sát; … (hoặc mã: thematic, …)`: the words of
    the vocabulary first, as a Vietnamese clerk types them, then the codes."""
    from doanfield.vocabulary import BY_COLUMN

    words = BY_COLUMN[column]
    shown = "; ".join(words.label(code, "vi") for code in words.codes)
    return f"{what}: {shown} (hoặc mã: {', '.join(words.codes)}); có thể gõ không dấu."


_KIND = _words_first("Hình thức", "kind")
_REASON = (
    "Lý do: study (học tập, đi học), sick (ốm đau, nghỉ ốm), maternity (thai sản, nghỉ thai "
    "sản), hay bất kỳ lý do nào khác, ghi nguyên văn."
)
# cadre add and cadre edit take the same options.
_CADRE_OPTIONS = {
    "--name": "Họ và tên đầy đủ.",
    "--unit": "Đơn vị công tác.",
    "--category": _words_first("Đối tượng", "category"),
    "--position": "Chức vụ, ví dụ Phó Bí thư.",
    "--birth": "Ngày sinh.",
    "--gender": "Giới tính.",
    "--active-from": "Ngày đầu giữ chức vụ.",
    "--active-to": "Ngày cuối giữ chức vụ.",
    "--given-name": "Tên để sắp xếp (mặc định: chữ cuối của họ tên).",
}

HELP_VI: dict[str, dict[str, str]] = {
    "": {
        "": "Sổ theo dõi cán bộ Đoàn đi cơ sở, và các báo cáo kết quả thực hiện của Đoàn.",
        "--db": "Tệp sổ hoặc địa chỉ SQLAlchemy (mặc định: doanfield.db trong thư mục dữ liệu).",
        "--lang": "Ngôn ngữ của bảng và thông báo: en (tiếng Anh), vi (tiếng Việt).",
        "--version": "In số phiên bản.",
        "--debug": "Khi có lỗi, in chi tiết kỹ thuật (traceback).",
        "--today": "Coi hôm nay là NGÀY.",
        "--install-completion": "Cài gợi ý lệnh khi gõ Tab cho shell đang dùng.",
        "--show-completion": "In đoạn mã gợi ý lệnh của shell đang dùng, để tự cài.",
    },
    "import": {
        "": (
            "Nhập tệp CSV, Excel hoặc JSON; mọi dòng được kiểm tra trước, có dòng lỗi (liệt kê "
            "hết) thì không ghi gì."
        ),
        "KIND": "Loại bản ghi; ledger: một sổ doanfield khác.",
        "FILE": (
            "Tệp CSV (UTF-8, UTF-16 hoặc Windows-1258), bảng tính Excel (.xlsx) hoặc JSON; với "
            "ledger, tệp sổ doanfield."
        ),
        "--sheet": "Trang tính cần nhập (mặc định: trang đầu tiên).",
        "--dry-run": "Chỉ kiểm tra và đếm; không ghi gì.",
        "--update": (
            "Cập nhật đơn vị và cán bộ đã có trong sổ; với moves: thay lượt chuyển đã ghi "
            "cùng ngày."
        ),
        "--new-level": "Với đơn vị: cấp chưa biết hay chưa dùng thì thêm thành cấp mới.",
        "--prefix": "Với sổ khác: thêm P vào đầu mọi mã lấy từ tệp đó.",
    },
    "export": {
        "": (
            "Xuất bản ghi theo đúng các cột của lệnh import (CSV dạng UTF-8 có BOM, mở được "
            "bằng Excel)."
        ),
        "KIND": "Loại bản ghi.",
        "--format": "csv, json hoặc xlsx.",
    },
    "template": {
        "": "In dòng tiêu đề CSV của LOẠI kèm một dòng ví dụ (hoặc ghi ra --output TỆP).",
        "KIND": "Loại bản ghi.",
    },
    "log": {
        "": "Xem nhật ký thay đổi, mới nhất trước.",
        "--limit": "Số mục cần xem.",
    },
    "unit": {
        "": (
            "Đơn vị (Tỉnh Đoàn, Huyện Đoàn, Đoàn xã…) qua các thời kỳ: thêm, sửa, giải thể, "
            "chuyển cấp trên, xem."
        )
    },
    "unit add": {
        "": "Thêm một đơn vị.",
        "CODE": "Mã đơn vị, ví dụ HD-PT.",
        "--name": "Tên đầy đủ.",
        "--level": (
            "Cấp: central, province, district, commune, branch (hoặc trung ương, tỉnh, huyện, "
            "xã, chi đoàn…), hay một cấp đơn vị khác đã có."
        ),
        "--parent": "Đơn vị cấp trên.",
        "--new-level": "CẤP là cấp mới: thêm cấp này (gõ nhầm thì bị từ chối).",
        "--from": "Ngày thành lập đơn vị (mặc định: đã có từ trước).",
    },
    "unit edit": {
        "": (
            "Sửa tên hoặc cấp của đơn vị (là đính chính: đơn vị vẫn luôn như vậy). Đơn vị thay "
            "đổi thì giải thể vào đơn vị mới (unit close --into); đổi cấp trên thì dùng unit move."
        ),
        "CODE": "Mã đơn vị.",
        "--name": "Tên đầy đủ.",
        "--level": "Cấp, là cấp đã biết hoặc cấp một đơn vị khác đang dùng.",
    },
    "unit close": {
        "": (
            "Giải thể một đơn vị vào ngày cuối, ghi các đơn vị nó được sáp nhập hoặc chia tách vào."
        ),
        "CODE": "Mã đơn vị.",
        "--on": "Ngày cuối của đơn vị.",
        "--into": (
            "Một đơn vị kế tục (ghi nhiều lần khi chia tách). Có đúng một đơn vị kế tục thì cán "
            "bộ và đơn vị trực thuộc còn lại vào ngày hôm sau được chuyển sang đơn vị đó."
        ),
    },
    "unit move": {
        "": (
            "Chuyển một đơn vị sang trực thuộc đơn vị khác từ một ngày; cấp trên trước đó được giữ."
        ),
        "CODE": "Mã đơn vị.",
        "--parent": "Đơn vị cấp trên mới.",
        "--from": "Ngày đầu trực thuộc đơn vị cấp trên mới.",
    },
    "unit show": {
        "": (
            "Xem một đơn vị: thời gian tồn tại, cấp trên qua các thời kỳ, đơn vị tiền thân, "
            "đơn vị kế tục, cán bộ hiện thuộc đơn vị."
        ),
        "CODE": "Mã đơn vị.",
        "--format": "Dạng kết quả: table (bảng) để đọc; json để ghi ra tệp.",
    },
    "unit list": {
        "": "Danh sách đơn vị: cây tổ chức vào một ngày, mỗi đơn vị dưới đơn vị cấp trên ngày đó.",
        "--on": "Cây tổ chức vào ngày này (mặc định: hôm nay).",
        "--all": "Mọi đơn vị từng có, với ngày thành lập, ngày giải thể và đơn vị kế tục.",
    },
    "cadre": {"": "Thêm, xem, sửa, chuyển đơn vị và xóa cán bộ."},
    "cadre add": {
        "": "Thêm một cán bộ.",
        "CODE": "Mã cán bộ.",
        **_CADRE_OPTIONS,
    },
    "cadre edit": {
        "": (
            "Sửa thông tin cán bộ; tùy chọn không ghi thì giữ nguyên. --unit, --category và "
            "--position sửa đơn vị, đối tượng, chức vụ hiện tại (không ghi thêm quá trình); cán "
            "bộ chuyển sang đơn vị khác từ một ngày thì dùng cadre move."
        ),
        "CODE": "Mã cán bộ.",
        **_CADRE_OPTIONS,
        "--no-active-to": "Chức vụ không có ngày cuối (bỏ --active-to đã ghi).",
    },
    "cadre move": {
        "": (
            "Ghi nhận từ một ngày cán bộ thuộc đơn vị khác (hoặc đối tượng, chức vụ khác). "
            "Quá trình trước được giữ: báo cáo các ngày trước vẫn tính cán bộ ở đơn vị cũ."
        ),
        "CODE": "Mã cán bộ.",
        "--unit": "Đơn vị mới.",
        "--from": "Ngày đầu ở đơn vị mới.",
        "--category": (
            "Đối tượng mới (mặc định: giữ nguyên): provincial_leader, provincial_staff, "
            "district_key, other, hoặc tên tiếng Việt."
        ),
        "--position": "Chức vụ mới (mặc định: giữ nguyên).",
    },
    "cadre remove": {
        "": "Xóa một cán bộ chưa có đợt đi cơ sở, đợt tăng cường hay đợt vắng mặt nào.",
        "CODE": "Mã cán bộ.",
    },
    "cadre list": {"": "Danh sách cán bộ theo thứ tự tiếng Việt: theo tên, rồi cả họ tên."},
    "cadre show": {
        "": "Hồ sơ một cán bộ: thông tin, tổng hợp theo năm, đi cơ sở, tăng cường, vắng mặt.",
        "CODE": "Mã cán bộ.",
        "--format": "Dạng kết quả: table (bảng) để đọc; json, xlsx để ghi ra tệp.",
    },
    "trip": {"": "Ghi, xem và xóa các đợt đi cơ sở."},
    "trip add": {
        "": "Ghi một đợt đi cơ sở: --date cho đợt một ngày, hoặc --start và --end.",
        "--cadre": "Cán bộ đi cơ sở.",
        "--date": "Đợt một ngày, vào NGÀY.",
        "--start": "Ngày đầu của đợt nhiều ngày.",
        "--end": "Ngày cuối của đợt nhiều ngày (tính cả ngày đó).",
        "--kind": _KIND,
        "--place": "Địa điểm.",
        "--unit": "Đơn vị cơ sở nơi đến.",
        "--program": "Chương trình, ví dụ Ấm áp mùa đông.",
        "--note": "Ghi chú.",
        "--order": "Số công lệnh hoặc quyết định cử đi, ví dụ 15-CL/TĐTN.",
    },
    "trip edit": {
        "": (
            'Sửa một đợt đi cơ sở: tùy chọn không ghi thì giữ nguyên; --unit "" bỏ đơn vị '
            "cơ sở.\n\nĐợt đã sửa được kiểm tra lại đúng như một đợt mới."
        ),
        "ID": "Số # của đợt, xem trong trip list.",
        "--cadre": "Cán bộ đi cơ sở.",
        "--date": "Chuyển thành đợt một ngày, vào NGÀY.",
        "--start": "Ngày đầu.",
        "--end": "Ngày cuối (tính cả ngày đó).",
        "--kind": _KIND,
        "--place": "Địa điểm.",
        "--unit": "Đơn vị cơ sở nơi đến.",
        "--program": "Chương trình, ví dụ Ấm áp mùa đông.",
        "--note": "Ghi chú.",
        "--order": "Số công lệnh hoặc quyết định cử đi, ví dụ 15-CL/TĐTN.",
    },
    "trip list": {"": "Danh sách đợt đi cơ sở, kèm số # dùng cho trip remove."},
    "trip remove": {"": "Xóa một đợt đi cơ sở.", "ID": "Số # của đợt, xem trong trip list."},
    "trip report": {
        "": "Ghi báo cáo sau một đợt đi cơ sở; ghi lại thì thay báo cáo cũ.",
        "ID": "Số # của đợt, xem trong trip list.",
        "--date": "Ngày báo cáo.",
        "--text": "Nội dung báo cáo.",
        "--file": "Đọc báo cáo từ một tệp văn bản.",
    },
    "assignment": {"": "Thêm, xem, ghi báo cáo và hủy các đợt tăng cường cơ sở."},
    "assignment add": {
        "": (
            "Thêm một đợt tăng cường dài --months N tháng (kết thúc trước đó một ngày) hoặc "
            "đến --end."
        ),
        "--cadre": "Cán bộ được tăng cường.",
        "--host": "Đơn vị tiếp nhận.",
        "--start": "Ngày bắt đầu.",
        "--months": "Số tháng.",
        "--end": "Ngày kết thúc (tính cả ngày đó), thay cho --months.",
        "--role": "Chức danh, ví dụ Phó Bí thư Huyện Đoàn.",
        "--decision": "Số và ngày quyết định.",
        "--plan": "Kế hoạch mà đợt này thực hiện.",
    },
    "assignment edit": {
        "": (
            'Sửa một đợt tăng cường: tùy chọn không ghi thì giữ nguyên; --plan "" bỏ liên kết '
            "kế hoạch.\n\n--months N tính lại ngày kết thúc từ ngày bắt đầu (mới hoặc đã có). "
            "Đợt đã sửa được kiểm tra lại đúng như một đợt mới."
        ),
        "ID": "Số # của đợt tăng cường, xem trong assignment list.",
        "--cadre": "Cán bộ được tăng cường.",
        "--host": "Đơn vị tiếp nhận.",
        "--start": "Ngày bắt đầu.",
        "--months": "Số tháng.",
        "--end": "Ngày kết thúc (tính cả ngày đó), thay cho --months.",
        "--role": "Chức danh, ví dụ Phó Bí thư Huyện Đoàn.",
        "--decision": "Số và ngày quyết định.",
        "--plan": "Kế hoạch mà đợt này thực hiện.",
    },
    "assignment list": {
        "": "Danh sách đợt tăng cường kèm trạng thái tính đến hôm nay.",
        "--plan": "Chỉ kế hoạch này.",
    },
    "assignment report": {
        "": "Ghi báo cáo của cán bộ sau đợt tăng cường: tình hình, khó khăn, đề xuất.",
        "ID": "Số # của đợt tăng cường, xem trong assignment list.",
        "--date": "Ngày báo cáo.",
        "--text": "Nội dung báo cáo.",
        "--file": "Đọc báo cáo từ một tệp văn bản.",
    },
    "assignment cancel": {
        "": "Hủy một đợt tăng cường; đợt đó không còn được tính ở đâu nữa.",
        "ID": "Số # của đợt tăng cường, xem trong assignment list.",
    },
    "plan": {"": "Thêm và xem kế hoạch tăng cường cán bộ."},
    "plan add": {
        "": "Thêm một kế hoạch: --quota province=7 --quota district=13 --max-age district=35.",
        "CODE": "Ví dụ 152-KH/TĐTN-TCKT.",
        "--year": "Năm của kế hoạch.",
        "--quota": (
            "Số cán bộ cần cử từ các đơn vị thuộc CẤP (CẤP: province, district… hoặc tỉnh, "
            "huyện, xã…)."
        ),
        "--title": "Tên (trích yếu) kế hoạch.",
        "--max-age": "Tuổi cao nhất được cử, tính vào ngày bắt đầu.",
    },
    "plan edit": {
        "": (
            "Sửa một kế hoạch: năm hoặc tên; đặt, thay hay bỏ chỉ tiêu hoặc giới hạn tuổi của "
            "một cấp."
        ),
        "CODE": "Ví dụ 152-KH/TĐTN-TCKT.",
        "--title": "Tên (trích yếu) kế hoạch.",
        "--quota": "Đặt hoặc thay chỉ tiêu của CẤP (giới hạn tuổi giữ nguyên).",
        "--max-age": "Tuổi cao nhất được cử, tính vào ngày bắt đầu đợt tăng cường.",
        "--drop": "Bỏ chỉ tiêu của CẤP.",
        "--no-max-age": "Bỏ giới hạn tuổi của CẤP.",
    },
    "plan list": {"": "Danh sách kế hoạch, mỗi chỉ tiêu một dòng."},
    "absence": {"": "Ghi, xem và xóa các đợt vắng mặt."},
    "absence add": {
        "": "Ghi một đợt vắng mặt; những ngày đó không tính là ngày công tác.",
        "--cadre": "Cán bộ vắng mặt.",
        "--start": "Ngày đầu vắng mặt.",
        "--end": "Ngày cuối vắng mặt (tính cả ngày đó).",
        "--reason": _REASON,
    },
    "absence edit": {
        "": "Sửa một đợt vắng mặt: tùy chọn không ghi thì giữ nguyên; được kiểm tra lại như mới.",
        "ID": "Số # của đợt, xem trong absence list.",
        "--cadre": "Cán bộ vắng mặt.",
        "--start": "Ngày đầu vắng mặt.",
        "--end": "Ngày cuối vắng mặt (tính cả ngày đó).",
        "--reason": _REASON,
    },
    "absence list": {"": "Danh sách đợt vắng mặt."},
    "absence remove": {"": "Xóa một đợt vắng mặt.", "ID": "Số # của đợt, xem trong absence list."},
    "policy": {"": "Xem và đặt các quy định."},
    "policy show": {
        "": (
            "Xem các quy định áp dụng trong một năm (mặc định: năm nay), cho cả sổ hoặc cho một "
            "đơn vị.\n\nGiá trị của một đơn vị là giá trị đặt cho đơn vị gần nhất từ nó trở "
            "lên, nếu không có thì giá trị chung của sổ, nếu không nữa thì giá trị mặc định; "
            "bảng ghi rõ giá trị lấy từ đâu."
        ),
        "--year": "Quy định áp dụng trong NĂM.",
        "--unit": "Cho đơn vị này và các đơn vị cấp dưới (mặc định: cả sổ).",
    },
    "policy set": {
        "": (
            "Đặt một quy định; với --from-year, các năm trước giữ nguyên giá trị cũ; với --unit, "
            "chỉ đơn vị đó và các đơn vị cấp dưới áp dụng."
        ),
        "KEY": "Ví dụ field_days_per_year.",
        "VALUE": "Ví dụ 30.",
        "--from-year": "Áp dụng từ năm này trở đi (mặc định: 1900).",
        "--unit": "Cho đơn vị này và các đơn vị cấp dưới (mặc định: cả sổ).",
    },
    "report": {"": "Kết quả thực hiện, tổng hợp năm, tuần 4+1, tiến độ kế hoạch."},
    "report compliance": {
        "": (
            "Số ngày đi cơ sở của từng cán bộ so với chỉ tiêu 1+2, số tuần đạt 4+1, và đào tạo "
            "thực tế 3 tháng."
        ),
        "--fail-on-gap": "Thoát với mã 1 khi có cán bộ chưa đủ ngày.",
    },
    "report summary": {
        "": "Năm qua các con số: số cán bộ đi cơ sở, số ngày, số đợt theo hình thức, chương trình.",
    },
    "report weekly": {
        "": "4 ngày ở cơ quan, 1 ngày ở cơ sở: số tuần đạt và chưa đạt, từng tuần một.",
    },
    "report overdue": {
        "": (
            "Báo cáo sau đợt đi cơ sở và đợt tăng cường không nộp trong trip_report_days ngày "
            "sau ngày cuối.\n\nQuá hạn: đến ngày tính vẫn chưa nộp mà đã quá hạn; nộp muộn: "
            "nộp sau hạn. Mỗi báo cáo tính vào năm mà hạn nộp của nó đã qua. --year mặc định "
            "là năm của --as-of."
        ),
        "--year": "Năm báo cáo (mặc định: năm của --as-of, hoặc năm nay).",
    },
    "report plan": {
        "": (
            "Chỉ tiêu của kế hoạch: đã cử, đang thực hiện, đã hoàn thành so với chỉ tiêu; "
            "vượt tuổi."
        ),
        "CODE": "Mã kế hoạch.",
    },
    "db": {"": "Vị trí của sổ, và giữ cho sổ lành lặn."},
    "db path": {"": "In vị trí của sổ."},
    "db check": {"": "Kiểm tra sổ; không in gì và thoát với mã 0 khi sổ lành lặn."},
    "db backup": {
        "": "Sao chép sổ một cách nhất quán vào một tệp mới, riêng tư.",
        "FILE": "Tệp mới để chứa bản sao.",
        "--force": "Ghi đè TỆP nếu đã có (không bao giờ ghi đè sổ hay một sổ khác).",
    },
    "db upgrade": {"": "Nâng cấu trúc dữ liệu của sổ lên phiên bản này (có sao lưu trước)."},
    "db copy": {
        "": "Chép toàn bộ sổ (hồ sơ, nhật ký thay đổi, quy định) sang một sổ trống, rồi đối chiếu.",
        "TARGET": "Một sổ trống: tệp SQLite mới hoặc địa chỉ PostgreSQL.",
    },
}

# One or two real examples per command; tests/test_help.py parses every one.
EXAMPLES: dict[str, list[str]] = {
    "": ["doanfield --lang vi report compliance --year 2024", "doanfield cadre list"],
    "import": [
        "doanfield import trips trips-2024.xlsx --sheet 'Đi cơ sở' --dry-run",
        "doanfield import cadres cadres.csv --update",
        "doanfield import moves sap-xep-2025.xlsx --dry-run",
        "doanfield import ledger binh-dinh.db --prefix BD- --dry-run",
    ],
    "export": [
        "doanfield export trips --output trips.xlsx",
        "doanfield export cadres --output can-bo.csv --force",
    ],
    "template": ["doanfield template trips", "doanfield template trips --output mau-di-co-so.csv"],
    "log": ["doanfield log --limit 5"],
    "unit": ["doanfield unit list"],
    "unit add": [
        "doanfield unit add X-IASOL --name 'Đoàn xã Ia Sol' --level commune --parent HD-PT",
        "doanfield unit add X-CHUAPUH --name 'Đoàn xã Chư A Thai' --level xã --parent TD "
        "--from 1/7/2025",
    ],
    "unit edit": ["doanfield unit edit HD-PT --name 'Huyện Đoàn Phú Thiện'"],
    "unit close": [
        "doanfield unit close HD-PT --on 30/6/2025 --into TD",
        "doanfield unit close X-IASOL --on 30/6/2025 --into X-IASOL-MOI --into X-IAPIAR",
    ],
    "unit move": ["doanfield unit move X-IASOL --parent TD --from 1/7/2025"],
    "unit show": ["doanfield unit show HD-PT", "doanfield unit show TD --format json"],
    "unit list": [
        "doanfield unit list --on 30/06/2025",
        "doanfield unit list --all --format csv",
    ],
    "cadre": ["doanfield cadre show GL04 --year 2024"],
    "cadre add": [
        'doanfield cadre add GL99 --name "Ksor H\'Mloan" --unit TD --category provincial_staff'
    ],
    "cadre edit": ["doanfield cadre edit GL04 --position 'Phó Chánh Văn phòng'"],
    "cadre remove": ["doanfield cadre remove GL99"],
    "cadre move": [
        "doanfield cadre move PT01 --unit TD --from 1/7/2025",
        "doanfield cadre move PT01 --unit TD --from 1/7/2025 --category provincial_staff "
        "--position 'Chuyên viên Ban Tổ chức'",
    ],
    "cadre list": [
        "doanfield cadre list --unit HD-PT",
        "doanfield cadre list --format xlsx --output can-bo.xlsx",
    ],
    "cadre show": [
        "doanfield cadre show GL04 --year 2024",
        "doanfield cadre show GL04 --year 2024 --format xlsx --output GL04.xlsx",
    ],
    "trip": ["doanfield trip list --cadre GL04 --year 2024"],
    "trip add": [
        "doanfield trip add --cadre GL04 --date 19/02/2024 --kind thematic --place 'Xã Ia Sol'",
        "doanfield trip add --cadre GL04 --start 1/7/2024 --end 3/7/2024 --unit HD-PT"
        " --order 15-CL/TĐTN",
    ],
    "trip edit": [
        "doanfield trip edit 511 --end 21/02/2024",
        'doanfield trip edit 511 --kind "kiểm tra, giám sát" --unit ""',
    ],
    "trip list": ["doanfield trip list --cadre GL04 --year 2024"],
    "trip remove": ["doanfield trip remove 511"],
    "trip report": [
        'doanfield trip report 511 --date 26/2/2024 --text "Đã làm việc với BCH Đoàn xã Ia Sol."',
        "doanfield trip report 511 --date 26/2/2024 --file bao-cao.txt",
    ],
    "assignment": ["doanfield assignment list --plan 152-KH/TĐTN-TCKT"],
    "assignment add": [
        "doanfield assignment add --cadre GL04 --host HD-PT --start 19/02/2024 --months 3 "
        "--role 'Phó Bí thư Huyện Đoàn'"
    ],
    "assignment edit": ["doanfield assignment edit 1 --start 26/02/2024 --months 3"],
    "assignment list": ["doanfield assignment list --year 2024"],
    "assignment report": [
        "doanfield assignment report 1 --date 27/05/2024 --file bao-cao.txt",
    ],
    "assignment cancel": ["doanfield assignment cancel 2"],
    "plan": ["doanfield plan list"],
    "plan add": [
        "doanfield plan add 152-KH/TĐTN-TCKT --year 2024 --quota province=7 --quota district=13 "
        "--max-age district=35"
    ],
    "plan edit": ["doanfield plan edit 152-KH/TĐTN-TCKT --quota district=15 --no-max-age district"],
    "plan list": ["doanfield plan list --format json"],
    "absence": ["doanfield absence list --year 2024"],
    "absence add": [
        "doanfield absence add --cadre PT01 --start 1/9/2024 --end 30/11/2024 --reason 'học tập'"
    ],
    "absence edit": ["doanfield absence edit 3 --end 15/12/2024 --reason 'nghỉ ốm'"],
    "absence list": ["doanfield absence list --cadre PT01"],
    "absence remove": ["doanfield absence remove 3"],
    "policy": ["doanfield policy show --year 2024"],
    "policy show": [
        "doanfield policy show --year 2024",
        "doanfield policy show --year 2025 --unit TD-BD",
    ],
    "policy set": [
        "doanfield policy set field_days_per_year 30 --from-year 2025",
        "doanfield policy set min_days_by_host_level 'chi đoàn=30,xã=20,huyện=10' --unit TD-GL",
    ],
    "report": ["doanfield report compliance --year 2024 --as-of 30/6/2024"],
    "report compliance": [
        "doanfield report compliance --year 2024 --as-of 30/06/2024 --unit HD-PT",
        "doanfield --lang vi report compliance --year 2024 --format xlsx --output kq-2024.xlsx",
    ],
    "report summary": ["doanfield report summary --year 2023"],
    "report weekly": [
        "doanfield report weekly --year 2024 --cadre GL04",
        "doanfield report weekly --year 2024 --format xlsx --output tuan-2024.xlsx",
    ],
    "report overdue": [
        "doanfield report overdue --year 2024",
        "doanfield report overdue --as-of 30/6/2025 --unit HD-PT --format xlsx -o bao-cao.xlsx",
    ],
    "report plan": ["doanfield report plan 152-KH/TĐTN-TCKT --as-of 30/6/2024"],
    "db": ["doanfield db check"],
    "db path": ["doanfield db path"],
    "db check": ["doanfield db check"],
    "db backup": ["doanfield db backup so-2024-12-31.db"],
    "db upgrade": ["doanfield db upgrade"],
    "db copy": ["doanfield db copy 'postgresql+psycopg://van-phong@may-chu/doanfield'"],
}


# ------------------------------------------------------------------------ putting it in place

EXAMPLES_HEADING = {"en": "Examples:", "vi": "Ví dụ:"}
SECTIONS_VI = {
    "Options": "Tùy chọn",
    "Arguments": "Tham số",
    "Commands": "Lệnh",
    "Records": "Bản ghi",
    "Reports": "Báo cáo",
    "Files": "Tệp",
    "Ledger": "Sổ",
}
# The placeholders of usage lines and option lists (metavars, Click's type names): what the
# reader is to type, named in Vietnamese; choices (`<en|vi>`) are typed as they are.
PLACEHOLDERS_VI = {
    "[OPTIONS]": "[TÙY CHỌN]",
    "COMMAND": "LỆNH",
    "[ARGS]": "[THAM SỐ]",
    "PATH_OR_URL": "TỆP_HOẶC_URL",
    "LEVEL=COUNT": "CẤP=SỐ",
    "LEVEL=AGE": "CẤP=TUỔI",
    "LEVEL": "CẤP",
    "CATEGORY": "ĐỐI_TƯỢNG",
    "DATE": "NGÀY",
    "CODE": "MÃ",
    "TEXT": "VĂN_BẢN",
    "YEAR": "NĂM",
    "FILE": "TỆP",
    "PATH": "TỆP",
    "KIND": "LOẠI",
    "NAME": "TÊN",
    "KEY": "QUY_ĐỊNH",
    "VALUE": "GIÁ_TRỊ",
    "TARGET": "SỔ_ĐÍCH",
    "ID": "SỐ",
    "<int range>": "<số nguyên>",
    "<float range>": "<số>",
    "<int>": "<số nguyên>",
    "<float>": "<số>",
    "<str>": "<chữ>",
    "<text>": "<chữ>",
    "<path>": "<tệp>",
    "<file>": "<tệp>",
    "<boolean>": "<có/không>",
}
_PLACEHOLDER = re.compile(
    "|".join(
        re.escape(k) if not k[0].isalpha() else rf"(?<![\w-]){re.escape(k)}(?![\w=])"
        for k in sorted(PLACEHOLDERS_VI, key=len, reverse=True)
    )
)


def placeholders_vi(text: str) -> str:
    """`--date DATE` -> `--date NGÀY`, `[OPTIONS] COMMAND [ARGS]...` -> `[TÙY CHỌN] LỆNH …`."""
    return _PLACEHOLDER.sub(lambda m: PLACEHOLDERS_VI[m.group(0)], text)


# The notes Click puts after an option's help, in square brackets.
EXTRAS_VI = (
    ("required", "bắt buộc"),
    ("default: ", "mặc định: "),
    ("env var: ", "biến môi trường: "),
)


def _key(param: Any) -> str:
    """How the catalogue names a parameter: an option by its long flag, an argument by metavar."""
    if getattr(param, "param_type_name", "") == "option":
        return str(max(param.opts, key=len))
    return str(param.metavar or param.name.upper())


def vietnamese_help(path: str, param: Any | None = None) -> str | None:
    """The Vietnamese help of a command (param None) or of one of its parameters, if any."""
    table = HELP_VI.get(path, {})
    if param is None:
        return table.get("")
    english = getattr(param, "help", None)
    if not english:
        return None
    found = table.get(_key(param)) or SHARED_VI.get(english)
    if found is None and english.endswith(DATE_HELP_EN):
        found = SHARED_VI.get(english.removesuffix(DATE_HELP_EN).strip())
    if found is not None and english.endswith(DATE_HELP_EN) and not found.endswith(DATE_HELP_VI):
        found = f"{found} {DATE_HELP_VI}"
    return found


DATE_HELP_EN = "Date as 19/02/2024 or 2024-02-19."


def prepare(command: Any, lang: str, path: str = "") -> None:
    """Before help is shown: examples at the end of every command, Vietnamese when asked."""
    examples = EXAMPLES.get(path)
    if examples:
        lines = "\n".join(f"  {example}" for example in examples)
        # \b keeps Click from rewrapping the examples into one paragraph.
        command.epilog = f"\b\n{EXAMPLES_HEADING.get(lang, 'Examples:')}\n{lines}"
    if lang == "vi":
        command.help = vietnamese_help(path) or command.help
        command.short_help = None
        for param in command.params:
            param.help = vietnamese_help(path, param) or getattr(param, "help", None)
        command.context_class = _vietnamese_context()
    for name, sub in getattr(command, "commands", {}).items():
        prepare(sub, lang, f"{path} {name}".strip())


@functools.cache
def _vietnamese_context() -> type:
    """A Click context whose help formatter speaks Vietnamese (built on first use only)."""
    from typer._click.core import Context
    from typer._click.formatting import HelpFormatter

    class VietnameseFormatter(HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, placeholders_vi(args), prefix or "Cách dùng: ")

        @contextlib.contextmanager
        def section(self, name: str) -> Iterator[None]:
            with super().section(SECTIONS_VI.get(name, name)):
                yield

        def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
            translated = [(placeholders_vi(term), _extras_vi(text)) for term, text in rows]
            super().write_dl(translated, *args, **kwargs)

    class VietnameseContext(Context):
        formatter_class = VietnameseFormatter

    return VietnameseContext


def _extras_vi(text: str) -> str:
    text = SHARED_VI.get(text, text)
    head, bracket, notes = text.rpartition("[")
    if not bracket:
        return text
    for english, vietnamese in EXTRAS_VI:
        notes = notes.replace(english, vietnamese)
    return f"{head}[{notes}"
