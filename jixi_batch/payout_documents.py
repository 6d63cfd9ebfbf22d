"""The documents for the next steps of a payout, written into the run folder after the workbook
and before the letters (OUTPUTS.md "Documents for each step of the payout"): the 拨付清单 and the
公示名单 (workbook and Word document). Returns one console line per document.
"""
from __future__ import annotations

from pathlib import Path

from . import model
from .money import format_yuan
from .payment_list import payment_filename, write_payment_list
from .publicity_docx import write_publicity_docx
from .publicity_list import publicity, publicity_filename, write_publicity_xlsx


def write_payout_documents(result: model.RunResult, folder: Path, writing) -> list[str]:
    """Write the documents of ``result`` into ``folder``; ``writing(failed)`` is the run folder's
    context that names, in Chinese, what could not be written when the disk or folder fails."""
    year = result.year
    preparer = result.policy.preparer
    with writing("拨付清单未能写完"):
        payments = write_payment_list(result, folder / payment_filename(year))
    pub = publicity(result)
    with writing("公示名单未能写完"):
        write_publicity_xlsx(pub, folder / publicity_filename(year, ".xlsx"), preparer)
        write_publicity_docx(pub, folder / publicity_filename(year, ".docx"), preparer)
    return [
        f"拨付清单：{payment_filename(year)}，拨付 {len(payments.payees)} 户 {format_yuan(payments.payable_fen)} 元；"
        f"暂缓拨付 {payments.held_count} 户 {format_yuan(payments.held_fen)} 元，不在清单内",
        f"公示名单：{publicity_filename(year, '')}（.xlsx 和 .docx），{len(pub.entries)} 户 "
        f"{format_yuan(pub.total_fen)} 元；公示期 {pub.period}（{pub.working_days}个工作日，"
        f"程序不知道法定节假日，请核对结束日期）",
    ]
